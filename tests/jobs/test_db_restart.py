"""PostgreSQL restarted in the middle of a refit: /ready says 503, then everything recovers
and the job finishes without duplicates."""

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.models import Fit
from app.jobs.worker import Worker

CLUSTERS = Path("/etc/postgresql")


def _pg(action: str, check: bool = True) -> None:
    version = sorted(p.name for p in CLUSTERS.iterdir())[0]
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            version,
            "main",
            action,
            *(["-m", "fast"] if action == "stop" else []),
        ],
        check=check,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def restartable() -> Iterator[None]:
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster") or not CLUSTERS.is_dir():
        pytest.skip("needs root and a local pg_ctlcluster")
    yield
    _pg("start", check=False)  # leave PostgreSQL running whatever happened (2: already up)


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_database_restart_during_refit(
    restartable: None,
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    job = loaded.post("/refit", json={"regions": ["NY", "TX", "US-CA"]}).json()
    worker = Worker(session_factory, settings, pool, capacity=1, name="survivor")
    assert worker.run_once() == 1
    _pg("stop")
    ready = loaded.get("/ready")
    assert ready.status_code == 503 and ready.headers["content-type"] == "application/problem+json"
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,))
    thread.start()  # keeps failing to reach the database, without dying
    try:
        stop.wait(1.0)
        assert thread.is_alive()
        _pg("start")
        for _ in range(120):
            if (
                loaded.get("/ready").status_code == 200
                and loaded.get(f"/jobs/{job['id']}").json()["status"] != "running"
            ):
                break
            stop.wait(0.5)
    finally:
        stop.set()
        thread.join(60)
    final = loaded.get(f"/jobs/{job['id']}").json()
    assert final["status"] == "succeeded", final
    with session_factory() as session:
        assert session.scalar(select(func.count(Fit.id))) == 3
