"""The 2020 simulator: invalid parameter sets come back masked (the golden test is beside)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from app.core.seir.yyg import simulate
from tests.core.seir.synthetic import CONSTANTS, GRID, N_DAYS


def test_invalid_sets_are_masked_not_raised() -> None:
    batch = GRID.batch(CONSTANTS, np.arange(3))
    bad = replace(
        batch,
        reopen_inflection=np.array([0.25, 0.05, 0.5]),
        post_reopen_equilibrium_r=np.array([1.0, 1.0, 0.1]),
    )
    sim = simulate(bad, CONSTANTS, N_DAYS)
    assert sim.valid.tolist() == [True, False, False]
