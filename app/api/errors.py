"""RFC 9457 problem+json rendering for every error the API can return."""

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import PROBLEM_TYPES, TYPE_BASE, AppError

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"
log = logging.getLogger(__name__)


class ProblemItem(BaseModel):
    message: str
    line: int | None = None
    column: str | None = None
    field: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem document. Some types add members: ``suggestions`` (unknown-region),
    ``valid_range`` (date-out-of-range), ``field``, ``job_status``."""

    model_config = ConfigDict(extra="allow")

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
    document_problems(app)


def _types_for(status: int) -> list[str]:
    kinds = [t.slug for t in PROBLEM_TYPES.values() if t.status == status]
    return kinds or ["http-error"]


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries; their problem+json bodies are filled in by
    ``document_problems`` (as for the 422 FastAPI adds to every operation with parameters)."""
    return {
        s: {"description": "; ".join(PROBLEM_TYPES[k].title for k in _types_for(s))}
        for s in statuses
    }


def _example(slug: str, status: int) -> dict[str, Any]:
    kind = PROBLEM_TYPES[slug]
    value = {
        "type": TYPE_BASE + slug,
        "title": kind.title,
        "status": status,
        "detail": kind.description,
        "instance": "/forecast",
    }
    return {"summary": kind.title, "value": value}


def _problem_content(status: int) -> dict[str, Any]:
    examples = {slug: _example(slug, status) for slug in _types_for(status)}
    return {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}, "examples": examples}}


def problems_only(schema: dict[str, Any]) -> None:
    """Every 4xx/5xx response of ``schema`` is a problem+json document (and nothing else)."""
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(problem.pop("$defs", {}))
    components["Problem"] = problem
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                if code[0] in "45":
                    response["content"] = _problem_content(int(code))
    text = json.dumps(schema)
    for unused in ("HTTPValidationError", "ValidationError"):
        if f"#/components/schemas/{unused}" not in text:
            components.pop(unused, None)


def document_problems(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            problems_only(build())  # build() caches the document it returns
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's "extending OpenAPI" recipe
