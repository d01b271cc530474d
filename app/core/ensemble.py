"""An ensemble of forecasting components: weights from past scores, quantile averaging.

Each component (the 2020 SEIR model, the rt model, the baseline, ...) forecasts the same
targets at the same quantile levels. The ensemble's quantiles are the weighted average of
the components' quantiles at each level (Vincentisation, as the COVID-19 Forecast Hub's
ensemble did; the average of non-decreasing quantile curves is non-decreasing), or of their
logarithms (``combine_log_quantiles``, the geometric average that ``seircast-ensemble.5``
uses).

Weights come from the components' past scores only (no look-ahead): the mean WIS of each
component over the same past rows (forecasts whose target week had ended, scored against
the truth as known at the forecast date), turned into weights ``w_c = WIS_c^-power``,
normalised. A component without past scores, or with fewer than ``min_rows`` scored rows,
gets the mean weight of the others (equal weights when none has enough).

All arrays are float64: quantiles of shape (n_components, n_targets, n_levels).
"""

from __future__ import annotations

import numpy as np

from app.core.types import FloatArray


def score_weights(mean_wis: FloatArray, n_rows: int, *, power: float, min_rows: int) -> FloatArray:
    """Ensemble weights from the components' mean WIS on the same past rows.

    Args:
        mean_wis: Float (n_components,), mean WIS of each component over the same scored
            past rows; NaN where a component has no score.
        n_rows: Number of past rows behind each mean.
        power: Weight exponent: ``w_c = mean_wis_c^-power`` (0 gives equal weights).
        min_rows: Fewer scored rows than this gives equal weights.

    Returns:
        Float (n_components,), non-negative, sums to 1.
    """
    if mean_wis.ndim != 1 or mean_wis.size == 0:
        raise ValueError(f"mean_wis must be a non-empty 1-d array, got shape {mean_wis.shape}")
    if power < 0:
        raise ValueError(f"power must be >= 0, got {power}")
    n = mean_wis.size
    known = np.isfinite(mean_wis) & (mean_wis >= 0)
    if n_rows < min_rows or not np.any(known):
        return np.full(n, 1.0 / n)
    floor = max(float(np.max(mean_wis[known])) * 1e-6, 1e-12)
    raw = np.zeros(n)
    raw[known] = np.maximum(mean_wis[known], floor) ** -power
    raw[~known] = raw[known].mean()
    weights: FloatArray = raw / raw.sum()
    return weights


def combine_quantiles(quantiles: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted quantile average of the components.

    Args:
        quantiles: Float (n_components, n_targets, n_levels), each component's quantiles,
            non-decreasing along the last axis.
        weights: Float (n_components,), non-negative, summing to 1.

    Returns:
        Float (n_targets, n_levels), non-decreasing along the last axis.
    """
    if quantiles.ndim != 3 or weights.shape != (quantiles.shape[0],):
        raise ValueError(
            f"need quantiles (n_components, n_targets, n_levels) and weights (n_components,), "
            f"got {quantiles.shape} and {weights.shape}"
        )
    if np.any(weights < 0) or not np.isclose(weights.sum(), 1.0):
        raise ValueError(f"weights must be non-negative and sum to 1, got {weights}")
    combined: FloatArray = np.tensordot(weights, quantiles, axes=1)
    return np.maximum.accumulate(combined, axis=-1)


LOG_OFFSET = 1.0  # deaths added before the logarithm (a zero quantile stays finite)


def combine_log_quantiles(quantiles: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted geometric quantile average of non-negative counts:
    ``exp(sum_c w_c log(q_c + 1)) - 1`` at each level (Vincentisation on the log scale).

    Where the components agree it is their common value; where they disagree it stays
    nearer the lower ones than the arithmetic average does (at most that average, by
    Jensen), so one component's runaway upper tail moves it less: epidemic counts grow and
    fall multiplicatively. ``seircast-ensemble.5`` combines its components this way
    (docs/MODEL.md). Negative quantiles count as 0.

    Args:
        quantiles: Float (n_components, n_targets, n_levels), as ``combine_quantiles``.
        weights: Float (n_components,), non-negative, summing to 1.

    Returns:
        Float (n_targets, n_levels), non-negative and non-decreasing along the last axis.
    """
    combined: FloatArray = np.exp(combine_quantiles(log_counts(quantiles), weights)) - LOG_OFFSET
    return np.maximum(combined, 0.0)


def log_counts(values: FloatArray) -> FloatArray:
    """``log(max(values, 0) + LOG_OFFSET)``: the scale ``combine_log_quantiles`` averages on."""
    logs: FloatArray = np.log(np.maximum(values, 0.0) + LOG_OFFSET)
    return logs
