"""Region and observation read use cases: lookup with suggestions, as-of series, cleaning."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy.orm import Session

from app.core.cleaning import CleanedSeries, clean_cumulative
from app.core.types import FloatArray
from app.db.models import Region, Release
from app.db.observations import ObservationRepository
from app.db.repositories import RegionRepository, ReleaseRepository
from app.errors import FieldProblem, invalid_input, no_release, problem, unknown_region


def find_region(session: Session, code: str) -> Region:
    """Resolve a code or alias, or raise 404 with suggestions."""
    regions = RegionRepository(session)
    region = regions.resolve(code)
    if region is None:
        hints = regions.suggestions(code)
        more = f"; did you mean {', '.join(hints)}?" if hints else ""
        raise unknown_region(f"unknown region {code!r}{more}", hints)
    return region


def list_regions(
    session: Session,
    level: str | None,
    parent: str | None,
    text: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Region], int]:
    """A page of regions filtered by level, parent code and a search text, and the total."""
    return RegionRepository(session).search(level, parent, text, limit, offset)


def region_by_code(session: Session, code: str) -> Region | None:
    """The region with exactly this code (no aliases), if any."""
    return RegionRepository(session).get_by_code(code)


def last_observed(session: Session, region: Region, series: str) -> date | None:
    """The last day with a stored value of ``series`` for the region."""
    return ObservationRepository(session).last_date(region.id, series)


def last_observed_all(session: Session, series: str) -> dict[int, date]:
    """Region id -> the last day with a stored value of ``series``."""
    return ObservationRepository(session).last_dates(series)


def resolve_as_of(session: Session, as_of: str | None) -> Release | None:
    """``as_of`` is a release id (``12``) or a date (``2020-06-01``); None means the latest."""
    if as_of is None:
        return None
    releases = ReleaseRepository(session)
    if re.fullmatch(r"\d{1,9}", as_of):
        release = releases.get(int(as_of))
        if release is None:
            raise no_release(f"no release {as_of}", field="as_of")
        return release
    try:
        day = date.fromisoformat(as_of)
    except ValueError as exc:
        raise invalid_input(
            f"as_of must be a release id or a date YYYY-MM-DD, got {as_of!r}",
            [FieldProblem("bad value", field="as_of")],
        ) from exc
    release = releases.latest_on_or_before(day)
    if release is None:
        raise no_release(f"no data release was available on {day}", field="as_of")
    return release


@dataclass(frozen=True, slots=True)
class ObservedSeries:
    """A region's cumulative series as of a release, daily and contiguous, with cleaning."""

    region: Region
    series: str
    release: Release | None
    dates: list[date]
    cumulative: FloatArray
    cleaned: CleanedSeries


def _contiguous(days: list[date], values: FloatArray) -> tuple[list[date], FloatArray]:
    """Fill missing days by carrying the last cumulative value forward."""
    if not days:
        return [], np.empty(0)
    n = (days[-1] - days[0]).days + 1
    full = [days[0] + timedelta(i) for i in range(n)]
    out = np.full(n, np.nan)
    out[[(d - days[0]).days for d in days]] = values
    for i in range(1, n):
        if np.isnan(out[i]):
            out[i] = out[i - 1]
    return full, out


def contiguous_series(
    session: Session, region: Region, series: str, release: Release | None
) -> tuple[list[date], FloatArray]:
    """A region's cumulative series as of a release, one value per day (gaps carried)."""
    days, values = ObservationRepository(session).series_as_of(
        region.id, series, release.id if release else None
    )
    return _contiguous(days, values)


def observed_series(
    session: Session, region: Region, series: str, release: Release | None
) -> ObservedSeries:
    full, cumulative = contiguous_series(session, region, series, release)
    return ObservedSeries(region, series, release, full, cumulative, clean_cumulative(cumulative))


def check_range(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise problem(
            "invalid-request",
            f"end {end} is before start {start}",
            [FieldProblem("end before start", field="end")],
        )
