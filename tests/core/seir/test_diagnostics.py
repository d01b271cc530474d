"""Kept parameter sets and grid-edge warnings of a fit."""

from __future__ import annotations

from datetime import date

import numpy as np

from app.core.seir import FitSettings, Grid, RegionConstants, fit, fit_rt
from app.core.seir.diagnostics import edge_warnings, kept_params
from app.core.seir.grid import Value
from app.core.seir.yyg import simulate
from tests.core.seir.synthetic import CONSTANTS
from tests.core.seir.synthetic import FIXED as BASE_FIXED

FIXED: dict[str, Value] = {**BASE_FIXED, "reopen_shift_days": 0.0}


def _grid(lockdown: tuple[float, ...]) -> Grid:
    values: dict[str, tuple[Value, ...]] = {
        "inflection_day": (date(2020, 3, 15), date(2020, 3, 18), date(2020, 3, 21)),
        "initial_r0": (2.0, 2.5, 3.0),
        "lockdown_r0": lockdown,
        "reopen_r": (1.0, 1.1, 1.2),
    }
    return Grid(values=values, fixed=FIXED, randomize=False)


def _observed(lockdown_r0: float) -> np.ndarray:
    truth = _grid((lockdown_r0,))
    index = truth.index_of({"inflection_day": date(2020, 3, 18), "initial_r0": 2.5,
                            "lockdown_r0": lockdown_r0, "reopen_r": 1.1})  # fmt: skip
    deaths = simulate(truth.batch(CONSTANTS, np.array([index])), CONSTANTS, 150)
    return np.cumsum(deaths.reported_deaths[:, 0])


def test_kept_params_one_plain_dict_per_kept_set() -> None:
    grid = _grid((0.7, 0.8, 0.9))
    result = fit(_observed(0.8), CONSTANTS.first_date, CONSTANTS, grid, FitSettings(min_keep=4))
    rows = result.kept_params()
    assert len(rows) == result.kept_indices.size
    for index, row in zip(result.kept_indices, rows, strict=True):
        assert row == grid.params(int(index))
        assert isinstance(row["inflection_day"], date)
        assert all(type(v) in (float, date) for v in row.values())
    assert rows[0] == result.best_params
    assert result.grid is grid


def test_no_edge_warning_when_the_truth_is_inside_the_grid() -> None:
    grid = _grid((0.7, 0.8, 0.9))
    result = fit(_observed(0.8), CONSTANTS.first_date, CONSTANTS, grid, FitSettings(min_keep=4))
    assert not [w for w in result.edge_warnings() if w.startswith("lockdown_r0")]


def test_edge_warning_when_the_truth_is_outside_the_grid() -> None:
    grid = _grid((0.85, 0.9, 0.95))
    result = fit(_observed(0.7), CONSTANTS.first_date, CONSTANTS, grid, FitSettings(min_keep=4))
    warnings = [w for w in result.edge_warnings() if w.startswith("lockdown_r0")]
    assert len(warnings) == 1
    assert "lowest" in warnings[0] and "0.85" in warnings[0] and "best" in warnings[0]


def test_edge_warning_names_a_parameter_best_at_a_grid_end() -> None:
    grid = Grid(values={"a": (1.0, 2.0, 3.0), "b": (0.0, 1.0)}, randomize=False)
    # indices: a varies slowest; (a=3, b=*) are indices 4, 5
    top = edge_warnings(grid, np.array([4, 0, 2]), np.array([0.2, 0.4, 0.4]))
    assert top == [
        "a: the best value 3 is the highest of the grid (1..3); the optimum may lie outside "
        "the searched range"
    ]  # b has only two values: never warned
    assert edge_warnings(grid, np.array([2, 3]), np.array([0.5, 0.5])) == []
    both = edge_warnings(grid, np.array([0, 1, 2]), np.array([0.6, 0.2, 0.2]))
    assert both[0].startswith("a: the best and weighted median value 1 is the lowest")
    assert kept_params(grid, np.array([5])) == [{"a": 3.0, "b": 1.0}]


def test_rt_fit_exposes_its_grid() -> None:
    constants = RegionConstants(
        population=1e7, first_date=date(2021, 1, 1), reopen_date=date(2021, 6, 1)
    )
    cumulative = np.cumsum(np.full(150, 10.0))
    result = fit_rt(cumulative, constants.first_date, constants)
    rows = result.kept_params()
    assert set(rows[0]) == {"r_level", "trend"}
    assert all(isinstance(v, float) for v in rows[0].values())
    assert isinstance(result.edge_warnings(), list)
