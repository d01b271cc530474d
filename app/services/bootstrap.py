"""First start: seed the region registry and load the bundled JHU CSSE snapshot."""

import hashlib
import logging
from datetime import date
from importlib import resources

from sqlalchemy.orm import Session, sessionmaker

from app.db.repositories import RegionRepository, ReleaseRepository
from app.db.session import unit_of_work
from app.ingest.registry import bundled_regions
from app.services.ingest import ingest_file

log = logging.getLogger(__name__)

# CSSE stopped updating on 2023-03-10; the bundled files are that final vintage.
BUNDLED_VINTAGE = date(2023, 3, 10)
BUNDLED_FILES = (
    "time_series_covid19_deaths_global.csv.gz",
    "time_series_covid19_confirmed_global.csv.gz",
    "time_series_covid19_deaths_US_states_from_daily_reports.csv.gz",
    "time_series_covid19_confirmed_US_states_from_daily_reports.csv.gz",
    "us_state_deaths_daily_stitched.csv.gz",
)


def seed_regions(session: Session) -> int:
    return len(RegionRepository(session).upsert(bundled_regions()))


def load_bundled_data(factory: sessionmaker[Session]) -> list[str]:
    """Seed regions, then ingest each bundled file not yet stored (one release each).

    Each file is its own transaction, so a start interrupted half way resumes where it stopped.
    When the database already holds a release newer than the snapshot (data ingested before
    the first start), the snapshot is not loaded: vintages must arrive oldest first
    (docs/DATA.md), and the newer data is what the user wants served.
    """
    with unit_of_work(factory) as session:
        seed_regions(session)
        releases = ReleaseRepository(session)
        newest = releases.newest_vintage()
        missing = [
            (name, data)
            for name in BUNDLED_FILES
            for data in [resources.files("app.data").joinpath(name).read_bytes()]
            if releases.find_by_sha(hashlib.sha256(data).hexdigest()) is None
        ]
    if missing and newest is not None and newest[1] > BUNDLED_VINTAGE:
        message = (
            f"bundled files not loaded ({', '.join(n for n, _ in missing)}): release "
            f"{newest[0].id} ({newest[1]}) is newer than the bundled snapshot ({BUNDLED_VINTAGE})"
        )
        log.warning(message)
        return [message]
    messages = []
    for name, data in missing:
        with unit_of_work(factory) as session:
            result = ingest_file(
                session,
                data,
                f"bundled:{name}",
                name,
                max_bytes=256 * 1024 * 1024,
                vintage_date=BUNDLED_VINTAGE,
            )
        log.info("bundled %s: %s", name, result.message)
        messages.append(f"{name}: {result.message}")
    return messages
