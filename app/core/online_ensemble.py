"""Weights and interval factors learned online from an ensemble's own past forecasts.

``seircast-ensemble.5`` (``app.core.learned_model``) stores every component's weekly
quantiles with each fit. At the next forecast date D the service gathers those past
forecasts whose target epiweek ended before D, with the weekly deaths as reported by D (the
data the new fit sees: nothing reported after D is read), pooled over all regions; that is a
``PastForecasts``. From it, ``plan`` derives:

* **weights** (``learn_weights``): the weights on the simplex that minimise the past rows'
  mean quantile loss (the sum of pinball losses over the levels, WIS up to a constant) of the
  weighted geometric quantile average (``app.core.ensemble.combine_log_quantiles``, the
  combination the forecasts use), each row's loss relative to its level so that the US does
  not outweigh its states (stacking, as the Forecast Hub's trained ensembles; on the log
  scale the loss is not convex in the weights, so this is SLSQP's minimum from equal
  weights), shrunk towards the prior weights by ``n / (n + shrink_rows)`` for n scored rows
  (the prior alone below ``min_rows``), so a few weeks of luck cannot hand one component the
  whole forecast;
* **interval factors** (``app.core.calibration``, ``conformal-widening-2``): the past rows
  combined with today's weights, their realised coverage per horizon gives one factor per
  central interval, widening or narrowing it around the median; a horizon with fewer than
  ``min_calibration_rows`` rows takes the factors of the horizon before it (factor 1 when
  none has enough).

All arrays are float64. Quantiles have shape (n_components, n_rows, n_levels).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

from app.core.calibration import recalibration_factors
from app.core.ensemble import LOG_OFFSET, combine_log_quantiles, log_counts
from app.core.types import FloatArray, IntArray

LEVEL_FLOOR = 10.0  # deaths a week added to a row's level before dividing its loss by it


@dataclass(frozen=True, slots=True)
class PastForecasts:
    """Past weekly forecasts of every component with the truth known at the forecast date.

    Attributes:
        components: Component names, the first axis of ``quantiles``.
        levels: Float (k,), symmetric quantile levels with 0.5.
        horizon: Int (n,), 1-based weeks ahead of each row.
        truth: Float (n,), the row's weekly deaths as reported by the forecast date.
        quantiles: Float (n_components, n, k), non-decreasing along the last axis.
    """

    components: tuple[str, ...]
    levels: FloatArray
    horizon: IntArray
    truth: FloatArray
    quantiles: FloatArray

    def __post_init__(self) -> None:
        n = self.truth.shape[0] if self.truth.ndim == 1 else -1
        shape = (len(self.components), n, self.levels.size)
        if n < 0 or self.horizon.shape != (n,) or self.quantiles.shape != shape:
            raise ValueError(
                f"need horizon and truth (n,) and quantiles {shape}, got {self.horizon.shape}, "
                f"{self.truth.shape}, {self.quantiles.shape}"
            )
        if n and (np.any(self.horizon < 1) or not np.all(np.isfinite(self.truth))):
            raise ValueError("horizons must be >= 1 and truths finite")

    @property
    def rows(self) -> int:
        return int(self.truth.size)

    @classmethod
    def empty(cls, components: tuple[str, ...], levels: FloatArray) -> PastForecasts:
        k = levels.size
        return cls(
            components,
            levels,
            np.zeros(0, np.int64),
            np.zeros(0),
            np.zeros((len(components), 0, k)),
        )


@dataclass(frozen=True, slots=True)
class OnlineSettings:
    """How the weights and factors are learned (chosen on the development windows,
    docs/MODEL.md).

    Attributes:
        prior: Component -> prior weight (non-negative, summing to 1).
        min_rows: Fewer scored rows than this: the prior weights alone.
        shrink_rows: The learned weights count ``n / (n + shrink_rows)``.
        calibrate: Learn interval factors (False: factors 1).
        min_calibration_rows: Past rows a horizon needs for its own factors.
        lookback_weeks: Past forecast dates used: those of the weeks before D.
        max_horizon: Past rows up to this many weeks ahead are scored.
    """

    prior: Mapping[str, float] = field(default_factory=dict)
    min_rows: int = 50
    shrink_rows: int = 1600
    calibrate: bool = True
    min_calibration_rows: int = 100
    lookback_weeks: int = 6
    max_horizon: int = 4

    def __post_init__(self) -> None:
        values = np.array(list(self.prior.values()), dtype=np.float64)
        if values.size == 0 or np.any(values < 0) or not np.isclose(values.sum(), 1.0):
            raise ValueError(f"prior weights must be non-negative and sum to 1, got {self.prior}")
        if self.min_rows < 0 or self.shrink_rows < 0:
            raise ValueError("min_rows and shrink_rows must be >= 0")


@dataclass(frozen=True, slots=True)
class Plan:
    """What a forecast date's ensemble uses: weights, factors (H, K) and the rows behind them."""

    weights: dict[str, float]
    factors: FloatArray
    rows: int


def learn_weights(past: PastForecasts, settings: OnlineSettings) -> dict[str, float]:
    """The components' stacking weights on the past rows, shrunk towards the prior."""
    prior = np.array([settings.prior[c] for c in past.components], dtype=np.float64)
    n = past.rows
    if n < max(settings.min_rows, 1):
        return _named(past.components, prior)
    share = n / (n + settings.shrink_rows)
    return _named(past.components, share * stacking_weights(past) + (1.0 - share) * prior)


def stacking_weights(past: PastForecasts) -> FloatArray:
    """Weights (n_components,) on the simplex minimising the mean pinball loss of the
    weighted geometric quantile average over the past rows, each row's loss divided by its
    level (``LEVEL_FLOOR`` + the components' mean median: a country's rows count as much as
    a state's); SLSQP from equal weights with the analytic gradient."""
    q, y, tau = past.quantiles, past.truth, past.levels
    n_comp = q.shape[0]
    scale = 1.0 / (LEVEL_FLOOR + np.abs(q[:, :, tau.size // 2]).mean(axis=0))[:, None]
    logs = log_counts(q)

    def loss(w: FloatArray) -> tuple[float, FloatArray]:
        shifted = np.exp(np.tensordot(w, logs, axes=1))  # combined quantile + LOG_OFFSET
        miss = y[:, None] + LOG_OFFSET - shifted
        below = ((miss < 0).astype(np.float64) - tau) * scale  # d loss / d quantile
        grad = np.tensordot(logs, below * shifted, axes=([1, 2], [0, 1])) / below.size
        return float((np.maximum(tau * miss, (tau - 1.0) * miss) * scale).mean()), grad

    result = minimize(
        loss,
        np.full(n_comp, 1.0 / n_comp),
        jac=True,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * n_comp,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0}],
    )
    weights: FloatArray = np.clip(np.asarray(result.x, dtype=np.float64), 0.0, None)
    normalised: FloatArray = weights / weights.sum()
    return normalised


def _named(components: tuple[str, ...], weights: FloatArray) -> dict[str, float]:
    total = float(weights.sum())
    return {c: round(float(w) / total, 12) for c, w in zip(components, weights, strict=True)}


def interval_factors(
    past: PastForecasts, weights: Mapping[str, float], n_horizons: int, min_rows: int
) -> FloatArray:
    """Factors (n_horizons, K) of the past rows combined with ``weights``; a horizon with too
    few rows takes the previous horizon's factors."""
    w = np.array([weights[c] for c in past.components], dtype=np.float64)
    n_int = past.levels.size // 2
    if past.rows == 0 or n_horizons == 0:
        return np.ones((n_horizons, n_int))
    combined = combine_log_quantiles(past.quantiles, w / w.sum())
    factors = recalibration_factors(
        past.horizon, past.truth, past.levels, combined, n_horizons, min_rows=min_rows
    )
    counts = np.bincount(past.horizon, minlength=n_horizons + 1)[1 : n_horizons + 1]
    for h in range(1, n_horizons):
        if counts[h] < min_rows:
            factors[h] = factors[h - 1]
    return factors


def plan(past: PastForecasts, settings: OnlineSettings, n_horizons: int) -> Plan:
    """Weights and interval factors for ``n_horizons`` weeks from ``past``."""
    weights = learn_weights(past, settings)
    if settings.calibrate:
        factors = interval_factors(past, weights, n_horizons, settings.min_calibration_rows)
    else:
        factors = np.ones((n_horizons, past.levels.size // 2))
    return Plan(weights, factors, past.rows)
