"""Grid: sklearn ordering, index round trip, stable hash, seeded randomised parameters."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.seir import Grid


def _grid(seed: int = 0) -> Grid:
    return Grid(
        values={"lockdown_r0": (0.7, 0.9), "initial_r0": (2.0, 2.5, 3.0)},
        fixed={"rate_of_inflection": 0.3, "daily_imports": 100.0, "reopen_r": 1.1},
        seed=seed,
    )


def test_keys_sorted_and_last_key_varies_fastest() -> None:
    grid = _grid()
    assert list(grid.values) == ["initial_r0", "lockdown_r0"]
    assert grid.size == len(grid) == 6
    firsts = [(grid.params(i)["initial_r0"], grid.params(i)["lockdown_r0"]) for i in range(6)]
    assert firsts == [(2.0, 0.7), (2.0, 0.9), (2.5, 0.7), (2.5, 0.9), (3.0, 0.7), (3.0, 0.9)]


def test_index_of_params_round_trips_and_out_of_range_raises() -> None:
    grid = _grid()
    assert [grid.index_of(grid.params(i)) for i in range(grid.size)] == list(range(grid.size))
    with pytest.raises(IndexError):
        grid.params(grid.size)


def test_hash_is_stable_and_sensitive() -> None:
    assert _grid().grid_hash == _grid().grid_hash
    assert len(_grid().grid_hash) == 16
    assert _grid(seed=1).grid_hash != _grid().grid_hash


def test_randomised_parameters_are_seeded_and_in_range() -> None:
    a, b = _grid().draws(), _grid().draws()
    np.testing.assert_array_equal(a["rate_of_inflection"], b["rate_of_inflection"])
    assert np.all((a["rate_of_inflection"] >= 0.225) & (a["rate_of_inflection"] < 0.375))
    assert np.all((a["daily_imports"] >= 50) & (a["daily_imports"] < 150))
    assert not np.array_equal(a["daily_imports"], _grid(seed=3).draws()["daily_imports"])
    assert _grid().params(4)["daily_imports"] == a["daily_imports"][4]
