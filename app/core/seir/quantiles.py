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
    n_rows, n = values.shape
    if np.all(weights == weights[0]):
        # equal weights (the sampled paths): one CDF for every row, no stable sort needed
        ordered = np.sort(values, axis=1)
        cdf = np.broadcast_to((np.arange(n) + 0.5) / n, (n_rows, n))
    else:
        order = np.argsort(values, axis=1, kind="stable")
        ordered = np.take_along_axis(values, order, axis=1)
        w = weights[order]
        cum = np.cumsum(w, axis=1)
        cdf = (cum - 0.5 * w) / cum[:, -1:]
    result: FloatArray = np.maximum.accumulate(_interp_rows(levels, cdf, ordered), axis=1)
    return result


def _interp_rows(levels: FloatArray, cdf: FloatArray, ordered: FloatArray) -> FloatArray:
    """``np.interp(levels, cdf[r], ordered[r])`` for every row r at once (clamped at the
    ends): each row's CDF is in [0, 1], so offsetting row r by 2r makes one sorted array."""
    n_rows, n = ordered.shape
    if n == 1:
        return np.repeat(ordered, levels.size, axis=1)
    rows = np.arange(n_rows)[:, None]
    offset = 2.0 * rows
    flat = (cdf + offset).ravel()
    found = np.searchsorted(flat, (levels[None, :] + offset).ravel(), side="right")
    hi = np.clip(found.reshape(n_rows, levels.size) - n * rows, 1, n - 1)
    c_lo, c_hi = cdf[rows, hi - 1], cdf[rows, hi]
    v_lo, v_hi = ordered[rows, hi - 1], ordered[rows, hi]
    span = c_hi - c_lo
    frac = np.divide(levels[None, :] - c_lo, span, out=np.zeros_like(span), where=span > 0)
    out: FloatArray = v_lo + np.clip(frac, 0.0, 1.0) * (v_hi - v_lo)
    return out


def weighted_mean(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted mean of each row: values (n_rows, n_members), weights (n_members,) -> (n_rows,)."""
    mean: FloatArray = values @ (weights / weights.sum())
    return mean
