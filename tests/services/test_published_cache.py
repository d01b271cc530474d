"""PublishedCache (the website's overview rows): rebuilt only when new data arrives."""

from sqlalchemy.orm import Session, sessionmaker

from app.db.session import unit_of_work
from app.services.fits import Publications, PublishedCache
from app.services.ingest import ingest_file
from tests.factories import long_csv


def test_values_are_rebuilt_for_a_new_release_or_key_only(
    session_factory: sessionmaker[Session],
) -> None:
    cache: PublishedCache[int] = PublishedCache()
    seen: list[int | None] = []

    def build(state: Publications) -> int:
        assert state.published == {}  # nothing fitted here
        seen.append(state.latest_release)
        return len(seen)

    with unit_of_work(session_factory) as session:
        assert cache.get(session, "us", build) == 1
        assert cache.get(session, "us", build) == 1  # nothing new: not rebuilt
        assert cache.get(session, "country", build) == 2  # another key
        data = long_csv([("2020-03-01", "TX", 1), ("2020-03-02", "TX", 4)]).encode()
        release = ingest_file(session, data, "user", "tx.csv", max_bytes=1 << 20).release
        assert cache.get(session, "us", build) == 3  # a new release
        assert cache.get(session, "us", build) == 3
    assert seen == [None, None, release.id]
