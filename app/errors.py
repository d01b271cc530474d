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


@dataclass
class AppError(Exception):
    detail: str
    status: int = 400
    title: str = "Bad request"
    slug: str = "bad-request"
    problems: list[FieldProblem] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.detail


def not_found(detail: str, **extra: Any) -> AppError:
    return AppError(detail, 404, "Not found", "not-found", extra=extra)


def invalid_input(detail: str, problems: list[FieldProblem] | None = None) -> AppError:
    return AppError(detail, 422, "Invalid input", "invalid-input", problems or [])


def invalid_file(detail: str, problems: list[FieldProblem] | None = None) -> AppError:
    return AppError(detail, 422, "Invalid data file", "invalid-file", problems or [])


def too_large(detail: str) -> AppError:
    return AppError(detail, 413, "Payload too large", "too-large")


def conflict(detail: str, **extra: Any) -> AppError:
    return AppError(detail, 409, "Conflict", "conflict", extra=extra)


def unavailable(detail: str) -> AppError:
    return AppError(detail, 503, "Service unavailable", "unavailable")
