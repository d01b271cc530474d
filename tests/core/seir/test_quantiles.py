"""Weighted quantiles: every row at once equals ``np.interp`` on each row's midpoint CDF."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.seir.quantiles import QUANTILE_LEVELS, weighted_quantiles
from app.core.types import FloatArray


def row_by_row(values: FloatArray, weights: FloatArray) -> FloatArray:
    """The definition (module docstring), one row at a time."""
    out = np.empty((values.shape[0], QUANTILE_LEVELS.size))
    for r, row in enumerate(values):
        order = np.argsort(row, kind="stable")
        w = weights[order]
        cum = np.cumsum(w)
        out[r] = np.interp(QUANTILE_LEVELS, (cum - 0.5 * w) / cum[-1], row[order])
    return np.maximum.accumulate(out, axis=1)


@pytest.mark.parametrize("n", [1, 2, 7, 1350, 2000])
@pytest.mark.parametrize("kind", ["equal", "random", "some zero", "rounded values"])
def test_all_rows_at_once_match_the_definition(n: int, kind: str) -> None:
    rng = np.random.default_rng(n)
    values = rng.gamma(2.0, 10.0, size=(40, n))
    weights = np.full(n, 1.0 / n) if kind in ("equal", "rounded values") else rng.random(n)
    if kind == "some zero":
        weights[rng.random(n) < 0.5] = 0.0
        weights[0] = 1.0
    if kind == "rounded values":  # ties between members
        values = np.round(values / 10.0)
    got = weighted_quantiles(values, weights, QUANTILE_LEVELS)
    np.testing.assert_allclose(got, row_by_row(values, weights), rtol=1e-9, atol=1e-9)


def test_equal_weights_give_hazen_quantiles() -> None:
    values = np.arange(100, dtype=np.float64)[None, ::-1]
    got = weighted_quantiles(values, np.full(100, 0.01), np.array([0.005, 0.25, 0.5, 0.995]))
    np.testing.assert_allclose(got[0], [0.0, 24.5, 49.5, 99.0])
