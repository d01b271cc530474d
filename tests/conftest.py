"""Shared fixtures: a migrated, seeded database per test on SQLite and on PostgreSQL.

PostgreSQL tests run against ``SEIRCAST_TEST_POSTGRES_URL`` (default: the local server). They are
skipped when it is unreachable, unless ``SEIRCAST_TEST_REQUIRE_POSTGRES=1`` (CI) makes that fail.
Each test gets its own database cloned from a migrated template, so tests never share state.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.migrate import upgrade
from app.db.session import make_engine, make_session_factory, unit_of_work
from app.main import create_app
from app.services.bootstrap import seed_regions
from tests.factories import spring_2020_csv

PG_ADMIN_URL = os.environ.get(
    "SEIRCAST_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = os.environ.get("SEIRCAST_TEST_REQUIRE_POSTGRES") == "1"
# One template per pytest process: concurrent runs on one server never drop each other's.
TEMPLATE = f"seircast_test_template_{os.getpid()}"


def _pg_admin() -> Engine | None:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with engine.connect():
            return engine
    except Exception as exc:
        if REQUIRE_PG:
            raise RuntimeError(f"PostgreSQL required but unreachable: {exc}") from exc
        return None


def _migrate_and_seed(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        seed_regions(session)
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate_and_seed(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[Engine | None]:
    admin = _pg_admin()
    if admin is None:
        yield None
        return
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {TEMPLATE}"))
    _migrate_and_seed(make_url(PG_ADMIN_URL).set(database=TEMPLATE).render_as_string(False))
    yield admin
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    if request.param == "sqlite":
        shutil.copy(sqlite_template, tmp_path / "test.db")
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    admin: Engine | None = request.getfixturevalue("pg_template")
    if admin is None:
        pytest.skip("PostgreSQL is not reachable")
    name = f"seircast_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        DATABASE_URL=db_url,
        LOAD_BUNDLED_DATA=False,
        AUTO_MIGRATE=False,
        MAX_UPLOAD_BYTES=2_000_000,
        URL_TIMEOUT_SECONDS=2.0,
        EMBEDDED_WORKER=False,
        REFIT_ON_START=False,
        JOB_LEASE_SECONDS=3.0,
        WORKER_POLL_SECONDS=0.2,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def loaded(client: TestClient) -> TestClient:
    """The ``client`` with NY, TX and CA deaths to 2020-06-30."""
    response = client.post("/observations", files={"file": ("spring.csv", spring_2020_csv())})
    assert response.status_code == 201, response.text
    return client
