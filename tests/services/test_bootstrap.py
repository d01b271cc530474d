"""The bundled snapshot on first start, when newer data was ingested before it."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.db.models import Release
from app.db.session import unit_of_work
from app.services.bootstrap import BUNDLED_VINTAGE, load_bundled_data, seed_regions
from app.services.ingest import IngestOptions, ingest_bytes
from tests.factories import long_csv


def test_newer_data_ingested_before_the_first_start_is_kept(
    session_factory: sessionmaker[Session],
) -> None:
    with unit_of_work(session_factory) as session:
        seed_regions(session)
        data = long_csv([("2020-03-01", "TX", 1), ("2020-03-02", "TX", 4)]).encode()
        ingest_bytes(session, data, IngestOptions(source="user", name="tx.csv"))  # dated today
    messages = load_bundled_data(session_factory)  # a 409 here would stop the server starting
    assert len(messages) == 1 and "bundled files not loaded" in messages[0]
    assert str(BUNDLED_VINTAGE) in messages[0]
    with session_factory() as session:
        assert session.scalar(select(func.count(Release.id))) == 1
