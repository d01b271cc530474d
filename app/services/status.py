"""Service status for /ready, /metrics and the website footer.

Each function is its own short unit of work on the session factory: they run outside any
request's session (a readiness probe, a metrics scrape).
"""

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.db.fits import FitRepository
from app.db.jobs import JobRepository
from app.db.repositories import RegionRepository, ReleaseRepository
from app.db.session import unit_of_work
from app.errors import unavailable

ATTRIBUTION = (
    "Data: COVID-19 Data Repository by the Center for Systems Science and Engineering (CSSE) "
    "at Johns Hopkins University, CC BY 4.0."
)


@dataclass(frozen=True, slots=True)
class Readiness:
    database: str  # the dialect: sqlite or postgresql
    regions: int
    releases: int


def job_counts(
    factory: sessionmaker[Session],
) -> tuple[dict[tuple[str, str], int], int, float]:
    """Jobs by (kind, status), number of fits and their summed wall time (for /metrics)."""
    with unit_of_work(factory) as session:
        jobs = JobRepository(session)
        return jobs.counts_by_kind_status(), *FitRepository(session).totals()


def readiness(factory: sessionmaker[Session]) -> Readiness:
    """The database answers (and is migrated); a 503 ``AppError`` otherwise."""
    try:
        with unit_of_work(factory) as session:
            regions = RegionRepository(session).count()
            releases = ReleaseRepository(session).count()
            dialect = session.get_bind().dialect.name
    except SQLAlchemyError as exc:
        raise unavailable(f"the database is not reachable: {type(exc).__name__}") from exc
    return Readiness(dialect, regions, releases)
