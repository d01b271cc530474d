"""The client's named endpoint: GET /forecast?region=&date=."""

from collections import defaultdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app.api.deps import DB_INT_MAX
from app.api.errors import problem_responses
from app.api.forecast_cache import forecast_cache
from app.api.forecast_schemas import (
    DayForecast,
    Distribution,
    ForecastRead,
    Provenance,
    WeekForecast,
)
from app.core.targets import Target
from app.db.models import ForecastRow
from app.db.session import unit_of_work
from app.services.forecasts import (
    LEVELS,
    ForecastView,
    forecast_view,
    published_fit_id,
    resolve_fit,
)

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


def _render(
    request: Request, region: str, day: date | None, as_of: str | None, fit_id: int | None
) -> tuple[int, bytes]:
    """(fit id, rendered body) from the database; runs in the thread pool."""
    cache = forecast_cache(request)
    with unit_of_work(request.app.state.session_factory) as session:
        published = None if as_of or fit_id else published_fit_id(session, region)
        body = cache.body((published, day)) if published else None
        if published is None or body is None:
            place, fit = resolve_fit(session, region, as_of, fit_id)
            published = fit.id
            body = cache.body((fit.id, day))
            if body is None:
                view = forecast_view(session, place, fit, day)
                body = forecast_read(view).model_dump_json().encode()
                cache.put_body((fit.id, day), body)
    if as_of is None and fit_id is None:
        cache.remember_published(region, day, published)
    return published, body


@router.get(
    "/forecast",
    response_model=ForecastRead,
    responses={**problem_responses(404, 422), 304: {"description": "not modified (If-None-Match)"}},
)
async def read_forecast(
    request: Request,
    region: Annotated[str, Query(description="code or alias: US-NY, NY, New York, 36")],
    date: Annotated[
        date | None, Query(description="target day; omitted: the whole horizon")
    ] = None,
    as_of: Annotated[str | None, Query(description="release id or date: the fit made then")] = None,
    fit_id: Annotated[int | None, Query(ge=1, le=DB_INT_MAX, description="a specific fit")] = None,
) -> Response:
    """Deaths forecast for a region: the day's incident and cumulative deaths and its epiweek."""
    hit = None if as_of or fit_id else forecast_cache(request).published_body(region, date)
    if hit is None:  # database work happens in the thread pool, never on the event loop
        hit = await run_in_threadpool(_render, request, region, date, as_of, fit_id)
    served, body = hit
    etag = f'"fit-{served}-{date.isoformat() if date else "all"}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
