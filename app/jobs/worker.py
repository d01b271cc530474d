"""The worker loop: lease fit jobs, run them on the compute executor, store and publish.

A worker holds leases on the jobs it runs and renews them from a heartbeat thread. A worker
that dies (SIGKILL) simply stops renewing: its jobs' leases expire and any worker takes them
again. Storing a result first closes the job *on condition that this worker still holds it*,
in the same transaction as the fit, its forecasts and the publication, so a job's result is
stored once or not at all.
"""

import logging
import os
import socket
import threading
import uuid
from concurrent.futures import Executor, Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.job_contracts import (
    FitRegionPayload,
    FitRegionResult,
    JobKind,
    JobStatus,
    payload_of,
)
from app.db.jobs import JobRepository
from app.db.models import Job
from app.db.session import unit_of_work
from app.jobs.accounting import close_parent, start_parents
from app.jobs.executor import describe_executor, make_executor
from app.services.modeling import FitOutput, FitTask, run_fit_task
from app.services.pipeline import run_pipeline
from app.services.refit import build_task, store_fit

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    parent_id: int | None
    region: str


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(
        self,
        factory: sessionmaker[Session],
        settings: Settings,
        executor: Executor,
        capacity: int | None = None,
        name: str | None = None,
    ) -> None:
        self.factory, self.settings, self.executor = factory, settings, executor
        self.capacity = capacity or settings.EXECUTOR_WORKERS
        self.name = name or worker_name()
        self.lease = timedelta(seconds=settings.JOB_LEASE_SECONDS)

    def run(self, stop: threading.Event) -> None:
        """Work until ``stop`` is set; in-flight fits are finished and stored first."""
        database = make_url(self.settings.DATABASE_URL).render_as_string(hide_password=True)
        log.info(
            "worker %s started: database %s, executor %s, %d fit(s) at a time",
            self.name,
            database,
            describe_executor(self.settings),
            self.capacity,
        )
        while not stop.is_set():
            try:
                busy = self.run_once()
            except SQLAlchemyError as exc:
                log.warning("worker %s: database error, retrying: %s", self.name, exc)
                busy = 0
            except BrokenProcessPool:
                # A fit process died (OOM killer, SIGKILL): its jobs' leases expire and are
                # taken again; this worker gets a fresh pool and goes on.
                log.error("worker %s: the process pool broke; starting a new one", self.name)
                self.executor.shutdown(wait=False, cancel_futures=True)
                self.executor = make_executor(self.settings)
                busy = 0
            if not busy:
                stop.wait(self.settings.WORKER_POLL_SECONDS)
        log.info("worker %s stopped", self.name)

    def run_once(self) -> int:
        """Claim and run one batch; returns the number of jobs claimed."""
        self._fail_exhausted()
        if self._run_pipeline():
            return 1
        with unit_of_work(self.factory) as session:
            jobs = JobRepository(session).claim(
                self.name, [JobKind.FIT_REGION], self.lease, self.capacity
            )
            claimed = [
                Claimed(j.id, j.parent_id, payload_of(j, FitRegionPayload).region) for j in jobs
            ]
        if not claimed:
            return 0
        with unit_of_work(self.factory) as session:
            start_parents(session, [c.parent_id for c in claimed if c.parent_id])
        for c in claimed:
            log.info("worker %s claimed job %s (%s)", self.name, c.id, c.region)
        done = threading.Event()
        beat = threading.Thread(
            target=self._heartbeat, args=([c.id for c in claimed], done), daemon=True
        )
        beat.start()
        try:
            self._run_batch(claimed)
        finally:
            done.set()
            beat.join()
        return len(claimed)

    def _run_pipeline(self) -> bool:
        """Run one queued pipeline job here (it only does I/O and enqueues fits)."""
        with unit_of_work(self.factory) as session:
            jobs = JobRepository(session).claim(self.name, [JobKind.PIPELINE], self.lease, 1)
            job_id = jobs[0].id if jobs else None
        if job_id is None:
            return False
        log.info("worker %s claimed pipeline job %s", self.name, job_id)
        done = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=([job_id], done), daemon=True)
        beat.start()
        try:
            result = run_pipeline(self.factory, self.settings, job_id)
            with unit_of_work(self.factory) as session:
                JobRepository(session).set_progress(job_id, 3, 3)
                JobRepository(session).finish(job_id, self.name, JobStatus.SUCCEEDED, result=result)
            log.info("pipeline job %s succeeded", job_id)
        except (SQLAlchemyError, OSError, ValueError) as exc:
            log.warning("pipeline job %s failed: %s", job_id, exc)
            with unit_of_work(self.factory) as session:
                JobRepository(session).finish(job_id, self.name, JobStatus.FAILED, error=str(exc))
        finally:
            done.set()
            beat.join()
        return True

    def _run_batch(self, claimed: list[Claimed]) -> None:
        futures: dict[Future[FitOutput], Claimed] = {}
        for job in claimed:
            task = self._prepare(job)
            if task is not None:
                futures[self.executor.submit(run_fit_task, task)] = job
        for future in as_completed(futures):
            job = futures[future]
            try:
                output = future.result()
            except BrokenProcessPool:
                raise
            except Exception as exc:  # a failed fit fails its region only
                log.warning("fit of %s failed: %s", job.region, exc)
                self._finish(job, JobStatus.FAILED, f"{type(exc).__name__}: {exc}")
                continue
            self._store(job, output)

    def _prepare(self, job: Claimed) -> FitTask | None:
        with unit_of_work(self.factory) as session:
            parent = session.get(Job, job.parent_id) if job.parent_id else None
            if parent is not None and parent.cancel_requested:
                self._close(session, job, JobStatus.CANCELLED, "cancelled before it started")
                return None
            row = session.get(Job, job.id)
            assert row is not None
            try:
                return build_task(session, row)
            except ValueError as exc:
                self._close(session, job, JobStatus.FAILED, str(exc))
                return None

    def _store(self, job: Claimed, output: FitOutput) -> None:
        with unit_of_work(self.factory) as session:
            result = FitRegionResult(region=job.region, seconds=round(output.seconds, 3))
            finish = JobRepository(session).finish
            if not finish(job.id, self.name, JobStatus.SUCCEEDED, result=result):
                log.warning("lost the lease on job %s (%s): result discarded", job.id, job.region)
                return
            row = session.get(Job, job.id)
            assert row is not None
            fit_id = store_fit(session, row, output).id
            row.result = result.model_copy(update={"fit_id": fit_id}).to_json()
            if job.parent_id:
                close_parent(session, job.parent_id)
        log.info(
            "job %s (%s) succeeded: fit %s in %.1fs", job.id, job.region, fit_id, output.seconds
        )

    def _finish(self, job: Claimed, status: JobStatus, error: str) -> None:
        with unit_of_work(self.factory) as session:
            self._close(session, job, status, error)

    def _close(self, session: Session, job: Claimed, status: JobStatus, error: str) -> None:
        if not JobRepository(session).finish(job.id, self.name, status, error=error):
            return
        log.info("job %s (%s) %s: %s", job.id, job.region, status, error)
        if job.parent_id:
            close_parent(session, job.parent_id)

    def _fail_exhausted(self) -> None:
        with unit_of_work(self.factory) as session:
            for job_id, parent_id in JobRepository(session).close_dead():
                log.info(
                    "job %s closed: its worker died (lease expired) and it will not rerun", job_id
                )
                if parent_id:
                    close_parent(session, parent_id)

    def _heartbeat(self, job_ids: list[int], done: threading.Event) -> None:
        while not done.wait(self.lease.total_seconds() / 3):
            try:
                with unit_of_work(self.factory) as session:
                    JobRepository(session).heartbeat(self.name, job_ids, self.lease)
            except SQLAlchemyError as exc:
                log.warning("heartbeat failed: %s", exc)
