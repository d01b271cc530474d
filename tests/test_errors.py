"""Problem types are a closed set and each one has one status and title: an error built with
another status or title than its type's is a programming error, caught when it is made."""

import pytest

from app.errors import (
    PROBLEM_TYPES,
    AppError,
    conflict,
    invalid_file,
    invalid_input,
    no_forecast,
    no_release,
    not_found,
    too_large,
    unavailable,
    unknown_region,
)


def test_every_helper_builds_its_problem_type() -> None:
    made = [
        (not_found("x"), "not-found"),
        (unknown_region("x", []), "unknown-region"),
        (no_forecast("x"), "no-forecast"),
        (no_release("x"), "no-release"),
        (invalid_input("x"), "invalid-input"),
        (invalid_file("x"), "invalid-file"),
        (too_large("x"), "too-large"),
        (conflict("x", job_status="failed"), "conflict"),
        (unavailable("x"), "unavailable"),
        (AppError("x"), "bad-request"),
    ]
    for error, slug in made:
        kind = PROBLEM_TYPES[slug]
        assert (error.slug, error.status, error.title) == (slug, kind.status, kind.title)
    assert conflict("x", job_status="failed").extra == {"job_status": "failed"}


def test_a_status_or_title_other_than_the_types_is_refused() -> None:
    with pytest.raises(ValueError, match="'bad-request' is 400 'Bad request'"):
        AppError("no such file", 404)  # a 404 of type bad-request
    with pytest.raises(ValueError, match="is 409 'Conflict'"):
        AppError("x", 409, "Clash", "conflict")
    with pytest.raises(ValueError, match="unknown problem type 'nope'"):
        AppError("x", 400, "Bad request", "nope")


def test_http_errors_take_the_status_they_stand_for() -> None:
    assert AppError("Method Not Allowed", 405, "Method Not Allowed", "http-error").status == 405
