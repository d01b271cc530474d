"""Data ingestion: file uploads and URLs. Each successful ingest is one release."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile, status

from app.api.deps import ApiKeyDep, SessionDep, SettingsDep
from app.api.errors import problem_responses
from app.api.schemas import IngestRead, IngestUrlCreate, ReleaseRead
from app.errors import too_large
from app.ingest.sniff import FileFormat, Series
from app.services.fetch import FetchLimits, fetch
from app.services.ingest import IngestResult, ingest_file

router = APIRouter(tags=["ingest"], dependencies=[ApiKeyDep])
ERRORS = problem_responses(401, 413, 422)


def _answer(result: IngestResult, response: Response) -> IngestRead:
    response.status_code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
    return IngestRead(
        created=result.created,
        message=result.message,
        release=ReleaseRead.model_validate(result.release),
    )


@router.post("/observations", response_model=IngestRead, status_code=201, responses=ERRORS)
def upload_observations(
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    file: Annotated[UploadFile, File(description="CSSE US/global wide CSV or long CSV, gzip ok")],
    format: Annotated[
        FileFormat, Form(description="auto: sniffed from the header", examples=["auto"])
    ] = FileFormat.AUTO,
    series: Annotated[
        Series | None, Form(description="deaths or cases, for wide files", examples=["deaths"])
    ] = None,
    vintage_date: Annotated[
        date | None, Form(description="date the data was published", examples=["2023-03-10"])
    ] = None,
) -> IngestRead:
    """Upload a data file; 201 with the new release, 200 if nothing changed."""
    data = file.file.read(settings.MAX_UPLOAD_BYTES + 1)
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise too_large(f"the upload exceeds the limit of {settings.MAX_UPLOAD_BYTES:,} bytes")
    result = ingest_file(
        session,
        data,
        f"upload:{file.filename or 'unnamed'}",
        file.filename,
        max_bytes=settings.MAX_UPLOAD_BYTES,
        fmt=format,
        series=series,
        vintage_date=vintage_date,
    )
    return _answer(result, response)


@router.post("/ingest", response_model=IngestRead, status_code=201, responses=ERRORS)
def ingest_url(
    body: IngestUrlCreate, session: SessionDep, settings: SettingsDep, response: Response
) -> IngestRead:
    """Fetch a data file from a URL and ingest it; 201 with the release, 200 if unchanged.

    Only public addresses are fetched (after DNS, on every redirect) unless
    SEIRCAST_URL_ALLOWED_HOSTS names the host or its network; a refused URL answers 422.
    """
    download = fetch(str(body.url), FetchLimits.from_settings(settings))
    result = ingest_file(
        session,
        download.data,
        download.url,
        download.name,
        max_bytes=settings.MAX_UPLOAD_BYTES,
        fmt=body.format,
        series=body.series,
        vintage_date=body.vintage_date,
    )
    return _answer(result, response)
