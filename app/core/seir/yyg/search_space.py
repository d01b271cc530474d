"""Default search space of the 2020 model: (candidate inflection days) x (a full grid).

Six candidate inflection days x 2,700 combinations = 16,200 sets, the size the original
used in September-October 2020 (SEIR_MODEL.md 4.2-4.3). The candidate inflection days are
data driven: the day of the first-wave peak of smoothed daily deaths (within 60 days of the
first death, else the last day) minus ``PEAK_TO_INFLECTION_DAYS``, then every 3 days around
it. Imports, rate of inflection, IFR and fatigue are fixed per region (table defaults).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np

from app.core.seir.grid import Grid
from app.core.seir.objective import losses_of
from app.core.seir.params import RegionConstants
from app.core.seir.regions import REGIONS
from app.core.seir.yyg.simulator import simulate_reported_deaths
from app.core.types import FloatArray, IntArray

PEAK_TO_INFLECTION_DAYS = 24
"""Infection-to-report delay (~29.5 d) minus the half width of the R transition (~5 d)."""
INFLECTION_OFFSETS = (-9, -6, -3, 0, 3, 6)
DEFAULT_VALUES: dict[str, tuple[float, ...]] = {
    "initial_r0": (1.6, 2.0, 2.4, 2.8, 3.3, 3.9),
    "lockdown_r0": (0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1),
    "reopen_r": (0.9, 1.0, 1.1, 1.2, 1.35),
    "reopen_inflection": (0.2, 0.3),
    "reopen_shift_days": (-14.0, -7.0, 0.0, 7.0, 14.0),
}
GENERIC_CENTRES = {
    "mortality_rate": 0.0085,
    "rate_of_inflection": 0.3,
    "lockdown_fatigue": 1.0,
}
IMPORTS_PER_PERSON = 2.5e-5
"""Generic DAILY_IMPORTS centre per inhabitant (median of the original's 2020-10-04 fits)."""


def inflection_candidates(
    smoothed_daily: FloatArray, start_date: date, first_date: date
) -> tuple[date, ...]:
    """Candidate inflection days from smoothed daily deaths (n_days,) starting at start_date."""
    positive = np.flatnonzero(smoothed_daily > 0)
    first = int(positive[0]) if positive.size else 0
    window = smoothed_daily[first : first + 60]
    peak = first + int(np.argmax(window)) if window.size else 0
    centre = start_date + timedelta(days=peak - PEAK_TO_INFLECTION_DAYS)
    days = [centre + timedelta(days=o) for o in INFLECTION_OFFSETS]
    earliest = first_date + timedelta(days=10)
    return tuple(max(d, earliest + timedelta(days=i)) for i, d in enumerate(days))


def default_grid(
    code: str,
    population: float,
    inflection_days: tuple[date, ...],
    *,
    seed: int = 0,
    values: dict[str, tuple[float, ...]] | None = None,
    use_region_centres: bool = True,
    equilibrium_r_centre: float = 1.0,
) -> Grid:
    """The default 2020-model grid for one region.

    Args:
        code: Region code (table centres are used when known and ``use_region_centres``).
        population: People (sets the generic imports centre).
        inflection_days: Candidate inflection days (one grid axis).
        seed: Seed of the randomised parameters.
        values: Override of the searched values other than the inflection day.
        use_region_centres: Use the original's per-region centres (imports, IFR, rate of
            inflection, fatigue); False uses generic centres (no hindsight in backtests).
        equilibrium_r_centre: Centre of the post-reopening equilibrium R draws (the
            original's triangular bands are shifted by centre - 1).

    Returns:
        Grid of len(inflection_days) x prod(len(values)) sets.
    """
    row = REGIONS.get(code) if use_region_centres else None
    fixed: dict[str, float | date] = dict(GENERIC_CENTRES)
    fixed["daily_imports"] = max(1.0, round(IMPORTS_PER_PERSON * population, 1))
    if row is not None:
        fixed.update(
            mortality_rate=row.mortality_rate,
            rate_of_inflection=row.rate_of_inflection,
            lockdown_fatigue=row.lockdown_fatigue,
            daily_imports=row.daily_imports,
        )
    fixed.update(post_reopen_equilibrium_r=equilibrium_r_centre, fall_r_multiplier=1.001)
    searched: dict[str, tuple[float | date, ...]] = dict(values or DEFAULT_VALUES)
    searched["inflection_day"] = inflection_days
    return Grid(values=searched, fixed=fixed, seed=seed)


PILOT_SETS = 200
PILOT_BEST_FRACTION = 0.2


def calibrate_imports(
    grid: Grid,
    constants: RegionConstants,
    smoothed: FloatArray,
    offset: int,
    window: IntArray,
    weights: FloatArray,
) -> Grid:
    """Grid with the DAILY_IMPORTS centre rescaled to the data by a pilot simulation.

    Early on, reported deaths are nearly proportional to the imports. A pilot of about 200
    evenly spaced grid sets is simulated; for each the least-squares scale
    ``s = sum w D y / sum w D^2`` is computed, and the centre is multiplied by the median
    scale of the best 20% (clipped to [0.01, 100]).
    """
    step = max(1, grid.size // PILOT_SETS)
    pilot = np.arange(0, grid.size, step)
    sims, valid = simulate_reported_deaths(
        grid.batch(constants, pilot), constants, offset + smoothed.size
    )
    sim, obs, w = sims[offset + window][:, valid], smoothed[window], weights[window]
    with np.errstate(all="ignore"):
        scale = (w * obs) @ sim / ((w[:, None] * sim * sim).sum(axis=0))
        loss = losses_of(sim * scale, obs, w)
    good = np.isfinite(scale) & np.isfinite(loss) & (scale > 0)
    if not np.any(good):
        return grid
    best = np.argsort(np.where(good, loss, np.inf))[: max(1, int(PILOT_BEST_FRACTION * good.sum()))]
    factor = float(np.clip(np.median(scale[best]), 0.01, 100.0))
    fixed = dict(grid.fixed)
    fixed["daily_imports"] = max(1.0, round(float(fixed["daily_imports"]) * factor, 1))  # type: ignore[arg-type]
    return replace(grid, fixed=fixed)
