"""Post-2020 model ``seircast-rt.1``: the renewal core with a free recent R and trend.

The 2020 model's one-lockdown / one-reopening / fixed-fall schedule cannot describe 2021+
epidemics. This model keeps the same kernels and immunity term but lets the data of the last
``window_days`` choose R; the earlier epidemic only sets the immunity level:

1. **History.** Infections ``x`` are back-calculated from smoothed daily deaths ``y`` by
   Richardson-Lucy deconvolution, ``y[t] = ifr * sum_l k[l] x[t - l]``, with ``k`` the
   infection-to-reported-death kernel (death kernel convolved with the reporting kernel,
   lags 15..59, mean ~29.5 d) and a fixed IFR (``RtSettings.ifr``).
2. **Window.** From ``t0 = T - window_days`` (T = number of observed days) the renewal
   equation runs for K sets of (R level, trend):
   ``R(t) = r_level * exp(trend * (min(t, T) - t0))`` (the trend stops at the last
   observation), ``R_eff = R (1 - p_t)^m``, ``x[t] = R_eff sum_{l=2..8} g[l] x[t-l]``,
   with p_t the fraction infected (half of infections older than 180 days no longer count).
3. **Fit.** Loss, selection (best fraction, at least ``min_keep``) and loss^-p weights as
   in ``fit``; the result is a ``FitResult`` so ``forecast`` applies unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from app.core.cleaning import clean_cumulative
from app.core.seir import kernels as kn
from app.core.seir.fit import FitResult
from app.core.seir.grid import Grid
from app.core.seir.objective import loss_weights, losses_of, recency_weights
from app.core.seir.params import RegionConstants
from app.core.seir.settings import FitSettings
from app.core.seir.versions import MODEL_RT
from app.core.types import FloatArray

INFECTION_TO_REPORT: FloatArray = np.convolve(
    np.concatenate([np.zeros(kn.DEATH_FIRST_LAG), kn.DEATH_KERNEL]), kn.REPORTING_KERNEL
)
"""k[l], l = 0..59: probability that a death from an infection on day t is reported on t+l."""
_BAND = kn.band_matrix(INFECTION_TO_REPORT, 0, block=64)


@dataclass(frozen=True, slots=True)
class RtSettings:
    """Settings of the post-2020 model.

    Attributes:
        window_days: Days at the end simulated with free R (56; 42 before the case signal:
            56 scored 0.539 vs 0.592 on the 2020 tuning dates together with growth 0.5).
        ifr: Infection fatality rate used for back-calculation and deaths (0.005).
        immunity_mult: Exponent of the susceptible fraction (0.5, as the 2020 US model).
        r_levels: Candidate R at the window start.
        trends: Candidate daily log-trends of R until the last observation.
        deconvolution_iterations: Richardson-Lucy iterations (30).
        sporadic_deaths: Deaths/day that imported infections alone would cause
            (imports = sporadic_deaths / ifr per day in the window; 0.02, about one death
            in 50 days). It lets a region with no recent deaths (whose back-calculated
            history is zero) fit a sudden new death and keeps its intervals honest (a small
            chance of a death rather than exactly 0); negligible for a state.
        growth_power: Replaces ``FitSettings.growth_power`` in the result's settings (0.5:
            projected growth is damped, more than declines; this model's free trend
            overshoots: on the 2020 tuning dates 0.8 scored 0.82 vs 0.99 undamped deaths
            only, and with cases 0.5 / 0.6 / 0.8 / 1.0 scored 0.541 / 0.552 / 0.592 / 0.671
            (42-day window); None: keep).
    """

    window_days: int = 56
    ifr: float = 0.005
    immunity_mult: float = 0.5
    r_levels: tuple[float, ...] = tuple(np.round(np.arange(0.5, 2.001, 0.025), 3))
    trends: tuple[float, ...] = tuple(np.round(np.arange(-0.015, 0.01501, 0.0025), 4))
    deconvolution_iterations: int = 30
    sporadic_deaths: float = 0.02
    growth_power: float | None = 0.5


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


def fit_rt(
    cumulative_deaths: FloatArray,
    start_date: date,
    constants: RegionConstants,
    settings: FitSettings | None = None,
    rt: RtSettings | None = None,
) -> FitResult:
    """Fit the post-2020 model (any date); same inputs and result type as ``fit``."""
    settings, rt = settings or FitSettings(), rt or RtSettings()
    if rt.growth_power is not None:
        settings = replace(settings, growth_power=rt.growth_power)
    cleaned = clean_cumulative(cumulative_deaths, window=settings.smoothing_window)
    y = cleaned.smoothed_daily
    n_obs = y.size
    t0 = max(kn.SEED_DAYS, n_obs - rt.window_days)
    grid = Grid(values={"r_level": rt.r_levels, "trend": rt.trends}, randomize=False)
    pos = grid.unravel(np.arange(grid.size))
    level = np.asarray(rt.r_levels)[pos["r_level"]]
    trend = np.asarray(rt.trends)[pos["trend"]]
    days = np.minimum(np.arange(t0, n_obs + settings.horizon_days), n_obs) - t0
    r = level * np.exp(np.outer(days, trend))
    history = back_calculate(y, rt.ifr, rt.deconvolution_iterations)[:t0]
    imports = rt.sporadic_deaths / rt.ifr
    inf, reff = simulate_window(history, r, constants.population, rt.immunity_mult, imports)
    deaths = rt.ifr * kn.causal_convolve(inf, _BAND)
    window = np.arange(t0, n_obs)
    weights = recency_weights(n_obs, settings.recency_decay, settings.min_recency_weight)
    losses = losses_of(deaths[window], y[window], weights[window])
    n_keep = min(
        grid.size, max(settings.min_keep, int(np.ceil(settings.keep_fraction * grid.size)))
    )
    kept = np.argsort(losses, kind="stable")[:n_keep]
    return FitResult(
        model_version=MODEL_RT,
        grid_hash=grid.grid_hash,
        constants=replace(constants, first_date=start_date),
        settings=settings,
        start_date=start_date,
        forecast_date=start_date + timedelta(days=n_obs),
        best_index=int(kept[0]),
        best_params=grid.params(int(kept[0])),
        losses=losses,
        valid=np.isfinite(losses),
        kept_indices=kept,
        weights=loss_weights(losses[kept], settings.weight_power),
        observed_cumulative=np.cumsum(cleaned.reported_daily),
        reported_daily=cleaned.reported_daily,
        smoothed_daily=y,
        sim_start=n_obs,
        reported_deaths=deaths[:, kept],
        new_infections=inf[:, kept],
        r_effective=reff[:, kept],
        grid=grid,
    )
