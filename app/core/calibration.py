"""Conformal widening of central prediction intervals from realised coverage.

Method (split conformal prediction on past forecasts, one set of factors per horizon):

* A forecast's central interval ``[l, u]`` at nominal level ``c = 1 - 2 tau`` is widened
  around its median ``m`` by a factor ``f``: ``l' = m - f (m - l)``, ``u' = m + f (u - m)``.
* The nonconformity score of a past forecast with truth ``y`` is the smallest factor that
  covers it: ``s = (y - m) / (u - m)`` if ``y > m``, ``(m - y) / (m - l)`` if ``y < m``, 0 if
  ``y = m`` (inf when the half-width is 0 and ``y != m``).
* With n past scores, ``f`` is their ``ceil((n + 1) c)``-th smallest value (the split-conformal
  quantile), so the widened intervals cover at least ``c`` of the past forecasts; when that rank
  exceeds n (too few forecasts for the level) or the score is inf, ``f = max_factor``.
* ``f`` is clipped to ``[min_factor, max_factor]``; the default ``min_factor = 1`` only widens
  (pass 0 to also narrow over-wide intervals).
* ``apply_widening`` widens every interval by its factor, then nests them (an outer end is
  moved out to the widest inner end, so quantiles stay non-decreasing even when an inner
  interval got a larger factor than an outer one; no interval gets narrower) and floors at 0.

Caveats: conformal coverage assumes past and future forecast errors are exchangeable, which
epidemic waves violate; use only past forecasts whose truth was known at the forecast date.
Any change to this method must bump ``CALIBRATION_VERSION`` (it is stored with the forecasts).

Version 2 (``conformal-widening-2``, the default of backtest exports): only the past
forecasts of the last ``LOOKBACK_WEEKS`` weeks count (waves change the errors), intervals are
narrowed as well as widened (``MIN_FACTOR`` 0), factors are clipped at ``MAX_FACTOR`` and a
horizon with fewer than ``MIN_ROWS`` past forecasts keeps factor 1 (too little history: the
forecast is left as it is). Chosen on the development windows (docs/MODEL.md): pooled over
the states, the 95% coverage of the served model went from 0.82-0.95 to 0.94-0.96 by window
at the same WIS.
"""

import math

import numpy as np

from app.core.types import FloatArray, IntArray

CALIBRATION_VERSION = "conformal-widening-2"
LOOKBACK_WEEKS = 8
MIN_FACTOR = 0.0
MAX_FACTOR = 3.0
MIN_ROWS = 100


def _check(levels: FloatArray, values: FloatArray) -> int:
    """Validate a symmetric level set with a median; return the number of intervals K."""
    k = levels.size
    if levels.ndim != 1 or k % 2 == 0 or not np.isclose(levels[k // 2], 0.5):
        raise ValueError(f"levels must be 1-d, odd-sized and centred on 0.5, got {levels}")
    if not np.allclose(levels + levels[::-1], 1.0) or np.any(np.diff(levels) <= 0):
        raise ValueError(f"levels must be strictly increasing and symmetric, got {levels}")
    if values.shape[-1] != k:
        raise ValueError(f"values last axis must have {k} quantiles, got shape {values.shape}")
    return k // 2


def nonconformity(y: FloatArray, levels: FloatArray, values: FloatArray) -> FloatArray:
    """Smallest widening factor that covers each truth, per central interval.

    Args:
        y: observed values, shape (n,).
        levels: symmetric quantile levels with 0.5, shape (k,), k = 2K + 1.
        values: predicted quantiles, shape (n, k).

    Returns:
        Scores of shape (n, K); column j belongs to the interval ``[levels[j], levels[-1-j]]``.
    """
    n_int = _check(levels, values)
    if y.shape != (values.shape[0],) or values.ndim != 2:
        raise ValueError(f"shape mismatch: y {y.shape}, values {values.shape}")
    median = values[:, n_int : n_int + 1]
    gap = (y - values[:, n_int])[:, None]
    half = np.where(gap > 0, values[:, -1 : -n_int - 1 : -1] - median, median - values[:, :n_int])
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(gap == 0, 0.0, np.abs(gap) / np.maximum(half, 0.0))
    result: FloatArray = np.where(np.isnan(scores), np.inf, scores)
    return result


def widening_factors(
    y: FloatArray,
    levels: FloatArray,
    values: FloatArray,
    *,
    min_factor: float = 1.0,
    max_factor: float = 10.0,
    min_rows: int = 0,
) -> FloatArray:
    """Split-conformal widening factor for each central interval.

    Args:
        y: observed values of past forecasts (one horizon), shape (n,).
        levels: symmetric quantile levels with 0.5, shape (k,), k = 2K + 1.
        values: the past forecasts' quantiles, shape (n, k).
        min_factor: lower clip (1 = widen only).
        max_factor: upper clip, also used when n is too small for a level.
        min_rows: fewer past forecasts than this give factors 1.

    Returns:
        Factors of shape (K,), column order as in ``nonconformity``; all 1 when n = 0 or
        n < ``min_rows``.
    """
    if not 0.0 <= min_factor <= max_factor:
        raise ValueError(f"need 0 <= min_factor <= max_factor, got {min_factor}, {max_factor}")
    scores = np.sort(nonconformity(y, levels, values), axis=0)
    n, n_int = scores.shape
    if n == 0 or n < min_rows:
        return np.ones(n_int)
    factors = np.empty(n_int)
    for j in range(n_int):
        nominal = 1.0 - 2.0 * float(levels[j])
        rank = math.ceil((n + 1) * nominal - 1e-9)
        # Nudged up by 1e-12 relative so that, after rounding, the widened interval still
        # contains the past outcome that set the factor.
        factors[j] = scores[rank - 1, j] * (1 + 1e-12) if rank <= n else math.inf
    result: FloatArray = np.clip(np.nan_to_num(factors, posinf=max_factor), min_factor, max_factor)
    return result


def widening_factors_by_horizon(
    horizon: IntArray,
    y: FloatArray,
    levels: FloatArray,
    values: FloatArray,
    n_horizons: int,
    *,
    min_factor: float = 1.0,
    max_factor: float = 10.0,
    min_rows: int = 0,
) -> FloatArray:
    """``widening_factors`` for each horizon 1..H separately.

    Args:
        horizon: horizon of each past forecast (1-based), shape (n,).
        y: observed values, shape (n,).
        levels: symmetric quantile levels with 0.5, shape (k,).
        values: past forecasts' quantiles, shape (n, k).
        n_horizons: H.
        min_factor: lower clip, as in ``widening_factors``.
        max_factor: upper clip, as in ``widening_factors``.
        min_rows: as in ``widening_factors``, per horizon.

    Returns:
        Factors of shape (H, K); a horizon without past forecasts gets factors 1.
    """
    if horizon.shape != y.shape:
        raise ValueError(f"shape mismatch: horizon {horizon.shape}, y {y.shape}")
    rows = [
        widening_factors(
            y[horizon == h], levels, values[horizon == h], min_factor=min_factor,
            max_factor=max_factor, min_rows=min_rows,
        )
        for h in range(1, n_horizons + 1)
    ]  # fmt: skip
    return np.stack(rows) if rows else np.ones((0, levels.size // 2))


def recalibration_factors(
    horizon: IntArray,
    y: FloatArray,
    levels: FloatArray,
    values: FloatArray,
    n_horizons: int,
    min_rows: int = MIN_ROWS,
) -> FloatArray:
    """``CALIBRATION_VERSION``'s factors (H, K) from the past forecasts of its lookback
    window (the caller selects them): widen or narrow, clipped, ``min_rows`` per horizon."""
    return widening_factors_by_horizon(
        horizon,
        y,
        levels,
        values,
        n_horizons,
        min_factor=MIN_FACTOR,
        max_factor=MAX_FACTOR,
        min_rows=min_rows,
    )


def apply_widening(
    levels: FloatArray, values: FloatArray, factor: float | FloatArray, *, floor: float = 0.0
) -> FloatArray:
    """Widen central intervals around the median; keeps quantiles non-decreasing.

    Args:
        levels: symmetric quantile levels with 0.5, shape (k,), k = 2K + 1.
        values: quantiles, shape (..., k).
        factor: one factor, or one per interval, shape (K,) (order as in ``nonconformity``).
        floor: lower bound for the result (0 for counts; ``-inf`` for none).

    Returns:
        Widened quantiles, same shape as ``values`` (a new array).
    """
    n_int = _check(levels, values)
    factors = np.broadcast_to(np.asarray(factor, dtype=np.float64), (n_int,))
    if np.any(factors < 0):
        raise ValueError(f"factors must be >= 0, got {factors}")
    per_level = np.concatenate([factors, [1.0], factors[::-1]])
    median = values[..., n_int : n_int + 1]
    widened = median + per_level * (values - median)
    # Nest the intervals: an outer end is at least as far out as every inner one. This
    # keeps each interval's own widening (and coverage) and only widens outer ones.
    lower = np.minimum.accumulate(widened[..., n_int - 1 :: -1], axis=-1)[..., ::-1]
    upper = np.maximum.accumulate(widened[..., n_int + 1 :], axis=-1)
    nested = np.concatenate([lower, median, upper], axis=-1)
    result: FloatArray = np.maximum(np.sort(nested, axis=-1), floor)
    return result
