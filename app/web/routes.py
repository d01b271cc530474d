"""The website: server-rendered pages and the static assets (uPlot is vendored, no CDN).

``/regions/{code}`` and ``/jobs`` are also API paths: the page answers only browser
navigations (``Accept: text/html``), every other client still gets the JSON of the API.
"""

import time
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse, Response
from starlette.routing import Match
from starlette.types import Scope

from app.api.deps import SessionDep
from app.errors import AppError
from app.services.jobs import list_jobs
from app.web.downloads import region_csv
from app.web.overview import LEVEL_CHOICES, overview
from app.web.region_page import region_page
from app.web.scores import leaderboard, region_scores
from app.web.templating import STATIC_DIR, has_route, negotiated, page

RECENT_JOBS = 20


class HtmlRoute(APIRoute):
    """A page sharing its path with an API route: it matches browser navigations only."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        return (match, child) if negotiated(match, scope) else (Match.NONE, {})


router = APIRouter(include_in_schema=False)
negotiating = APIRouter(include_in_schema=False, route_class=HtmlRoute)


def _error(request: Request, status: int, title: str, detail: str, **extra: object) -> Response:
    context = {"title": title, "detail": detail, "status": status, **extra}
    return page(request, "error.html", context, status)


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    session: SessionDep,
    level: Annotated[str, Query(description="us (the US and its states) or country")] = "us",
) -> Response:
    started = time.perf_counter()
    if level not in LEVEL_CHOICES:
        choices = ", ".join(LEVEL_CHOICES)
        detail = f"level must be one of {choices}; got {level[:40]!r}"
        return _error(request, 422, "Unknown level", detail)
    rows = overview(session, level)
    context = {
        "rows": rows,
        "level": level,
        "levels": LEVEL_CHOICES,
        "n_forecasts": sum(1 for r in rows if r.next4 is not None),
        "n_data": sum(1 for r in rows if r.last_date is not None),
    }
    return page(request, "index.html", context, started=started)


@negotiating.get("/regions/{code}", response_class=HTMLResponse)
def region(request: Request, code: str, session: SessionDep) -> Response:
    started = time.perf_counter()
    try:
        data = region_page(session, code)
    except AppError as exc:
        if exc.status != 404:
            raise
        hints = exc.extra.get("suggestions", [])
        return _error(request, 404, "Region not found", exc.detail, suggestions=hints)
    context = {
        "page": data,
        "scores": region_scores(session, data.region.code),
        "hub_csv": has_route(request, "/forecasts/hub.csv"),
    }
    return page(request, "region.html", context, started=started)


@router.get("/regions/{code}/forecast.csv")
def region_download(code: str, session: SessionDep) -> Response:
    region_code, text = region_csv(session, code)
    disposition = f'attachment; filename="seircast-{region_code}.csv"'
    headers = {"Content-Disposition": disposition}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


@negotiating.get("/jobs", response_class=HTMLResponse)
def jobs(request: Request, session: SessionDep) -> Response:
    started = time.perf_counter()
    rows, total = list_jobs(session, None, None, True, RECENT_JOBS, 0)
    context = {"jobs": rows, "total": total}
    return page(request, "jobs.html", context, started=started)


@router.get("/evaluation", response_class=HTMLResponse)
def evaluation(request: Request, session: SessionDep) -> Response:
    started = time.perf_counter()
    board = leaderboard(session)
    return page(request, "evaluation.html", {"board": board}, started=started)


def install_web(app: FastAPI) -> None:
    """Pages and static files; call before the API routers so the HTML routes come first."""
    app.include_router(negotiating)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
