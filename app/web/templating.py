"""Jinja2 environment, number filters and the HTML response helper of the website."""

import time
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse
from starlette.routing import Match
from starlette.types import Scope

from app import __version__
from app.services.status import ATTRIBUTION

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=WEB_DIR / "templates")


def number(value: float | None, digits: int = 0) -> str:
    """``12,345`` (or ``1.23`` with digits); an en dash for a missing value."""
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def deaths(value: float | None) -> str:
    """Death counts are whole people; negative quantile artefacts show as 0."""
    return number(None if value is None else max(value, 0.0))


templates.env.filters["number"] = number
templates.env.filters["deaths"] = deaths


def wants_html(scope: Scope) -> bool:
    """A browser navigation: ``text/html`` accepted and JSON not asked for first."""
    accept = ""
    for name, value in scope.get("headers", []):
        if name == b"accept":
            accept = value.decode("latin-1").lower()
    if "text/html" not in accept:
        return False
    json_at = accept.find("application/json")
    return json_at < 0 or accept.find("text/html") < json_at


def negotiated(match: Match, scope: Scope) -> bool:
    return match is not Match.FULL or wants_html(scope)


def has_route(request: Request, path: str) -> bool:
    return any(getattr(route, "path", None) == path for route in request.app.routes)


def page(
    request: Request, name: str, context: dict[str, Any], status: int = 200, started: float = 0.0
) -> HTMLResponse:
    """Render a page with the shared context; ``Server-Timing`` reports the server time."""
    settings = request.app.state.settings
    shared = {
        "version": __version__,
        "attribution": ATTRIBUTION,
        "keys_required": bool(settings.API_KEYS),
        "path": request.url.path,
    }
    response = templates.TemplateResponse(request, name, {**shared, **context}, status_code=status)
    if started:
        elapsed_ms = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
    return response
