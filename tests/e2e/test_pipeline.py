"""The schedule enqueues the daily pipeline; a worker runs it: ingest, then refit what changed."""

from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.session import unit_of_work
from app.jobs.worker import Worker
from app.services.pipeline import enqueue_pipeline
from tests.factories import spring_2020_csv


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
