"""The unit of work: a database error half-way through a write rolls all of it back."""

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import PROBLEM, long_csv, snapshot


def _upload(client: TestClient, name: str, data: bytes, **form: str) -> httpx.Response:
    response: httpx.Response = client.post(
        "/observations", files={"file": (name, data, "text/csv")}, data=form
    )
    return response


def test_failure_half_way_through_storing_rolls_back_the_release(
    client: TestClient, session_factory: sessionmaker[Session], db_url: str
) -> None:
    """A database error after part of the release is written leaves nothing of it behind."""
    with session_factory.begin() as session:
        if db_url.startswith("sqlite"):
            session.execute(
                text(
                    "CREATE TRIGGER fail_mid BEFORE INSERT ON observation WHEN NEW.value = 777 "
                    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                )
            )
        else:
            session.execute(
                text(
                    "CREATE FUNCTION fail_mid() RETURNS trigger AS $$ BEGIN IF NEW.value = 777 "
                    "THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ "
                    "LANGUAGE plpgsql"
                )
            )
            session.execute(
                text(
                    "CREATE TRIGGER fail_mid BEFORE INSERT ON observation "
                    "FOR EACH ROW EXECUTE FUNCTION fail_mid()"
                )
            )
    before = snapshot(session_factory)
    rows = [(f"2020-03-{d:02d}", "NY", d) for d in range(1, 29)] + [("2020-03-29", "NY", 777)]
    response = _upload(client, "half.csv", long_csv(rows).encode())
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    assert snapshot(session_factory) == before
