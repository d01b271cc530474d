"""Two real ``seircast worker`` processes share one refit of all 56 US states and
territories on PostgreSQL; one is killed with SIGKILL mid-job and nothing is lost or doubled."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.db.models import Fit, Publication
from app.db.session import unit_of_work
from app.services.ingest import IngestOptions, ingest_bytes
from tests.factories import spring_2020_csv

SEIRCAST = str(Path(sys.executable).parent / "seircast")
ALL_STATES = tuple(f"{n:02d}" for n in range(1, 80))


def _worker(db_url: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "SEIRCAST_DATABASE_URL": db_url,
        "SEIRCAST_JOB_LEASE_SECONDS": "3",
        "SEIRCAST_EXECUTOR_WORKERS": "1",
        "SEIRCAST_WORKER_POLL_SECONDS": "0.2",
    }
    return subprocess.Popen(
        [SEIRCAST, "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _wait(client: TestClient, job_id: int, until: int, timeout: float) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, object] = client.get(f"/jobs/{job_id}").json()
        done = job["progress"]["done"]  # type: ignore[index]
        if done >= until or job["status"] != "running":
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not reach {until} in {timeout} s")


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_worker_killed_mid_refit_loses_and_doubles_no_fit(
    client: TestClient, db_url: str, session_factory: sessionmaker[Session]
) -> None:
    # The whole series to 2023 (the rt model): American Samoa reported no death in 2020.
    data = spring_2020_csv(ALL_STATES, last_day="2023-03-09")
    with unit_of_work(session_factory) as session:  # larger than the test upload limit
        ingest_bytes(session, data, IngestOptions(source="test", name="all.csv", max_bytes=1 << 26))
    job = client.post("/refit", json={"regions": "all"}).json()
    assert job["progress"]["total"] == 56
    victim, survivor = _worker(db_url), _worker(db_url)
    try:
        _wait(client, job["id"], 6, 300)
        os.killpg(victim.pid, signal.SIGKILL)
        final = _wait(client, job["id"], 56, 600)
        assert final["status"] == "succeeded", final
    finally:
        for proc in (victim, survivor):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        output = survivor.communicate(timeout=120)[0]
    assert survivor.returncode == 0, output  # SIGTERM: finishes its fits, then exits cleanly
    assert victim.returncode == -signal.SIGKILL
    with session_factory() as session:
        per_region = session.execute(
            select(Fit.region_id, func.count(Fit.id)).group_by(Fit.region_id)
        ).all()
        assert len(per_region) == 56 and {n for _, n in per_region} == {1}
        assert session.scalar(select(func.count()).select_from(Publication)) == 56
