"""The default 2020-model grid: size, inflection-day axis, randomised-parameter ranges."""

from __future__ import annotations

from datetime import date

import numpy as np

from app.core.seir import region_constants_for
from app.core.seir.yyg import default_grid


def test_default_grid_has_16200_sets_by_inflection_day() -> None:
    days = tuple(date(2020, 3, d) for d in (8, 11, 14, 17, 20, 23))
    grid = default_grid("NY", 19_453_561, days)
    assert grid.size == 16_200
    constants = region_constants_for("NY", first_date=date(2020, 2, 16))
    batch = grid.batch(constants, np.array([0, 1, 16_199]))
    assert batch.n_sets == 3
    assert batch.inflection_idx.tolist() == [21.0, 21.0, 36.0]
    post = grid.draws()["post_reopen_equilibrium_r"]
    assert post.min() >= 0.85 and post.max() <= 1.1
    fall = grid.draws()["fall_r_multiplier"]
    assert fall.min() >= 0.998 and fall.max() <= 1.004
    assert abs(np.median(fall) - 1.001) < 2e-4
