"""Regions and their observed series."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from app.api.deps import Offset, SessionDep
from app.api.errors import problem_responses
from app.api.schemas import (
    Flag,
    ObservationPoint,
    ObservationsRead,
    RegionDetail,
    RegionPage,
    RegionRead,
)
from app.services import regions as service

router = APIRouter(prefix="/regions", tags=["regions"])
Level = Literal["country", "state", "county", "other"]
Code = Annotated[str, Path(description="code or alias: US-NY, NY, New York, 36, FR")]


@router.get("", response_model=RegionPage, responses=problem_responses(422))
def list_regions(
    session: SessionDep,
    level: Annotated[Level | None, Query(description="country, state, county or other")] = None,
    parent: Annotated[str | None, Query(description="parent code, e.g. US")] = None,
    q: Annotated[str | None, Query(description="search in names and codes", max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="regions per page")] = 100,
    offset: Offset = 0,
) -> RegionPage:
    """List regions, filtered by level, parent and a search text."""
    rows, total = service.list_regions(session, level, parent, q, limit, offset)
    items = [RegionRead.model_validate(r) for r in rows]
    return RegionPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/{code}", response_model=RegionDetail, responses=problem_responses(404))
def get_region(code: Code, session: SessionDep) -> RegionDetail:
    """One region by code or alias (``US-NY``, ``NY``, ``New York``, ``36``)."""
    region = service.find_region(session, code)
    last = service.last_observed(session, region, "deaths")
    base = RegionRead.model_validate(region).model_dump()
    return RegionDetail(**base, last_date=last)


@router.get(
    "/{code}/observations", response_model=ObservationsRead, responses=problem_responses(404, 422)
)
def get_observations(
    code: Code,
    session: SessionDep,
    start: Annotated[date | None, Query(description="first day, YYYY-MM-DD")] = None,
    end: Annotated[date | None, Query(description="last day, YYYY-MM-DD")] = None,
    as_of: Annotated[str | None, Query(description="release id or date YYYY-MM-DD")] = None,
    series: Annotated[
        Literal["raw", "smoothed"], Query(description="daily counts as reported, or smoothed")
    ] = "raw",
    metric: Annotated[Literal["deaths", "cases"], Query(description="the series")] = "deaths",
) -> ObservationsRead:
    """Cumulative and daily counts (raw or smoothed) with data-cleaning flags, as of a release."""
    service.check_range(start, end)
    region = service.find_region(session, code)
    release = service.resolve_as_of(session, as_of)
    obs = service.observed_series(session, region, metric, release)
    daily = obs.cleaned.raw_daily if series == "raw" else obs.cleaned.smoothed_daily
    keep = [
        i for i, d in enumerate(obs.dates) if (not start or d >= start) and (not end or d <= end)
    ]
    points = [
        ObservationPoint(
            date=obs.dates[i], cumulative=float(obs.cumulative[i]), daily=float(daily[i])
        )
        for i in keep
    ]
    kept = set(keep)
    flags = [
        Flag(date=obs.dates[f.index], kind=f.kind, reason=f.reason)
        for f in obs.cleaned.flags
        if f.index in kept
    ]
    return ObservationsRead(
        region=region.code,
        metric=metric,
        series=series,
        as_of_release=release.id if release else None,
        points=points,
        flags=flags,
    )
