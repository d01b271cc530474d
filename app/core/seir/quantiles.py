"""Forecast Hub quantile levels and weighted quantiles of trajectory ensembles.

The weighted quantile at level q interpolates linearly in the "midpoint" CDF
``F_j = (W_j - w_j / 2) / W`` of the sorted values (W_j cumulative weight), clamped to the
smallest and largest value; with equal weights it is Hazen's definition. Quantiles are
non-decreasing in q by construction.
"""

from __future__ import annotations

import numpy as np

from app.core.hubtypes import QUANTILES_23
from app.core.types import FloatArray

QUANTILE_LEVELS: FloatArray = np.array(QUANTILES_23, dtype=np.float64)
"""The 23 Forecast Hub levels 0.01, 0.025, 0.05, 0.10, ..., 0.95, 0.975, 0.99, as an array."""


def weighted_quantiles(values: FloatArray, weights: FloatArray, levels: FloatArray) -> FloatArray:
    """Weighted quantiles of each row.

    Args:
        values: Float (n_rows, n_members), e.g. deaths per day for each trajectory.
        weights: Float (n_members,), non-negative, not all zero.
        levels: Float (n_levels,), in [0, 1].

    Returns:
        Float (n_rows, n_levels), same unit as ``values``, non-decreasing along levels.
    """
    order = np.argsort(values, axis=1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=1)
    w = weights[order]
    cum = np.cumsum(w, axis=1)
    total = cum[:, -1:]
    cdf = (cum - 0.5 * w) / total
    out = np.empty((values.shape[0], levels.size))
    for row in range(values.shape[0]):
        out[row] = np.interp(levels, cdf[row], ordered[row])
    result: FloatArray = np.maximum.accumulate(out, axis=1)
    return result


def weighted_mean(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted mean of each row: values (n_rows, n_members), weights (n_members,) -> (n_rows,)."""
    mean: FloatArray = values @ (weights / weights.sum())
    return mean
