"""Job queue queries. Claims are conditional updates, so two workers never own one job:
``FOR UPDATE SKIP LOCKED`` picks candidates on PostgreSQL, and the ``UPDATE ... WHERE`` that
re-checks the state is the arbiter on both databases (SQLite serialises writers)."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Result, and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from app.db.base import utcnow
from app.db.job_contracts import ACTIVE, Contract, JobKind, JobStatus, Payload
from app.db.models import Job


def new_job(
    payload: Payload,
    *,
    max_attempts: int,
    status: JobStatus = JobStatus.QUEUED,
    parent_id: int | None = None,
    dedupe_key: str | None = None,
    total: int = 1,
) -> Job:
    """A job row of the payload's kind with its counters at zero (queued children, or a
    running parent)."""
    return Job(
        kind=payload.KIND,
        payload=payload.to_json(),
        status=status,
        parent_id=parent_id,
        attempts=0,
        max_attempts=max_attempts,
        dedupe_key=dedupe_key,
        progress_total=total,
        progress_done=0,
        cancel_requested=False,
        result={},
    )


def _rowcount(result: Result[Any]) -> int:
    return int(getattr(result, "rowcount", 0))


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone-aware columns: they are UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, job: Job) -> Job:
        self.session.add(job)
        self.session.flush()
        return job

    def get(self, job_id: int) -> Job | None:
        return self.session.get(Job, job_id)

    def active_with_key(self, dedupe_key: str) -> Job | None:
        stmt = select(Job).where(Job.dedupe_key == dedupe_key, Job.status.in_(ACTIVE)).limit(1)
        return self.session.scalar(stmt)

    def lock_keys(self, keys: Sequence[str]) -> None:
        """Serialise concurrent enqueues of the same keys until this transaction ends.

        PostgreSQL: transaction-level advisory locks, taken in sorted order (no deadlock), so a
        second ``POST /refit`` or scheduler sees the first one's jobs. SQLite needs none: its
        writers are serialised and a stale read fails to write instead of duplicating.
        """
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for key in sorted(set(keys)):
            self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))

    def any_with_key(self, dedupe_key: str) -> bool:
        stmt = select(Job.id).where(Job.dedupe_key == dedupe_key).limit(1)
        return self.session.scalar(stmt) is not None

    def children(self, parent_id: int) -> Sequence[Job]:
        return self.session.scalars(
            select(Job).where(Job.parent_id == parent_id).order_by(Job.id)
        ).all()

    def search(
        self,
        status: JobStatus | None,
        kind: str | None,
        parents_only: bool,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[Job], int]:
        stmt = select(Job)
        if status:
            stmt = stmt.where(Job.status == status)
        if kind:
            stmt = stmt.where(Job.kind == kind)
        if parents_only:
            stmt = stmt.where(Job.parent_id.is_(None))
        total = self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = self.session.scalars(stmt.order_by(Job.id.desc()).limit(limit).offset(offset)).all()
        return rows, total

    def counts_by_kind_status(self) -> dict[tuple[str, str], int]:
        stmt = select(Job.kind, Job.status, func.count(Job.id)).group_by(Job.kind, Job.status)
        return {(k, s): int(n) for k, s, n in self.session.execute(stmt).all()}

    def _claimable(self, now: datetime, kinds: Sequence[JobKind]) -> Any:
        expired = and_(Job.status == JobStatus.RUNNING, Job.lease_expires_at < now)
        sibling = aliased(Job)
        earlier_active = (
            select(sibling.id)
            .where(
                sibling.parent_id == Job.parent_id,
                sibling.id < Job.wait_below_id,
                sibling.status.in_(ACTIVE),
            )
            .exists()
        )
        return and_(
            Job.kind.in_(kinds),
            or_(Job.status == JobStatus.QUEUED, expired),
            Job.cancel_requested.is_(False),
            or_(Job.wait_below_id.is_(None), ~earlier_active),
        )

    def claim(
        self, owner: str, kinds: Sequence[JobKind], lease: timedelta, limit: int
    ) -> list[Job]:
        """Lease up to ``limit`` runnable jobs (queued, or running with an expired lease)."""
        now = utcnow()
        stmt = select(Job.id).where(self._claimable(now, kinds)).order_by(Job.id).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        claimed: list[Job] = []
        for job_id in self.session.scalars(stmt).all():
            result = self.session.execute(
                update(Job)
                .where(Job.id == job_id, self._claimable(now, kinds))
                .values(
                    status=JobStatus.RUNNING,
                    lease_owner=owner,
                    lease_expires_at=now + lease,
                    heartbeat_at=now,
                    attempts=Job.attempts + 1,
                    started_at=func.coalesce(Job.started_at, now),
                )
                .execution_options(synchronize_session=False)
            )
            if _rowcount(result) == 1:
                job = self.session.get(Job, job_id, populate_existing=True)
                if job is not None:
                    claimed.append(job)
        return claimed

    def heartbeat(self, owner: str, job_ids: Sequence[int], lease: timedelta) -> set[int]:
        """Extend the leases still held by ``owner``; returns the ids still held."""
        now = utcnow()
        held = set(
            self.session.scalars(
                select(Job.id).where(
                    Job.id.in_(list(job_ids)),
                    Job.lease_owner == owner,
                    Job.status == JobStatus.RUNNING,
                )
            )
        )
        if held:
            self.session.execute(
                update(Job)
                .where(Job.id.in_(held))
                .values(heartbeat_at=now, lease_expires_at=now + lease)
            )
        return held

    def finish(
        self,
        job_id: int,
        owner: str,
        status: JobStatus,
        error: str | None = None,
        result: Contract | None = None,
    ) -> bool:
        """Close a job this worker holds; False if the lease was lost meanwhile."""
        values: dict[str, Any] = {
            "status": status,
            "error": error,
            "finished_at": utcnow(),
            "lease_owner": None,
            "lease_expires_at": None,
        }
        if result is not None:
            values["result"] = result.to_json()
        if status == JobStatus.SUCCEEDED:  # progress counts what was done: all of it
            values["progress_done"] = Job.progress_total
        outcome = self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_owner == owner, Job.status == JobStatus.RUNNING)
            .values(**values)
        )
        return _rowcount(outcome) == 1

    def release(self, job_id: int, owner: str) -> None:
        """Give a job back to the queue (graceful shutdown): the attempt does not count."""
        self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_owner == owner, Job.status == JobStatus.RUNNING)
            .values(
                status=JobStatus.QUEUED,
                lease_owner=None,
                lease_expires_at=None,
                attempts=Job.attempts - 1,
            )
        )

    def close_dead(self) -> list[tuple[int, int | None]]:
        """Close running jobs whose worker died (lease expired) and that will not run again:
        cancelled ones, and those past their last attempt. Conditional updates, so a job its
        worker closes meanwhile is left alone. Returns (job id, parent id) of those closed."""
        now = utcnow()
        expired = and_(Job.status == JobStatus.RUNNING, Job.lease_expires_at < now)
        dead = or_(Job.cancel_requested.is_(True), Job.attempts >= Job.max_attempts)
        closed: list[tuple[int, int | None]] = []
        for job in self.session.execute(
            select(Job.id, Job.parent_id, Job.cancel_requested, Job.attempts).where(expired, dead)
        ).all():
            status = JobStatus.CANCELLED if job.cancel_requested else JobStatus.FAILED
            error = (
                "cancelled"
                if job.cancel_requested
                else f"lease expired after {job.attempts} attempt(s): its worker died"
            )
            outcome = self.session.execute(
                update(Job)
                .where(Job.id == job.id, expired, dead)
                .values(
                    status=status,
                    error=error,
                    finished_at=now,
                    lease_owner=None,
                    lease_expires_at=None,
                )
            )
            if _rowcount(outcome) == 1:
                closed.append((job.id, job.parent_id))
        return closed

    def set_progress(self, job_id: int, done: int, total: int) -> None:
        self.session.execute(
            update(Job).where(Job.id == job_id).values(progress_done=done, progress_total=total)
        )

    def child_counts(self, parent_id: int) -> dict[str, int]:
        stmt = (
            select(Job.status, func.count(Job.id))
            .where(Job.parent_id == parent_id)
            .group_by(Job.status)
        )
        return {status: int(n) for status, n in self.session.execute(stmt).all()}

    def lock(self, job_id: int) -> Job | None:
        """The row, locked for update on PostgreSQL (parents are updated by many workers)."""
        stmt = select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
        if self.session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        return self.session.scalar(stmt)

    def cancel_queued_children(self, parent_id: int) -> int:
        outcome = self.session.execute(
            update(Job)
            .where(Job.parent_id == parent_id, Job.status == JobStatus.QUEUED)
            .values(status=JobStatus.CANCELLED, finished_at=utcnow(), error="cancelled")
        )
        return _rowcount(outcome)
