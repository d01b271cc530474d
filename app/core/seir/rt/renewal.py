"""The renewal core of ``seircast-rt.1``: infections back-calculated from deaths, then R.

1. **History.** Infections ``x`` are back-calculated from smoothed daily deaths ``y`` by
   Richardson-Lucy deconvolution, ``y[t] = ifr * sum_l k[l] x[t - l]``, with ``k`` the
   infection-to-reported-death kernel (death kernel convolved with the reporting kernel,
   lags 15..59, mean ~29.5 d) and a fixed IFR (``RtSettings.ifr``).
2. **Window.** From ``t0`` on, the renewal equation runs for K sets of R (n_days - t0, K):
   ``R_eff = R (1 - p_t)^m``, ``x[t] = R_eff sum_{l=2..8} g[l] x[t-l]``, with p_t the
   fraction infected (half of infections older than 180 days no longer count).
3. **Deaths.** ``ifr * sum_l k[l] x[t - l]`` for every set.
"""

from __future__ import annotations

import numpy as np

from app.core.seir import kernels as kn
from app.core.types import FloatArray

INFECTION_TO_REPORT: FloatArray = np.convolve(
    np.concatenate([np.zeros(kn.DEATH_FIRST_LAG), kn.DEATH_KERNEL]), kn.REPORTING_KERNEL
)
"""k[l], l = 0..59: probability that a death from an infection on day t is reported on t+l."""
_BAND = kn.band_matrix(INFECTION_TO_REPORT, 0, block=64)


def back_calculate(deaths: FloatArray, ifr: float, iterations: int) -> FloatArray:
    """Infections per day (n_days,) whose expected reported deaths match ``deaths`` (n_days,)."""
    n, k = deaths.size, INFECTION_TO_REPORT
    shift = round(float(np.arange(k.size) @ k))
    x = np.empty(n)
    x[: n - shift] = deaths[shift:] / ifr
    x[n - shift :] = deaths[-1] / ifr
    x = np.maximum(x, 1e-9)
    reach = np.convolve(np.ones(n), k[::-1])[k.size - 1 : k.size - 1 + n]
    for _ in range(iterations):
        pred = ifr * np.convolve(x, k)[:n]
        ratio = np.divide(deaths, pred, out=np.zeros(n), where=pred > 0)
        corr = np.convolve(ratio, k[::-1])[k.size - 1 : k.size - 1 + n]
        x *= np.where(reach > 1e-9, corr / np.maximum(reach, 1e-9), 1.0)
    return x


def simulate_window(
    history: FloatArray,
    r: FloatArray,
    population: float,
    immunity_mult: float,
    imports: float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """Infections and R_eff (n_days, n_sets): history (t0,) then R (n_days - t0, n_sets).

    ``imports`` infections/day are added in the window (sporadic introductions).
    """
    t0 = history.size
    n_days, n_sets = t0 + r.shape[0], r.shape[1]
    inf = np.empty((n_days, n_sets))
    inf[:t0] = history[:, None]
    reff = np.empty((n_days, n_sets))
    reff[:t0] = np.nan
    g_rev = kn.GENERATION_KERNEL[::-1]
    cum = np.concatenate([[0.0], np.cumsum(history)])
    infected = np.full(n_sets, cum[max(t0 - 1, 0)] - 0.5 * cum[max(t0 - 181, 0)])
    for i in range(t0, n_days):
        if i > kn.IMMUNITY_WANING_DAYS:
            infected -= 0.5 * inf[i - kn.IMMUNITY_WANING_DAYS - 1]
        susceptible = np.clip(1.0 - infected / population, 0.0, 1.0)
        reff[i] = r[i - t0] * susceptible**immunity_mult
        inf[i] = reff[i] * (g_rev @ inf[i - kn.SEED_DAYS + 1 : i - kn.INCUBATION_DAYS + 1])
        inf[i] += imports
        infected += inf[i - 1]
    return inf, reff


def expected_deaths(infections: FloatArray, ifr: float) -> FloatArray:
    """Reported deaths per day (n_days, n_sets) of infections per day (n_days, n_sets)."""
    deaths: FloatArray = ifr * kn.causal_convolve(infections, _BAND)
    return deaths
