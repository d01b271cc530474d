"""The daily pipeline: ingest the configured sources, refit regions whose data changed,
score past forecasts and raise drift alerts. Enqueued by the schedule (app/jobs/scheduler.py),
run by a worker."""

import logging
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.fits import FitRepository
from app.db.job_contracts import (
    PipelinePayload,
    PipelineResult,
    SourceFailed,
    SourceIngested,
)
from app.db.jobs import JobRepository, new_job
from app.db.models import Job
from app.db.observations import ObservationRepository
from app.db.repositories import RegionRepository
from app.db.session import unit_of_work
from app.errors import AppError
from app.services.drift import check_drift
from app.services.fetch import read_source
from app.services.ingest import ingest_file
from app.services.refit import RefitRequest, enqueue_refit
from app.services.scores import score_pending

log = logging.getLogger(__name__)


def enqueue_pipeline(session: Session, tick: datetime, max_attempts: int) -> Job | None:
    """One pipeline job per schedule tick, however many processes run the scheduler."""
    key = f"pipeline:{tick.isoformat()}"
    jobs = JobRepository(session)
    jobs.lock_keys([key])
    if jobs.any_with_key(key):
        return None
    payload = PipelinePayload(tick=tick)
    return jobs.add(new_job(payload, max_attempts=max_attempts, dedupe_key=key, total=3))


def _ingest_sources(
    factory: sessionmaker[Session], settings: Settings
) -> list[SourceIngested | SourceFailed]:
    results: list[SourceIngested | SourceFailed] = []
    for source in settings.PIPELINE_SOURCES:
        try:
            got = read_source(source, settings)
            with unit_of_work(factory) as session:
                outcome = ingest_file(
                    session, got.data, source, got.name, max_bytes=settings.MAX_UPLOAD_BYTES
                )
            results.append(SourceIngested(source=source, message=outcome.message))
        except (AppError, OSError) as exc:
            log.warning("pipeline: %s failed: %s", source, exc)
            results.append(SourceFailed(source=source, error=str(exc)))
    return results


def stale_regions(session: Session) -> list[str]:
    """US states and territories with no published fit, or data newer than their fit."""
    last = ObservationRepository(session).last_dates("deaths")
    published = dict(FitRepository(session).published_all())
    states, _ = RegionRepository(session).search("state", "US", None, 1000, 0)
    regions = list(states) + [r for r in [RegionRepository(session).get_by_code("US")] if r]
    stale = []
    for region in regions:
        fit = published.get(region.id)
        if region.id in last and (fit is None or last[region.id] > fit.data_end_date):
            stale.append(region.code)
    return stale


def run_pipeline(factory: sessionmaker[Session], settings: Settings, job_id: int) -> PipelineResult:
    ingested = _ingest_sources(factory, settings)
    with unit_of_work(factory) as session:
        JobRepository(session).set_progress(job_id, 1, 3)
        stale = stale_regions(session)
        refit = (
            enqueue_refit(session, RefitRequest(regions=stale), settings.JOB_MAX_ATTEMPTS)
            if stale
            else None
        )
        JobRepository(session).set_progress(job_id, 2, 3)
    with unit_of_work(factory) as session:
        scored = score_pending(session)
        alerts = check_drift(session, settings)
    return PipelineResult(
        ingested=ingested,
        refit_job=refit.job.id if refit else None,
        refit_regions=stale,
        scored=scored,
        drift_alerts=len(alerts),
    )
