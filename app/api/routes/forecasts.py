"""The client's named endpoint: GET /forecast?region=&date=."""

import threading
from collections import OrderedDict, defaultdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import SessionDep
from app.api.errors import problem_responses
from app.api.forecast_schemas import (
    DayForecast,
    Distribution,
    ForecastRead,
    Provenance,
    WeekForecast,
)
from app.db.models import ForecastRow
from app.services.forecasts import LEVELS, ForecastView, forecast_view, resolve_fit

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
        DayForecast(date=d, incident=distribution(r), cumulative=distribution(by["cum_day"][d]))
        for d, r in sorted(by["inc_day"].items())
    ]
    weeks = [
        WeekForecast(
            week_end=d, incident=distribution(r), cumulative=distribution(by["cum_week"][d])
        )
        for d, r in sorted(by["inc_week"].items())
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


class ResponseCache:
    """Rendered forecast bodies by (fit id, date): a fit's forecasts never change."""

    def __init__(self, size: int = 4096) -> None:
        self.size, self.items = size, OrderedDict[tuple[int, date | None], bytes]()
        self.lock = threading.Lock()

    def get(self, key: tuple[int, date | None]) -> bytes | None:
        with self.lock:
            body = self.items.get(key)
            if body is not None:
                self.items.move_to_end(key)
            return body

    def put(self, key: tuple[int, date | None], body: bytes) -> None:
        with self.lock:
            self.items[key] = body
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def _cache(request: Request) -> ResponseCache:
    """One cache per application (fit ids are only unique within one database)."""
    state = request.app.state
    if not hasattr(state, "forecast_cache"):
        state.forecast_cache = ResponseCache()
    cache: ResponseCache = state.forecast_cache
    return cache


@router.get(
    "/forecast",
    response_model=ForecastRead,
    responses={**problem_responses(404, 422), 304: {"description": "not modified (If-None-Match)"}},
)
def read_forecast(
    request: Request,
    session: SessionDep,
    region: Annotated[str, Query(description="code or alias: US-NY, NY, New York, 36")],
    date: Annotated[
        date | None, Query(description="target day; omitted: the whole horizon")
    ] = None,
    as_of: Annotated[str | None, Query(description="release id or date: the fit made then")] = None,
    fit_id: Annotated[int | None, Query(ge=1, description="a specific fit")] = None,
) -> Response:
    """Deaths forecast for a region: the day's incident and cumulative deaths and its epiweek."""
    place, fit = resolve_fit(session, region, as_of, fit_id)
    etag = f'"fit-{fit.id}-{date.isoformat() if date else "all"}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    cache = _cache(request)
    body = cache.get((fit.id, date))
    if body is None:
        body = forecast_read(forecast_view(session, place, fit, date)).model_dump_json().encode()
        cache.put((fit.id, date), body)
    return Response(body, media_type="application/json", headers=headers)
