"""Liveness and readiness."""

from fastapi import APIRouter

from app import __version__
from app.api.deps import SessionFactoryDep
from app.api.errors import problem_responses
from app.api.schemas import Health, Ready
from app.services.status import ATTRIBUTION, readiness

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
async def health() -> Health:
    """The process is up (no database access)."""
    return Health(status="ok", version=__version__)


@router.get("/ready", response_model=Ready, responses=problem_responses(503))
def ready(factory: SessionFactoryDep) -> Ready:
    """The database answers and is migrated; 503 otherwise."""
    status = readiness(factory)
    return Ready(
        status="ready",
        database=status.database,
        regions=status.regions,
        releases=status.releases,
        attribution=ATTRIBUTION,
    )
