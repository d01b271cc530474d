"""Data releases: every ingest that stored something."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import IdPath, Offset, SessionDep
from app.api.errors import problem_responses
from app.api.schemas import ReleaseRead
from app.db.repositories import ReleaseRepository
from app.errors import not_found

router = APIRouter(prefix="/releases", tags=["releases"])


@router.get("", response_model=list[ReleaseRead], responses=problem_responses(422))
def list_releases(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> list[ReleaseRead]:
    """Releases, newest first."""
    return [ReleaseRead.model_validate(r) for r in ReleaseRepository(session).list(limit, offset)]


@router.get("/{release_id}", response_model=ReleaseRead, responses=problem_responses(404, 422))
def get_release(release_id: IdPath, session: SessionDep) -> ReleaseRead:
    """One release."""
    release = ReleaseRepository(session).get(release_id)
    if release is None:
        raise not_found(f"no release {release_id}")
    return ReleaseRead.model_validate(release)
