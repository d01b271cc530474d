"""Typed application errors. Each carries its HTTP status; the API renders them as problem+json.

Services and parsers raise these; they import nothing from FastAPI.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """Where an input was wrong: a file line/column, or a request parameter."""

    message: str
    line: int | None = None
    column: str | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in (
                ("line", self.line),
                ("column", self.column),
                ("field", self.field),
                ("message", self.message),
            )
            if v is not None
        }


@dataclass(frozen=True, slots=True)
class ProblemType:
    """One kind of error a client can get: its ``type`` URI is ``TYPE_BASE + slug``."""

    slug: str
    status: int  # 0: the status of the HTTP error it stands for
    title: str
    description: str


TYPE_BASE = "https://seircast.dev/problems/"
# The closed set of problem types: every AppError names one (documented in the OpenAPI page).
PROBLEM_TYPES: dict[str, ProblemType] = {
    t.slug: t
    for t in (
        ProblemType("bad-request", 400, "Bad request", "the request cannot be served as sent"),
        ProblemType("unauthorized", 401, "Unauthorized", "a valid X-API-Key header is needed"),
        ProblemType("not-found", 404, "Not found", "no job, fit or file with this id or path"),
        ProblemType(
            "unknown-region",
            404,
            "Unknown region",
            "no region has this code or alias; `suggestions` lists close ones",
        ),
        ProblemType(
            "no-forecast",
            404,
            "No forecast yet",
            "the region (or date) has no forecast yet: POST /refit makes one",
        ),
        ProblemType(
            "no-release",
            404,
            "No such release",
            "no data release has this id, or none was available on that date",
        ),
        ProblemType("conflict", 409, "Conflict", "the request conflicts with the stored state"),
        ProblemType("too-large", 413, "Payload too large", "the upload exceeds the size limit"),
        ProblemType("invalid-input", 422, "Invalid input", "a parameter or field is wrong"),
        ProblemType("invalid-request", 422, "Invalid request", "the request does not validate"),
        ProblemType("invalid-file", 422, "Invalid data file", "a line or column of the file"),
        ProblemType(
            "date-out-of-range", 422, "Date out of range", "the date is outside the forecast"
        ),
        ProblemType("bad-url", 422, "The URL could not be ingested", "fetching the URL failed"),
        ProblemType("url-refused", 422, "The URL is not allowed", "the URL's host is refused"),
        ProblemType("unavailable", 503, "Service unavailable", "try again later"),
        ProblemType("database-error", 503, "Database unavailable", "nothing was stored"),
        ProblemType("http-error", 0, "HTTP error", "no such path, or a method it does not have"),
    )
}


@dataclass
class AppError(Exception):
    detail: str
    status: int = 400
    title: str = "Bad request"
    slug: str = "bad-request"
    problems: list[FieldProblem] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kind = PROBLEM_TYPES.get(self.slug)
        if kind is None:
            raise ValueError(f"unknown problem type {self.slug!r}: add it to PROBLEM_TYPES")
        if kind.status and (self.status, self.title) != (kind.status, kind.title):
            raise ValueError(f"problem type {self.slug!r} is {kind.status} {kind.title!r}")

    def __str__(self) -> str:
        return self.detail


def problem(
    slug: str, detail: str, problems: list[FieldProblem] | None = None, **extra: Any
) -> AppError:
    """An error of one of the PROBLEM_TYPES, with its status and title."""
    kind = PROBLEM_TYPES[slug]
    return AppError(detail, kind.status, kind.title, slug, problems or [], extra)


def not_found(detail: str, **extra: Any) -> AppError:
    return problem("not-found", detail, **extra)


def unknown_region(detail: str, suggestions: list[str]) -> AppError:
    return problem("unknown-region", detail, suggestions=suggestions)


def no_forecast(detail: str, **extra: Any) -> AppError:
    return problem("no-forecast", detail, **extra)


def no_release(detail: str, field: str | None = None) -> AppError:
    where = [FieldProblem(detail, field=field)] if field else []
    return problem("no-release", detail, where, **({"field": field} if field else {}))


def invalid_input(detail: str, problems: list[FieldProblem] | None = None) -> AppError:
    return problem("invalid-input", detail, problems)


def invalid_file(detail: str, problems: list[FieldProblem] | None = None) -> AppError:
    return problem("invalid-file", detail, problems)


def too_large(detail: str) -> AppError:
    return problem("too-large", detail)


def conflict(detail: str, problems: list[FieldProblem] | None = None, **extra: Any) -> AppError:
    return problem("conflict", detail, problems, **extra)


def unavailable(detail: str) -> AppError:
    return problem("unavailable", detail)
