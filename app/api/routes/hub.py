"""Forecast Hub exchange: import other models, export ours, run backtests."""

from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from app.api.deps import ApiKeyDep, SessionDep, SettingsDep
from app.api.errors import problem_responses
from app.api.eval_schemas import BacktestCreate, ImportRead
from app.api.examples import HUB_CSV
from app.api.job_schemas import JobRead
from app.api.routes.jobs import job_read
from app.api.types import rounded
from app.core.hubformat import write_hub_csv
from app.errors import too_large
from app.services.backtest import BacktestRequest, enqueue_backtest
from app.services.hubexport import fits_on, hub_rows
from app.services.imports import import_and_score

router = APIRouter(tags=["evaluations"])


@router.post(
    "/external-forecasts",
    response_model=ImportRead,
    status_code=201,
    dependencies=[ApiKeyDep],
    responses=problem_responses(401, 413, 422),
)
def upload_external_forecasts(
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="Forecast Hub CSV (or viz extract), gzip ok")],
    model: Annotated[str, Form(description="the model's name", examples=["COVIDhub-ensemble"])],
) -> ImportRead:
    """Import another model's forecasts; its forecast dates in the file are replaced."""
    data = file.file.read(settings.MAX_UPLOAD_BYTES + 1)
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise too_large(f"the upload exceeds the limit of {settings.MAX_UPLOAD_BYTES:,} bytes")
    imported = import_and_score(session, model, data)
    result = imported.result
    return ImportRead(
        model=result.model,
        forecast_dates=result.forecast_dates,
        forecasts=result.forecasts,
        rows=result.rows,
        date_column=result.date_column,
        scored=imported.scored,
    )


@router.get(
    "/forecasts/hub.csv",
    response_class=Response,
    responses={
        **problem_responses(404, 422),
        200: {"content": {"text/csv": {"example": HUB_CSV}}, "description": "Forecast Hub CSV"},
    },
)
def export_hub_csv(
    session: SessionDep,
    forecast_date: Annotated[date, Query(description="the date the forecasts were made")],
) -> Response:
    """Our forecasts made on a date (live or backtest) as Forecast Hub CSV."""
    rows = hub_rows(session, fits_on(session, forecast_date))
    text = write_hub_csv(replace(row, value=rounded(row.value)) for row in rows)
    name = f"{forecast_date.isoformat()}-seircast.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(text, media_type="text/csv", headers=headers)


@router.post(
    "/backtests",
    response_model=JobRead,
    status_code=202,
    dependencies=[ApiKeyDep],
    responses=problem_responses(401, 404, 422),
)
def create_backtest(
    body: BacktestCreate, session: SessionDep, settings: SettingsDep, response: Response
) -> JobRead:
    """Backtest fits in the background; 202 with the job (Location: /jobs/{id})."""
    request = BacktestRequest(
        body.forecast_dates, body.regions, body.model, body.seed, body.calibration
    )
    job = enqueue_backtest(session, request, settings.JOB_MAX_ATTEMPTS)
    response.headers["Location"] = f"/jobs/{job.id}"
    return job_read(job)
