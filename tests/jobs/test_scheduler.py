"""The scheduler: the next tick of its cron expression; pipeline jobs queued while the app runs."""

import time
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.jobs.scheduler import Scheduler
from app.main import create_app


def test_next_tick_is_the_next_cron_time(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
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
