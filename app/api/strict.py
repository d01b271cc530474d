"""Unknown query parameters are client errors (422 naming them), never silently ignored."""

from typing import Any

from fastapi import Request

from app.errors import FieldProblem, invalid_input

# Spellings clients try for a parameter with another name.
HINTS = {"search": "q", "query": "q", "region_code": "region", "page_size": "limit"}


def _query_names(dependant: Any) -> set[str]:
    """The query parameters of an operation and of every dependency it has."""
    names = {str(f.alias) for f in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _known(request: Request) -> set[str] | None:
    dependant = getattr(request.scope.get("route"), "dependant", None)
    return None if dependant is None else _query_names(dependant)


def reject_unknown_query(request: Request) -> None:
    """A router dependency: 422 for query parameters the operation does not declare."""
    known = _known(request)
    if known is None:
        return
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in known]
    if not unknown:
        return
    expected = ", ".join(sorted(known)) or "none"
    problems = [
        FieldProblem(
            f"unknown query parameter {name!r}"
            + (f"; did you mean {HINTS[name]!r}?" if HINTS.get(name) in known else "")
            + f" (expected: {expected})",
            field=f"query.{name}",
        )
        for name in unknown
    ]
    names = ", ".join(repr(n) for n in unknown)
    raise invalid_input(
        f"unknown query parameter(s) {names} for {request.url.path}; expected: {expected}",
        problems,
    )
