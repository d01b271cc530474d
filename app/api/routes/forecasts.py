"""The client's named endpoint: GET /forecast?region=&date=."""

from collections import defaultdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app.api.deps import DB_INT_MAX, ForecastReaderDep
from app.api.errors import problem_responses
from app.api.forecast_schemas import (
    DayForecast,
    Distribution,
    ForecastRead,
    Provenance,
    WeekForecast,
)
from app.core.targets import Target
from app.services.forecasts import LEVELS, ForecastView
from app.services.records import ForecastRow

router = APIRouter(tags=["forecasts"])
_AT = {level: i for i, level in enumerate(LEVELS)}


def distribution(row: ForecastRow) -> Distribution:
    q = row.quantiles
    return Distribution(
        mean=row.mean,
        median=q[_AT[0.5]],
        quantiles=q,
        interval_50=(q[_AT[0.25]], q[_AT[0.75]]),
        interval_95=(q[_AT[0.025]], q[_AT[0.975]]),
    )


def forecast_read(view: ForecastView) -> ForecastRead:
    by: dict[str, dict[date, ForecastRow]] = defaultdict(dict)
    for row in view.rows:
        by[row.target][row.target_date] = row
    days = [
        DayForecast(
            date=d, incident=distribution(r), cumulative=distribution(by[Target.CUM_DAY][d])
        )
        for d, r in sorted(by[Target.INC_DAY].items())
    ]
    weeks = [
        WeekForecast(
            week_end=d, incident=distribution(r), cumulative=distribution(by[Target.CUM_WEEK][d])
        )
        for d, r in sorted(by[Target.INC_WEEK].items())
    ]
    fit = view.fit
    provenance = Provenance(
        fit_id=fit.id,
        model_version=fit.model_version,
        data_release=fit.release_id,
        data_end_date=fit.data_end_date,
        forecast_date=fit.forecast_date,
        grid_hash=fit.grid_hash,
        seed=fit.seed,
        fitted_at=fit.created_at,
    )
    return ForecastRead(
        region=view.region.code,
        region_name=view.region.name,
        valid_range=(view.first_date, view.last_date),
        quantile_levels=list(LEVELS),
        provenance=provenance,
        days=days,
        weeks=weeks,
    )


def render(view: ForecastView) -> bytes:
    """The response body of a forecast view (the reader caches it per fit and day)."""
    return forecast_read(view).model_dump_json().encode()


@router.get(
    "/forecast",
    response_model=ForecastRead,
    responses={**problem_responses(404, 422), 304: {"description": "not modified (If-None-Match)"}},
)
async def read_forecast(
    request: Request,
    reader: ForecastReaderDep,
    region: Annotated[str, Query(description="code or alias: US-NY, NY, New York, 36")],
    date: Annotated[
        date | None, Query(description="target day; omitted: the whole horizon")
    ] = None,
    as_of: Annotated[str | None, Query(description="release id or date: the fit made then")] = None,
    fit_id: Annotated[int | None, Query(ge=1, le=DB_INT_MAX, description="a specific fit")] = None,
) -> Response:
    """Deaths forecast for a region: the day's incident and cumulative deaths and its epiweek."""
    hit = None if as_of or fit_id else reader.cached(region, date)
    if hit is None:  # database work happens in the thread pool, never on the event loop
        hit = await run_in_threadpool(reader.read, region, date, as_of, fit_id, render)
    served, body = hit
    etag = f'"fit-{served}-{date.isoformat() if date else "all"}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
