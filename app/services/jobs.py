"""Job read and cancel use cases."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.db.base import utcnow
from app.db.job_contracts import TERMINAL, FitRegionPayload, JobStatus, payload_of
from app.db.jobs import JobRepository
from app.db.models import Job
from app.errors import conflict, not_found
from app.jobs.accounting import close_parent


@dataclass(frozen=True, slots=True)
class RegionError:
    region: str
    error: str


def get_job(session: Session, job_id: int) -> tuple[Job, list[RegionError]]:
    jobs = JobRepository(session)
    job = jobs.get(job_id)
    if job is None:
        raise not_found(f"no job {job_id}")
    errors = [
        RegionError(payload_of(c, FitRegionPayload).region, c.error or c.status)
        for c in jobs.children(job_id)
        if c.status == JobStatus.FAILED
    ]
    return job, errors


def list_jobs(
    session: Session,
    status: JobStatus | None,
    kind: str | None,
    parents_only: bool,
    limit: int,
    offset: int,
) -> tuple[Sequence[Job], int]:
    """A page of jobs, newest first, and how many match in all."""
    return JobRepository(session).search(status, kind, parents_only, limit, offset)


def job_progress(session: Session, job_id: int) -> tuple[str, int, int]:
    """(status, regions done, regions in all) of a job; 404 for no such job."""
    job = JobRepository(session).get(job_id)
    if job is None:
        raise not_found(f"no job {job_id}")
    return job.status, job.progress_done, job.progress_total


def cancel_job(session: Session, job_id: int) -> Job:
    """Queued work is cancelled at once; running fits finish their current region."""
    jobs = JobRepository(session)
    job = jobs.lock(job_id)
    if job is None:
        raise not_found(f"no job {job_id}")
    if job.status in TERMINAL:
        raise conflict(f"job {job_id} is already {job.status}", job_status=job.status)
    job.cancel_requested = True
    jobs.cancel_queued_children(job.id)
    session.flush()
    if jobs.child_counts(job.id):
        close_parent(session, job.id)  # progress, and "cancelled" once nothing runs
    elif job.status == JobStatus.QUEUED:
        job.status, job.finished_at = JobStatus.CANCELLED, utcnow()
    if job.parent_id is not None:  # a single region of a refit: its parent may be done now
        session.flush()
        close_parent(session, job.parent_id)
    return job
