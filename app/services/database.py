"""The database as a command-line process opens it: migrated, region registry seeded.

The HTTP application gets its engine from the lifespan (app/main.py) and its sessions from
``app/api/deps.py``; the CLI gets both here, and each command's ``transaction`` is its unit
of work.
"""

from contextlib import AbstractContextManager

from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.migrate import upgrade
from app.db.session import make_engine, make_session_factory, unit_of_work
from app.services.bootstrap import seed_regions


def migrate(settings: Settings) -> tuple[sessionmaker[Session], int]:
    """Upgrade the configured database to head and seed the region registry:
    (its session factory, regions in the registry)."""
    engine = make_engine(settings.DATABASE_URL)
    upgrade(engine, settings.MIGRATIONS_DIR)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        regions = seed_regions(session)
    return factory, regions


def open_database(settings: Settings) -> sessionmaker[Session]:
    """Sessions on the configured database, migrated and with the region registry seeded."""
    return migrate(settings)[0]


def transaction(factory: sessionmaker[Session]) -> AbstractContextManager[Session]:
    """One unit of work: commits when the block ends, rolls back if it raises."""
    return unit_of_work(factory)
