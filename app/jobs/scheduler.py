"""The event schedule: a cron expression (``SEIRCAST_SCHEDULE_CRON``) enqueues the pipeline."""

import logging
import threading
from datetime import UTC, datetime

from croniter import croniter
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.session import unit_of_work
from app.services.pipeline import enqueue_pipeline

log = logging.getLogger(__name__)


class Scheduler:
    """A thread that sleeps until each cron tick and enqueues one pipeline job for it."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        assert settings.SCHEDULE_CRON
        self.factory, self.settings = factory, settings
        self.cron = settings.SCHEDULE_CRON
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.run, name="seircast-scheduler", daemon=True)

    def next_tick(self, after: datetime) -> datetime:
        tick: datetime = croniter(self.cron, after).get_next(datetime)
        return tick

    def run(self) -> None:
        tick = self.next_tick(datetime.now(UTC))
        log.info("schedule %r: next pipeline at %s", self.cron, tick.isoformat())
        while not self.stop_event.wait(max(0.0, (tick - datetime.now(UTC)).total_seconds())):
            try:
                with unit_of_work(self.factory) as session:
                    job = enqueue_pipeline(session, tick, self.settings.JOB_MAX_ATTEMPTS)
                log.info(
                    "schedule tick %s: %s",
                    tick.isoformat(),
                    f"job {job.id}" if job else "already queued",
                )
            except SQLAlchemyError as exc:
                log.warning("schedule tick %s not queued: %s", tick.isoformat(), exc)
            tick = self.next_tick(tick)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(5)
