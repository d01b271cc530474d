"""RFC 9457 problem+json rendering for every error the API can return."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import AppError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)
TYPE_BASE = "https://seircast.dev/problems/"


class ProblemItem(BaseModel):
    message: str
    line: int | None = None
    column: str | None = None
    field: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(examples=[TYPE_BASE + "invalid-file"])
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemItem] = Field(default_factory=list)


def problem_response(
    request: Request,
    status: int,
    title: str,
    slug: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": str(request.url.path),
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        request,
        exc.status,
        exc.title,
        exc.slug,
        exc.detail,
        [p.as_dict() for p in exc.problems],
        **exc.extra,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
    ]
    where = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem_response(request, 422, "Invalid request", "invalid-request", where, errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "request failed"
    return problem_response(request, exc.status_code, detail, "http-error", detail)


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("database error on %s: %s", request.url.path, exc)
    detail = (
        "the database failed while handling this request; its transaction was rolled "
        "back and nothing from it was stored"
    )
    return problem_response(request, 503, "Database unavailable", "database-error", detail)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(SQLAlchemyError, _database_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries declaring problem+json bodies."""
    return {s: {"model": Problem, "content": {PROBLEM_JSON: {}}} for s in statuses}
