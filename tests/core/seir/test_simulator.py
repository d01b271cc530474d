"""Golden test: the simulator reproduces the unmodified original on all 672 trajectories.

The reference CSVs print 10 significant digits (6 for the undetected ratio), so 1e-9
relative is the tightest meaningful tolerance for the other columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.core.seir import simulate
from app.core.types import FloatArray
from tests.core.seir.yyg_files import DATA, SIM_DATES, batch_from_best_params, best_params

RTOL = 1e-9
COLUMNS = {
    "new_infections": "new_infections",
    "reported_deaths": "reported_deaths",
    "r_t_pre_immunity": "r_t",
    "r_t_effective": "r_effective",
    "ifr": "ifr",
}


def _max_rel_error(actual: FloatArray, expected: FloatArray) -> float:
    scale = np.maximum(np.abs(expected), 1e-300)
    err = np.abs(actual - expected) / scale
    err[(expected == 0) & (actual == 0)] = 0.0
    return float(err.max())


@pytest.mark.parametrize("params_date", SIM_DATES)
def test_matches_original_simulator(params_date: str) -> None:
    sims = pd.read_csv(DATA / "yyg_reference_sims" / f"yyg_sim_{params_date}_us.csv.gz")
    groups = sims.groupby(["region", "params_type"], sort=True)
    assert groups.ngroups == 112
    failures = []
    for (region, params_type), ref in groups:
        raw = best_params(params_date, str(region))
        params, constants, n_days = batch_from_best_params(raw, str(params_type))
        sim = simulate(params, constants, n_days, death_edge_quirk=True)
        assert len(ref) == n_days
        assert sim.valid.tolist() == [True]
        for column, field in COLUMNS.items():
            err = _max_rel_error(getattr(sim, field)[:, 0], ref[column].to_numpy())
            if err > RTOL:
                failures.append((region, params_type, column, err))
        undetected = np.abs(sim.undetected_ratio - ref["undetected_deaths_ratio"].to_numpy())
        if undetected.max() > 1e-6:
            failures.append((region, params_type, "undetected_deaths_ratio", undetected.max()))
    assert failures == []


def test_edge_quirk_only_changes_early_deaths() -> None:
    raw = best_params("2020-10-04", "NY")
    params, constants, n_days = batch_from_best_params(raw, "mean")
    quirk = simulate(params, constants, n_days, death_edge_quirk=True).reported_deaths[:, 0]
    correct = simulate(params, constants, n_days).reported_deaths[:, 0]
    assert not np.allclose(quirk[15:40], correct[15:40], rtol=1e-12, atol=0)
    np.testing.assert_allclose(quirk[60:], correct[60:], rtol=1e-6)
