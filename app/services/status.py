"""Service status for /ready and the website footer."""

from sqlalchemy.orm import Session

from app.db.repositories import RegionRepository, ReleaseRepository

ATTRIBUTION = (
    "Data: COVID-19 Data Repository by the Center for Systems Science and Engineering (CSSE) "
    "at Johns Hopkins University, CC BY 4.0."
)


def database_status(session: Session) -> tuple[int, int]:
    return RegionRepository(session).count(), ReleaseRepository(session).count()
