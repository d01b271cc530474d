"""Parent-job accounting: when a refit or backtest started, its attempts, its progress (the
regions actually done) and, once its last child ends, its status and a summary result."""

import logging
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from app.db.base import utcnow
from app.db.job_contracts import (
    TERMINAL,
    FitRef,
    FitRegionPayload,
    FitRegionResult,
    JobStatus,
    ParentResult,
    payload_of,
    result_of,
)
from app.db.jobs import JobRepository
from app.db.models import Job

log = logging.getLogger(__name__)


def start_parents(session: Session, parent_ids: Iterable[int]) -> None:
    """A parent starts when its first child is claimed; its attempts are its children's most.

    One row at a time in id order, so two workers never lock parents in opposite orders."""
    child = aliased(Job)
    most = select(func.max(child.attempts)).where(child.parent_id == Job.id).scalar_subquery()
    for parent_id in sorted(set(parent_ids)):
        session.execute(
            update(Job)
            .where(Job.id == parent_id)
            .values(
                started_at=func.coalesce(Job.started_at, utcnow()),
                attempts=func.coalesce(most, Job.attempts),
            )
            .execution_options(synchronize_session=False)
        )


def summary(children: Sequence[Job]) -> ParentResult:
    """The result of a finished parent: counts and regions by outcome, the fits stored."""
    regions: dict[str, list[str]] = {outcome: [] for outcome in TERMINAL}
    fits: list[FitRef] = []
    for c in children:
        region = payload_of(c, FitRegionPayload).region
        regions.setdefault(c.status, []).append(region)
        fit_id = result_of(c, FitRegionResult).fit_id if c.status == JobStatus.SUCCEEDED else None
        if fit_id is not None:
            fits.append(FitRef(region=region, fit_id=fit_id))
    return ParentResult(
        succeeded=len(regions[JobStatus.SUCCEEDED]),
        failed=len(regions[JobStatus.FAILED]),
        cancelled=len(regions[JobStatus.CANCELLED]),
        regions=regions,
        fits=fits,
    )


def close_parent(session: Session, parent_id: int) -> None:
    """Update the parent's progress (regions fitted or failed, not the cancelled ones); the
    last child to finish closes it with a summary result."""
    jobs = JobRepository(session)
    parent = jobs.lock(parent_id)
    if parent is None:
        return
    counts = jobs.child_counts(parent_id)
    succeeded, failed = counts.get(JobStatus.SUCCEEDED, 0), counts.get(JobStatus.FAILED, 0)
    parent.progress_done = succeeded + failed
    running = counts.get(JobStatus.QUEUED, 0) or counts.get(JobStatus.RUNNING, 0)
    if running or parent.status != JobStatus.RUNNING:
        return
    parent.finished_at = utcnow()
    if parent.cancel_requested or succeeded + failed == 0:
        parent.status = JobStatus.CANCELLED
    else:
        parent.status = JobStatus.SUCCEEDED if succeeded else JobStatus.FAILED
    parent.error = f"{failed} region(s) failed" if failed else None
    parent.result = summary(jobs.children(parent_id)).to_json()
    log.info(
        "%s job %s %s: %d region(s) succeeded, %d failed, %d cancelled",
        parent.kind,
        parent.id,
        parent.status,
        succeeded,
        failed,
        counts.get(JobStatus.CANCELLED, 0),
        extra={"fields": {"job_id": parent.id, "status": parent.status, **counts}},
    )
