"""The schedule enqueues the daily pipeline; a worker runs it: ingest, then refit what changed."""

import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.session import unit_of_work
from app.jobs.scheduler import Scheduler
from app.jobs.worker import Worker
from app.main import create_app
from app.services.pipeline import enqueue_pipeline
from tests.jobs.conftest import spring_2020_csv


def test_bad_cron_is_rejected() -> None:
    with pytest.raises(ValidationError, match="cron"):
        Settings(SCHEDULE_CRON="every day at six")


def test_one_job_per_tick(session_factory: sessionmaker[Session]) -> None:
    tick = datetime(2026, 1, 1, 6, tzinfo=UTC)
    with unit_of_work(session_factory) as session:
        assert enqueue_pipeline(session, tick, 3) is not None
        assert enqueue_pipeline(session, tick, 3) is None  # a second scheduler process


def test_next_tick(settings: Settings, session_factory: sessionmaker[Session]) -> None:
    scheduler = Scheduler(
        session_factory, settings.model_copy(update={"SCHEDULE_CRON": "0 6 * * *"})
    )
    after = datetime(2026, 11, 29, 7, tzinfo=UTC)
    assert scheduler.next_tick(after) == datetime(2026, 11, 30, 6, tzinfo=UTC)


def test_schedule_on_shows_pipeline_jobs(settings: Settings) -> None:
    every_second = settings.model_copy(update={"SCHEDULE_CRON": "* * * * * *"})
    with TestClient(create_app(every_second)) as client:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            jobs = client.get("/jobs", params={"kind": "pipeline"}).json()
            if jobs["total"]:
                break
            time.sleep(0.2)
        assert jobs["total"] >= 1 and jobs["items"][0]["kind"] == "pipeline"


def test_pipeline_ingests_then_refits_changed_regions(
    settings: Settings,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    pool: ProcessPoolExecutor,
    client: TestClient,
) -> None:
    source = tmp_path / "deaths.csv"
    source.write_bytes(spring_2020_csv(("36",)))
    configured = settings.model_copy(update={"PIPELINE_SOURCES": [str(source)]})
    with unit_of_work(session_factory) as session:
        job_id = enqueue_pipeline(session, datetime(2026, 1, 1, tzinfo=UTC), 3)
        assert job_id is not None
        pipeline_id = job_id.id
    worker = Worker(session_factory, configured, pool, name="pipeline-test")
    assert worker.run_once() == 1  # the pipeline itself
    job = client.get(f"/jobs/{pipeline_id}").json()
    assert job["status"] == "succeeded", job
    assert job["result"]["refit_regions"] == ["US-NY"]
    assert "values stored" in job["result"]["ingested"][0]["message"]
    assert job["result"]["drift_alerts"] == 0
    while worker.run_once():
        pass
    assert client.get("/forecast", params={"region": "NY"}).status_code == 200


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_concurrent_schedulers_queue_one_job_per_tick(
    session_factory: sessionmaker[Session],
) -> None:
    """Every `serve` process runs a scheduler: the advisory lock lets only one enqueue."""
    tick = datetime(2026, 2, 1, 6, tzinfo=UTC)
    barrier = threading.Barrier(4)
    made: list[bool] = []

    def enqueue() -> None:
        barrier.wait()
        with unit_of_work(session_factory) as session:
            made.append(enqueue_pipeline(session, tick, 3) is not None)

    threads = [threading.Thread(target=enqueue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made) == [False, False, False, True]
