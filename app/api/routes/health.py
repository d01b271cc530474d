"""Liveness and readiness."""

from fastapi import APIRouter, Request
from sqlalchemy.exc import SQLAlchemyError

from app import __version__
from app.api.errors import problem_responses
from app.api.schemas import Health, Ready
from app.db.session import unit_of_work
from app.errors import unavailable
from app.services.status import ATTRIBUTION, database_status

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
async def health() -> Health:
    """The process is up (no database access)."""
    return Health(status="ok", version=__version__)


@router.get("/ready", response_model=Ready, responses=problem_responses(503))
def ready(request: Request) -> Ready:
    """The database answers and is migrated; 503 otherwise."""
    try:
        with unit_of_work(request.app.state.session_factory) as session:
            regions, releases = database_status(session)
    except SQLAlchemyError as exc:
        raise unavailable(f"the database is not reachable: {type(exc).__name__}") from exc
    return Ready(
        status="ready",
        database=request.app.state.engine.dialect.name,
        regions=regions,
        releases=releases,
        attribution=ATTRIBUTION,
    )
