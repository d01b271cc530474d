"""Scoring rules for quantile forecasts: WIS, interval coverage, absolute error, relative WIS.

The weighted interval score (Bracher, Ray, Gneiting, Reich 2021, PLoS Comput Biol 17(2)
e1008618) of a forecast given as a median ``m`` and ``K`` central prediction intervals
``[l_k, u_k]`` at levels ``1 - alpha_k`` is::

    WIS = 1 / (K + 1/2) * (1/2 * |y - m| + sum_k alpha_k / 2 * IS_alpha_k)
    IS_alpha(l, u; y) = (u - l) + 2/alpha * (l - y) * 1{y < l} + 2/alpha * (y - u) * 1{y > u}

Quantile levels come as one symmetric vector (``tau`` and ``1 - tau`` both present, 0.5
present); the interval with ``alpha = 2 * tau`` is ``[q(tau), q(1 - tau)]``. The 23-level Forecast
Hub set gives K = 11 and the 5-level viz set (0.025, 0.25, 0.5, 0.75, 0.975) gives K = 2.

The score splits exactly into three non-negative parts (Bracher et al. section 3.1):
dispersion (the interval widths), underprediction (the truth above the upper ends, forecast
too low) and overprediction (the truth below the lower ends); the median term counts as
under- or overprediction by its sign.
"""

from dataclasses import dataclass

import numpy as np

from app.core.types import BoolArray, FloatArray

_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class WISComponents:
    """WIS and its decomposition; each field has shape (n,) and ``total`` is their sum."""

    dispersion: FloatArray
    underprediction: FloatArray
    overprediction: FloatArray

    @property
    def total(self) -> FloatArray:
        """The weighted interval score, shape (n,)."""
        return self.dispersion + self.underprediction + self.overprediction


def _check_inputs(y: FloatArray, levels: FloatArray, values: FloatArray) -> tuple[int, int]:
    """Validate shapes and the level set; return (index of the median, K intervals)."""
    if levels.ndim != 1 or levels.size == 0:
        raise ValueError(f"levels must be a non-empty 1-d array, got shape {levels.shape}")
    if y.ndim != 1 or values.shape != (y.size, levels.size):
        raise ValueError(
            f"shape mismatch: y {y.shape} and levels {levels.shape} need values of shape "
            f"({y.size}, {levels.size}), got {values.shape}"
        )
    if np.any(np.diff(levels) <= 0) or levels[0] <= 0 or levels[-1] >= 1:
        raise ValueError(f"levels must be strictly increasing inside (0, 1), got {levels}")
    if not np.allclose(levels + levels[::-1], 1.0, atol=_TOL, rtol=0):
        raise ValueError(f"levels must be symmetric around 0.5 (tau and 1 - tau), got {levels}")
    if levels.size % 2 == 0:
        raise ValueError(f"levels must contain the median 0.5, got {levels}")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(values))):
        raise ValueError("y and values must be finite (no NaN or inf)")
    return levels.size // 2, levels.size // 2


def wis_components(y: FloatArray, levels: FloatArray, values: FloatArray) -> WISComponents:
    """Weighted interval score split into dispersion, underprediction and overprediction.

    Args:
        y: observed values, shape (n,).
        levels: quantile levels, shape (k,), strictly increasing, symmetric, with 0.5.
        values: predicted quantiles, shape (n, k), column j at ``levels[j]``.

    Returns:
        The three parts, each of shape (n,); their sum is the WIS.

    Raises:
        ValueError: if the levels are not symmetric, miss the median, or shapes disagree.
    """
    mid, n_int = _check_inputs(y, levels, values)
    weight = 1.0 / (n_int + 0.5)
    median = values[:, mid]
    dispersion = np.zeros_like(y, dtype=np.float64)
    under = 0.5 * np.maximum(y - median, 0.0)
    over = 0.5 * np.maximum(median - y, 0.0)
    for j in range(n_int):
        alpha = 2.0 * levels[j]
        lower, upper = values[:, j], values[:, -1 - j]
        # alpha/2 * IS_alpha = alpha/2 * (u - l) + (l - y)_+ + (y - u)_+
        dispersion += alpha / 2.0 * (upper - lower)
        over += np.maximum(lower - y, 0.0)
        under += np.maximum(y - upper, 0.0)
    return WISComponents(weight * dispersion, weight * under, weight * over)


def weighted_interval_score(y: FloatArray, levels: FloatArray, values: FloatArray) -> FloatArray:
    """Weighted interval score (Bracher et al. 2021) of quantile forecasts.

    Args:
        y: observed values, shape (n,).
        levels: quantile levels, shape (k,), strictly increasing, symmetric, with 0.5.
        values: predicted quantiles, shape (n, k), column j at ``levels[j]``.

    Returns:
        WIS per forecast, shape (n,), in the units of ``y``. With only the median
        (k = 1) it equals the absolute error.

    Raises:
        ValueError: if the levels are not symmetric, miss the median, or shapes disagree.
    """
    return wis_components(y, levels, values).total


def level_index(levels: FloatArray, level: float) -> int:
    """Column of ``level`` in ``levels`` (to 1e-9); ValueError if it is not there once."""
    hits = np.flatnonzero(np.isclose(levels, level, atol=_TOL, rtol=0))
    if hits.size != 1:
        raise ValueError(f"quantile level {level:g} is not among the levels {levels}")
    return int(hits[0])


def interval_coverage(
    y: FloatArray, levels: FloatArray, values: FloatArray, central: float
) -> BoolArray:
    """Whether ``y`` lies in the central ``central`` prediction interval (ends included).

    Args:
        y: observed values, shape (n,).
        levels: quantile levels, shape (k,); must hold (1 - central)/2 and (1 + central)/2.
        values: predicted quantiles, shape (n, k).
        central: interval level in (0, 1), e.g. 0.5 or 0.95.

    Returns:
        ``lower <= y <= upper`` per forecast, shape (n,).

    Raises:
        ValueError: if ``central`` is outside (0, 1), its levels are missing, or shapes disagree.
    """
    if not 0.0 < central < 1.0:
        raise ValueError(f"central must be in (0, 1), got {central}")
    if y.ndim != 1 or values.shape != (y.size, levels.size):
        raise ValueError(
            f"shape mismatch: y {y.shape}, levels {levels.shape}, values {values.shape}"
        )
    lower = values[:, level_index(levels, (1.0 - central) / 2.0)]
    upper = values[:, level_index(levels, (1.0 + central) / 2.0)]
    result: BoolArray = (lower <= y) & (y <= upper)
    return result


def absolute_error(y: FloatArray, median: FloatArray) -> FloatArray:
    """Absolute error of the median (or point) forecast, ``|y - median|``, shape (n,)."""
    if y.shape != median.shape:
        raise ValueError(f"shape mismatch: y {y.shape}, median {median.shape}")
    result: FloatArray = np.abs(y - median)
    return result


def relative_wis(wis_model: FloatArray, wis_baseline: FloatArray) -> float:
    """Mean WIS of a model divided by the mean WIS of the baseline on the same forecasts.

    This is the simple ratio of means: both arrays must score the same (location, date,
    horizon) forecasts in the same order, so no pairing is needed. Below 1 means better
    than the baseline.

    Args:
        wis_model: WIS of the model, shape (n,).
        wis_baseline: WIS of the baseline on the same n forecasts, shape (n,).

    Returns:
        ``mean(wis_model) / mean(wis_baseline)``.

    Raises:
        ValueError: on a shape mismatch, no forecasts, or a baseline mean of 0.
    """
    if wis_model.shape != wis_baseline.shape or wis_model.ndim != 1 or wis_model.size == 0:
        raise ValueError(
            f"need two non-empty 1-d arrays of one shape, got {wis_model.shape}, "
            f"{wis_baseline.shape}"
        )
    denominator = float(np.mean(wis_baseline))
    if denominator <= 0.0:
        raise ValueError("baseline mean WIS is 0: the relative WIS is undefined")
    return float(np.mean(wis_model)) / denominator
