"""Parent-job accounting: when a refit or backtest started, its attempts, its progress (the
regions actually done) and, once its last child ends, its status and a summary result."""

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from app.db.base import utcnow
from app.db.jobs import JobRepository
from app.db.models import Job

log = logging.getLogger(__name__)
OUTCOMES = ("succeeded", "failed", "cancelled")


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


def summary(children: Sequence[Job]) -> dict[str, Any]:
    """The result of a finished parent: counts and regions by outcome, the fits stored."""
    regions: dict[str, list[str]] = {outcome: [] for outcome in OUTCOMES}
    fits: list[dict[str, Any]] = []
    for c in children:
        region = str(c.payload["regions"][0])
        regions.setdefault(c.status, []).append(region)
        if c.status == "succeeded" and c.result.get("fit_id") is not None:
            fits.append({"region": region, "fit_id": int(c.result["fit_id"])})
    counts = {outcome: len(regions[outcome]) for outcome in OUTCOMES}
    return {**counts, "regions": regions, "fits": fits}


def close_parent(session: Session, parent_id: int) -> None:
    """Update the parent's progress (regions fitted or failed, not the cancelled ones); the
    last child to finish closes it with a summary result."""
    jobs = JobRepository(session)
    parent = jobs.lock(parent_id)
    if parent is None:
        return
    counts = jobs.child_counts(parent_id)
    succeeded, failed = counts.get("succeeded", 0), counts.get("failed", 0)
    parent.progress_done = succeeded + failed
    if counts.get("queued", 0) or counts.get("running", 0) or parent.status != "running":
        return
    parent.finished_at = utcnow()
    if parent.cancel_requested or succeeded + failed == 0:
        parent.status = "cancelled"
    else:
        parent.status = "succeeded" if succeeded else "failed"
    parent.error = f"{failed} region(s) failed" if failed else None
    parent.result = summary(jobs.children(parent_id))
    log.info(
        "%s job %s %s: %d region(s) succeeded, %d failed, %d cancelled",
        parent.kind,
        parent.id,
        parent.status,
        succeeded,
        failed,
        counts.get("cancelled", 0),
        extra={"fields": {"job_id": parent.id, "status": parent.status, **counts}},
    )
