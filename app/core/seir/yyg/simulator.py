"""Vectorised simulator of the 2020 YYG renewal model (SEIR_MODEL.md section 1).

The only stored state is daily new infections ``inf[i]`` (people/day). For a batch of K
parameter sets it runs one Python loop over days with numpy over the sets:

* days ``i < 9``: ``inf[i] = D`` (DAILY_IMPORTS), ``R_eff[i] = R[i]``;
* days ``i >= 9``: ``p_i = min(1, (0.5 S_old + S_recent) / pop)`` with ``S_old`` the
  infections older than 180 days and ``S_recent`` those in ``[i-180, i-1)`` (prefix sums;
  day i-1 excluded), ``R_eff[i] = R[i] (1 - p_i)^m``,
  ``inf[i] = R_eff[i] sum_{lag=2..8} g[lag] inf[i-lag] + imports(i)``;
* true deaths ``T[t] = IFR[t] sum_{lag=15..29} d[lag] inf[t-lag]``;
* reported deaths ``rep_deaths[t] = sum_{k=0..30} rep[k] (1 - u[t-k]) T[t-k]``.

With ``death_edge_quirk=True`` the truncated death window for t = 15..28 is aligned from
the long-lag end as in the original code (``T[t] = IFR[t] sum_{m<=t-15} d[29-m] inf[m]``);
the default is the correct alignment. Memory: each full output is n_days x n_sets x 8 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.seir import kernels as kn
from app.core.seir.params import ParamBatch, RegionConstants
from app.core.seir.settings import DEFAULT_CHUNK
from app.core.seir.yyg.schedules import (
    ifr_multiplier_table,
    import_factor,
    r_schedule,
    reopen_index,
    undetected_ratio,
)
from app.core.types import BoolArray, FloatArray

SUB_CHUNK = 1024
_DEATH_BAND = kn.band_matrix(kn.DEATH_KERNEL, kn.DEATH_FIRST_LAG)
_REPORT_BAND = kn.band_matrix(kn.REPORTING_KERNEL, 0)


@dataclass(frozen=True, slots=True)
class Simulation:
    """Day-major outputs of ``simulate`` for K parameter sets over N days.

    Attributes:
        new_infections: Float (n_days, n_sets), new infections per day (people/day).
        reported_deaths: Float (n_days, n_sets), reported deaths per day (deaths/day).
        r_t: Float (n_days, n_sets), R before immunity.
        r_effective: Float (n_days, n_sets), R after immunity.
        ifr: Float (n_days, n_sets), infection fatality rate by death day (fraction).
        undetected_ratio: Float (n_days,), fraction of true deaths never reported.
        valid: Bool (n_sets,), False where the original would have raised an assertion.
    """

    new_infections: FloatArray
    reported_deaths: FloatArray
    r_t: FloatArray
    r_effective: FloatArray
    ifr: FloatArray
    undetected_ratio: FloatArray
    valid: BoolArray


def _import_rows(p: ParamBatch, c: RegionConstants, n_days: int) -> list[FloatArray | float]:
    """Imports per day: a scalar 0, or a vector (n_sets,) shared by the days that need it.

    ``max(D x factor, min(10, 0.1 D))`` where the floor applies (factor < 0.1, floor on);
    the constant floor-only days (factor 0) share one precomputed vector.
    """
    factor = import_factor(c, n_days)
    floor = np.minimum(10.0, 0.1 * p.daily_imports) if c.imports_floor else None
    rows: list[FloatArray | float] = []
    for f in factor.tolist():
        if floor is not None and f < 0.1:
            rows.append(floor if f == 0.0 else np.maximum(p.daily_imports * f, floor))
        else:
            rows.append(p.daily_imports * f if f != 0.0 else 0.0)
    return rows


def _infections(r: FloatArray, p: ParamBatch, c: RegionConstants) -> tuple[FloatArray, FloatArray]:
    """Renewal recursion: new infections and effective R, both (n_days, n_sets).

    The susceptible fraction ``s = 1 - (S_all - 0.5 S_old) / pop`` is updated incrementally
    (one prefix-sum step per day) instead of re-summing the history.
    """
    n_days, n_sets = r.shape
    inf = np.empty((n_days, n_sets))
    reff = np.empty((n_days, n_sets))
    seed = min(kn.SEED_DAYS, n_days)
    inf[:seed] = p.daily_imports
    reff[:seed] = r[:seed]
    imports = _import_rows(p, c, n_days)
    g_rev = np.ascontiguousarray(kn.GENERATION_KERNEL[::-1])
    inv_pop = 1.0 / c.population
    susceptible = 1.0 - inf[: max(seed - 1, 0)].sum(axis=0) * inv_pop
    waning, lag = kn.IMMUNITY_WANING_DAYS, kn.SEED_DAYS - 1
    sqrt = c.immunity_mult == 0.5
    tmp = np.empty(n_sets)
    for i in range(seed, n_days):
        if i > waning:
            susceptible += np.multiply(inf[i - waning - 1], 0.5 * inv_pop, out=tmp)
        immune = np.maximum(susceptible, 0.0, out=tmp)
        immune = np.sqrt(immune, out=tmp) if sqrt else np.power(immune, c.immunity_mult, out=tmp)
        row = np.multiply(r[i], immune, out=reff[i])
        new = np.matmul(g_rev, inf[i - lag : i - kn.INCUBATION_DAYS + 1], out=inf[i])
        new *= row
        new += imports[i]
        susceptible -= np.multiply(inf[i - 1], inv_pop, out=tmp)
    return inf, reff


def _true_death_infections(inf: FloatArray, quirk: bool) -> FloatArray:
    """``sum_lag d[lag] inf[t - lag]``, float (n_days, n_sets), infections per day."""
    conv = kn.causal_convolve(inf, _DEATH_BAND)
    if quirk:
        first, n = kn.DEATH_FIRST_LAG, kn.DEATH_KERNEL.size
        d_rev = kn.DEATH_KERNEL[::-1]
        for t in range(first, min(first + n - 1, inf.shape[0])):
            m = t - first + 1
            conv[t] = d_rev[:m] @ inf[:m]
    return conv


def _ifr(p: ParamBatch, c: RegionConstants, n_days: int) -> FloatArray:
    """IFR by death day, float (n_days, n_sets)."""
    table, column = ifr_multiplier_table(c, n_days, reopen_index(p, c))
    ifr = table[:, column] if table.shape[1] > 1 else np.repeat(table, p.n_sets, axis=1)
    ifr *= p.mortality_rate
    return np.maximum(ifr, c.min_ifr, out=ifr)


def _detected_factor(p: ParamBatch, c: RegionConstants, share: FloatArray) -> FloatArray:
    """IFR x detected share, float (n_days, n_sets); one gather when the IFR is shared."""
    n_days = share.shape[0]
    mortality = p.mortality_rate
    if mortality.size and np.all(mortality == mortality[0]):
        table, column = ifr_multiplier_table(c, n_days, reopen_index(p, c))
        table = np.maximum(table * float(mortality[0]), c.min_ifr) * share
        return table[:, column]
    return _ifr(p, c, n_days) * share


def _column_blocks(n_sets: int, size: int) -> list[slice]:
    return [slice(s, min(n_sets, s + size)) for s in range(0, n_sets, size)]


def _deaths(
    inf: FloatArray, p: ParamBatch, c: RegionConstants, quirk: bool, ifr_out: FloatArray | None
) -> FloatArray:
    """Reported deaths per day (n_days, n_sets) from infections, in cache-sized column blocks."""
    n_days, n_sets = inf.shape
    detected_share = (1.0 - undetected_ratio(c, n_days))[:, None]
    reported = np.empty((n_days, n_sets))
    for part in _column_blocks(n_sets, SUB_CHUNK):
        sub = p.take(part)
        width = part.stop - part.start
        padded = kn.padded_buffer(n_days, width)
        rows = padded[kn.BLOCK :]
        if quirk:
            rows[:n_days] = _true_death_infections(inf[:, part], quirk)
        else:  # infection -> death convolution written straight into the next input
            source = kn.padded_buffer(n_days, width)
            source[kn.BLOCK : kn.BLOCK + n_days] = inf[:, part]
            kn.convolve_padded(source, _DEATH_BAND, n_days, out=rows)
        detected = rows[:n_days]
        if ifr_out is None:
            detected *= _detected_factor(sub, c, detected_share)
        else:
            ifr_out[:, part] = _ifr(sub, c, n_days)
            detected *= ifr_out[:, part]
            detected *= detected_share
        rows[n_days:] = 0.0
        reported[:, part] = kn.convolve_padded(padded, _REPORT_BAND, n_days)[:n_days]
    return reported


def _run(
    p: ParamBatch, c: RegionConstants, n_days: int, quirk: bool, full: bool
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, BoolArray]:
    """One chunk: reported, infections, R, R_eff, IFR (empty unless full), valid."""
    n_sets = p.n_sets
    r = np.empty((n_days, n_sets))
    valid = np.empty(n_sets, dtype=bool)
    for part in _column_blocks(n_sets, SUB_CHUNK):
        r[:, part], valid[part] = r_schedule(p.take(part), c, n_days)
    ifr = np.empty((n_days, n_sets) if full else (0, 0))
    with np.errstate(all="ignore"):
        inf, reff = _infections(r, p, c)
        reported = _deaths(inf, p, c, quirk, ifr if full else None)
    return reported, inf, r, reff, ifr, valid


def simulate(
    params: ParamBatch,
    constants: RegionConstants,
    n_days: int,
    *,
    death_edge_quirk: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
) -> Simulation:
    """Simulate K parameter sets of the 2020 model for ``n_days`` days from first_date.

    Args:
        params: K parameter sets (arrays of shape (n_sets,)).
        constants: Region constants (population, dates, IFR and import settings).
        n_days: Number of simulated days N (day 0 = constants.first_date), N > 22.
        death_edge_quirk: Reproduce the original's truncated death-window alignment.
        chunk_size: Parameter sets simulated together (the day loop runs once per chunk;
            schedules and convolutions use blocks of 1,024 sets for cache).

    Returns:
        Simulation with (n_days, n_sets) arrays; invalid sets are flagged in ``valid``.
    """
    if n_days <= 22:
        raise ValueError(f"n_days must be > 22, got {n_days}")
    k = params.n_sets
    outs = [np.empty((n_days, k)) for _ in range(5)]
    valid = np.empty(k, dtype=bool)
    for part in _column_blocks(k, chunk_size):
        *arrays, valid[part] = _run(params.take(part), constants, n_days, death_edge_quirk, True)
        for out, value in zip(outs, arrays, strict=True):
            out[:, part] = value
    reported, inf, r, reff, ifr = outs
    return Simulation(inf, reported, r, reff, ifr, undetected_ratio(constants, n_days), valid)


def simulate_reported_deaths(
    params: ParamBatch,
    constants: RegionConstants,
    n_days: int,
    *,
    death_edge_quirk: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
) -> tuple[FloatArray, BoolArray]:
    """Reported deaths per day (n_days, n_sets) and validity (n_sets,) only (for grid search)."""
    if n_days <= 22:
        raise ValueError(f"n_days must be > 22, got {n_days}")
    if params.n_sets <= chunk_size:
        reported, *_, valid = _run(params, constants, n_days, death_edge_quirk, False)
        return reported, valid
    reported = np.empty((n_days, params.n_sets))
    valid = np.empty(params.n_sets, dtype=bool)
    for part in _column_blocks(params.n_sets, chunk_size):
        reported[:, part], *_, valid[part] = _run(
            params.take(part), constants, n_days, death_edge_quirk, False
        )
    return reported, valid
