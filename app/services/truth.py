"""Weekly truth for scoring: imported truth files first, then the stored observations.

From observations (deaths, cumulative) as of a release: the cumulative deaths of an epiweek
are the value on its Saturday (the last value on or before it, carried forward), the incident
deaths are that minus the value on the previous Saturday. A week is known only when the
series reaches its Saturday (and, for incident deaths, starts by the previous Saturday or
starts at 0).
"""

from datetime import date, timedelta

import numpy as np
from sqlalchemy.orm import Session

from app.core.targets import Target
from app.core.types import FloatArray
from app.db.evaluations import TruthRepository
from app.db.observations import ObservationRepository
from app.db.repositories import ReleaseRepository

SERIES = "deaths"
WEEK = timedelta(days=7)


class DailySeries:
    """A region's cumulative deaths, daily dates sorted; lookups carry the last value forward."""

    def __init__(self, days: list[date], values: FloatArray) -> None:
        self.ordinals = np.array([d.toordinal() for d in days], dtype=np.int64)
        self.values = values

    def cumulative(self, day: date) -> float | None:
        """Value on ``day`` (or the last before it); None before the first or after the last."""
        if self.ordinals.size == 0 or not self.ordinals[0] <= day.toordinal() <= self.ordinals[-1]:
            return None
        return float(self.values[np.searchsorted(self.ordinals, day.toordinal(), "right") - 1])

    def weekly_incident(self, saturday: date) -> float | None:
        now = self.cumulative(saturday)
        if now is None:
            return None
        before = self.cumulative(saturday - WEEK)
        if before is None:
            return now if self.values[0] == 0 else None
        return now - before

    def truncated(self, before: date) -> "DailySeries":
        """Only the days strictly before ``before`` (data known on that date)."""
        keep = int(np.searchsorted(self.ordinals, before.toordinal(), "left"))
        out = DailySeries([], self.values[:keep])
        out.ordinals = self.ordinals[:keep]
        return out

    def weekly_history(self, last_saturday: date, first: date = date(2020, 1, 25)) -> FloatArray:
        """Weekly incident deaths, weeks ending ``first`` .. ``last_saturday`` (unknown: 0)."""
        weeks = (last_saturday - first).days // 7 + 1
        values = [self.weekly_incident(first + i * WEEK) for i in range(max(weeks, 0))]
        return np.array([v if v is not None else 0.0 for v in values], dtype=np.float64)


class Truth:
    """Truth lookups with per-region caches; ``release_id`` None means the latest data."""

    def __init__(self, session: Session, release_id: int | None = None) -> None:
        self.observations = ObservationRepository(session)
        self.release_id = release_id
        self.imported = TruthRepository(session).weekly()
        self._series: dict[int, DailySeries] = {}
        latest = ReleaseRepository(session).latest()
        shown = release_id if release_id is not None else (latest.id if latest else 0)
        self.label = f"observations@release:{shown}"

    def series(self, region_id: int) -> DailySeries:
        if region_id not in self._series:
            days, values = self.observations.series_as_of(region_id, SERIES, self.release_id)
            self._series[region_id] = DailySeries(days, values)
        return self._series[region_id]

    def value(self, region_id: int, target: str, saturday: date) -> tuple[float, str] | None:
        """(truth, source) of a weekly target (``inc_week`` / ``cum_week``), None if unknown."""
        if target == Target.INC_WEEK:
            found = self.imported.get((region_id, saturday))
            if found is not None:
                return found
            inc = self.series(region_id).weekly_incident(saturday)
            return None if inc is None else (inc, self.label)
        cum = self.series(region_id).cumulative(saturday)
        return None if cum is None else (cum, self.label)

    def last_date(self) -> date:
        """The last day any truth is known for (no forecast ending later can be scored)."""
        days = [d for _, d in self.imported] + list(self.observations.last_dates(SERIES).values())
        return max(days, default=date.min)
