"""Daily sample paths from a model of weekly deaths (the hub baseline, the ETS model).

A weekly model sees the complete epiweeks (Sunday-Saturday) of the reported deaths before
the forecast date D and forecasts whole epiweeks, 1 .. H ahead, the first being the epiweek
that contains D. Its days before D are already reported (``partial_days`` of them, 0 on a
Sunday), so:

* ``complete_weeks``: the weekly sums of the complete epiweeks, the number of days of D's
  epiweek already reported and their deaths;
* ``weeks_ahead``: how many epiweeks the horizon touches;
* ``spread_weeks``: each weekly sample, less the deaths already reported in D's epiweek
  (at 0 at least), spread evenly over that epiweek's days still to come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from app.core.epiweeks import epiweek_end
from app.core.seir.forecast import History
from app.core.types import FloatArray

WEEK = 7


@dataclass(frozen=True, slots=True)
class CompleteWeeks:
    """The reported deaths before the forecast date, by epiweek.

    Attributes:
        weekly: Float (n_weeks,), deaths of each complete epiweek, oldest first, ending with
            the epiweek of the Saturday before the forecast date (untrimmed).
        partial_days: Days of the forecast date's epiweek already reported (0 .. 6).
        observed: Deaths reported on those days (0.0 if there are none).
    """

    weekly: FloatArray
    partial_days: int
    observed: float


def complete_weeks(history: History, forecast_date: date) -> CompleteWeeks:
    """Split ``history.reported_daily`` (its last day is D - 1) into complete epiweeks and
    the reported part of D's epiweek."""
    reported = history.reported_daily
    last_saturday = epiweek_end(forecast_date) - timedelta(days=WEEK)  # the last one before D
    partial = (forecast_date - timedelta(days=1) - last_saturday).days
    n_weeks = (reported.size - partial) // WEEK
    complete = reported[reported.size - partial - WEEK * n_weeks : reported.size - partial]
    weekly: FloatArray = complete.reshape(n_weeks, WEEK).sum(axis=1)
    observed = float(reported[reported.size - partial :].sum()) if partial else 0.0
    return CompleteWeeks(weekly, partial, observed)


def weeks_ahead(partial_days: int, horizon_days: int) -> int:
    """Epiweeks a weekly model forecasts to cover ``horizon_days`` days from D (the last one
    may have no forecast day when the horizon ends on a Saturday)."""
    return (partial_days + horizon_days) // WEEK + 1


def spread_weeks(
    samples: FloatArray, partial_days: int, observed: float, horizon_days: int
) -> FloatArray:
    """Daily paths from weekly samples.

    Args:
        samples: Float (H, n), deaths of the epiweeks 1 .. H ahead (H = ``weeks_ahead``).
        partial_days: Days of D's epiweek already reported (``CompleteWeeks.partial_days``).
        observed: Deaths reported on them; subtracted from the first week's samples.
        horizon_days: Forecast days.

    Returns:
        Float (horizon_days, n), non-negative deaths per day: each week's remaining deaths
        divided evenly over its forecast days.
    """
    paths = np.empty((horizon_days, samples.shape[1]))
    for j in range(samples.shape[0]):
        first = max(WEEK * j - partial_days, 0)
        last = min(WEEK * (j + 1) - partial_days, horizon_days)
        if first >= last:
            continue
        week = samples[j] - (observed if j == 0 else 0.0)
        paths[first:last] = np.maximum(week, 0.0) / (last - first)
    return paths
