"""Forecast-level combination and recalibration (the learning ensemble's last two steps).

``combine_forecasts`` averages the components' ``Forecast``s target by target
(``app.core.ensemble.combine_log_quantiles``: the weighted geometric quantile average; the
means the weighted average of theirs); ``recalibrated`` widens or narrows every death
target's central intervals by the factors learned from past coverage
(``app.core.calibration``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from app.core.calibration import apply_widening
from app.core.ensemble import combine_log_quantiles
from app.core.seir import Forecast
from app.core.types import FloatArray


def combine_forecasts(
    version: str, parts: dict[str, Forecast], weights: dict[str, float], latent_from: str
) -> Forecast:
    """The weighted geometric quantile average of every death target (the weighted average of
    the means); infections and R (and the case signal) are ``latent_from``'s."""
    names = [c for c in parts if weights.get(c, 0.0) > 0]
    w = np.array([weights[c] for c in names])
    w = w / w.sum()

    def quantiles(target: str) -> FloatArray:
        return combine_log_quantiles(np.stack([getattr(parts[c], target) for c in names]), w)

    def mean(target: str) -> FloatArray:
        means: FloatArray = np.tensordot(w, np.stack([getattr(parts[c], target) for c in names]), 1)
        return means

    return replace(
        parts[latent_from],
        model_version=version,
        daily_deaths=quantiles("daily_deaths"),
        daily_deaths_mean=mean("daily_deaths_mean"),
        cumulative_deaths=quantiles("cumulative_deaths"),
        cumulative_deaths_mean=mean("cumulative_deaths_mean"),
        weekly_deaths=quantiles("weekly_deaths"),
        weekly_deaths_mean=mean("weekly_deaths_mean"),
        weekly_cumulative_deaths=quantiles("weekly_cumulative_deaths"),
        weekly_cumulative_deaths_mean=mean("weekly_cumulative_deaths_mean"),
    )


def recalibrated(prediction: Forecast, factors: FloatArray, last_cumulative: float) -> Forecast:
    """Every death target's intervals widened or narrowed by its week's factors (days take
    their epiweek's; cumulative targets never fall below the deaths already reported)."""
    if factors.size == 0 or np.all(factors == 1.0):
        return prediction
    levels = prediction.quantile_levels
    n_weeks = len(prediction.week_end_dates)
    rows = np.minimum(np.arange(n_weeks), factors.shape[0] - 1)
    week_of_day = np.searchsorted(np.array(prediction.week_end_dates), np.array(prediction.dates))
    day_rows = rows[np.minimum(week_of_day, n_weeks - 1)]

    def widen(values: FloatArray, which: np.ndarray, floor: float) -> FloatArray:
        out = np.array(values, copy=True)
        for i, row in enumerate(which):
            out[i] = apply_widening(levels, values[i], factors[row], floor=floor)
        return out

    return replace(
        prediction,
        daily_deaths=widen(prediction.daily_deaths, day_rows, 0.0),
        cumulative_deaths=widen(prediction.cumulative_deaths, day_rows, last_cumulative),
        weekly_deaths=widen(prediction.weekly_deaths, rows, 0.0),
        weekly_cumulative_deaths=widen(prediction.weekly_cumulative_deaths, rows, last_cumulative),
    )
