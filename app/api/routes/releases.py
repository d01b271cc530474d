"""Data releases: every ingest that stored something."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.api.deps import DB_INT_MAX, Offset, SessionDep
from app.api.errors import problem_responses
from app.api.schemas import ReleaseRead
from app.services import releases as service

router = APIRouter(prefix="/releases", tags=["releases"])


@router.get("", response_model=list[ReleaseRead], responses=problem_responses(422))
def list_releases(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500, description="releases per page")] = 50,
    offset: Offset = 0,
) -> list[ReleaseRead]:
    """Releases, newest first."""
    return [ReleaseRead.model_validate(r) for r in service.list_releases(session, limit, offset)]


@router.get("/{release_id}", response_model=ReleaseRead, responses=problem_responses(404, 422))
def get_release(
    release_id: Annotated[int, Path(ge=1, le=DB_INT_MAX, description="the release id")],
    session: SessionDep,
) -> ReleaseRead:
    """One release."""
    return ReleaseRead.model_validate(service.get_release(session, release_id))
