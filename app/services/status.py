"""Service status for /ready and the website footer."""

from sqlalchemy.orm import Session

from app.db.fits import FitRepository
from app.db.jobs import JobRepository
from app.db.repositories import RegionRepository, ReleaseRepository

ATTRIBUTION = (
    "Data: COVID-19 Data Repository by the Center for Systems Science and Engineering (CSSE) "
    "at Johns Hopkins University, CC BY 4.0."
)


def job_counts(session: Session) -> tuple[dict[tuple[str, str], int], int, float]:
    """Jobs by (kind, status), number of fits and their summed wall time (for /metrics)."""
    jobs = JobRepository(session)
    return jobs.counts_by_kind_status(), *FitRepository(session).totals()


def database_status(session: Session) -> tuple[int, int]:
    return RegionRepository(session).count(), ReleaseRepository(session).count()
