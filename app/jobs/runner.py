"""Run a worker in a background thread (the embedded default) or in the foreground (CLI)."""

import logging
import threading
from concurrent.futures import Executor

from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.jobs.executor import make_executor
from app.jobs.worker import Worker

log = logging.getLogger(__name__)


class BackgroundWorker:
    """A worker thread with its own executor; ``stop`` finishes in-flight fits first."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        self.executor: Executor = make_executor(settings)
        self.worker = Worker(factory, settings, self.executor)
        self.stop_event = threading.Event()
        self.thread = threading.Thread(
            target=self.worker.run, args=(self.stop_event,), name="seircast-worker", daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 60.0) -> None:
        self.stop_event.set()
        self.thread.join(timeout)
        self.worker.executor.shutdown(wait=True, cancel_futures=True)
