"""A synthetic region shared by the fit, forecast and diagnostics tests."""

from datetime import date

import numpy as np

from app.core.seir import Grid, RegionConstants
from app.core.seir.grid import Value
from app.core.seir.yyg import simulate
from app.core.types import FloatArray

CONSTANTS = RegionConstants(
    population=5e6, first_date=date(2020, 2, 20), reopen_date=date(2020, 5, 15)
)
# Fixed parameters of the 2020 model that none of these tests searches.
FIXED: dict[str, Value] = {
    "rate_of_inflection": 0.3,
    "daily_imports": 50.0,
    "mortality_rate": 0.01,
    "lockdown_fatigue": 1.0,
    "reopen_inflection": 0.25,
    "post_reopen_equilibrium_r": 1.0,
    "fall_r_multiplier": 1.0,
}
# A small 2020-model grid (243 sets) around known parameters.
VALUES: dict[str, tuple[Value, ...]] = {
    "inflection_day": (date(2020, 3, 15), date(2020, 3, 18), date(2020, 3, 21)),
    "initial_r0": (2.0, 2.5, 3.0),
    "lockdown_r0": (0.7, 0.8, 0.9),
    "reopen_r": (1.0, 1.1, 1.2),
    "reopen_shift_days": (-7.0, 0.0, 7.0),
}
GRID = Grid(values=VALUES, fixed=FIXED, randomize=False)
TRUTH: dict[str, Value] = {
    "inflection_day": date(2020, 3, 18),
    "initial_r0": 2.5,
    "lockdown_r0": 0.8,
    "reopen_r": 1.1,
    "reopen_shift_days": 0.0,
}
N_DAYS = 180


def observed(seed: int) -> FloatArray:
    """Cumulative deaths (N_DAYS,) of TRUTH with Poisson noise of ``seed``."""
    batch = GRID.batch(CONSTANTS, np.array([GRID.index_of(TRUTH)]))
    mean = simulate(batch, CONSTANTS, N_DAYS).reported_deaths[:, 0]
    noisy = np.random.default_rng(seed).poisson(mean).astype(np.float64)
    return np.cumsum(noisy)
