"""Release read use cases: every ingest that stored something."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.db.models import Release
from app.db.repositories import ReleaseRepository
from app.errors import no_release


def list_releases(session: Session, limit: int, offset: int) -> Sequence[Release]:
    """A page of releases, newest first."""
    return ReleaseRepository(session).list(limit, offset)


def get_release(session: Session, release_id: int) -> Release:
    """One release; 404 for no such release."""
    release = ReleaseRepository(session).get(release_id)
    if release is None:
        raise no_release(f"no release {release_id}")
    return release
