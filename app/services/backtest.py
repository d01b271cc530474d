"""Backtests: fit regions as of past forecast dates, unpublished, and export them in hub format.

A backtest is one parent job (kind ``backtest``) and one ``fit_region`` child per (forecast
date D, region), payload ``cutoff_date = D`` and ``publish = false``: the worker fits only the
observations dated before D, as of the newest release published on or before D (its
``vintage_date``, or the day it was retrieved), or, when no release is that old (a single
final release), the latest release. Hub forecast dates are Mondays.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.core.calibration import CALIBRATION_VERSION
from app.db.job_contracts import BacktestPayload, FitRegionPayload, JobKind, JobStatus
from app.db.jobs import JobRepository, new_job
from app.db.models import Job, Region, Release
from app.db.repositories import RegionRepository, ReleaseRepository
from app.errors import FieldProblem, invalid_input
from app.services.models import AUTO, learns_from_past, require_known
from app.services.regions import find_region
from app.services.scores import hub_location

CALIBRATIONS = ("none", CALIBRATION_VERSION)
MAX_DATES = 200
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class BacktestRequest:
    forecast_dates: list[date]
    regions: list[str] | None = None  # None: the 50 states and DC
    model: str = AUTO
    seed: int = 0
    calibration: str = CALIBRATION_VERSION
    extra: dict[str, str] = field(default_factory=dict)


def _problem(message: str, name: str) -> Exception:
    return invalid_input(message, [FieldProblem(message, field=name)])


def check_request(request: BacktestRequest) -> None:
    if not request.forecast_dates:
        raise _problem("give at least one forecast date", "forecast_dates")
    if len(request.forecast_dates) > MAX_DATES:
        raise _problem(f"at most {MAX_DATES} forecast dates per backtest", "forecast_dates")
    bad = [d.isoformat() for d in request.forecast_dates if d.weekday() != 0]
    if bad:
        raise _problem(
            f"forecast dates must be Mondays (hub convention): {', '.join(bad)}", "forecast_dates"
        )
    if request.calibration not in CALIBRATIONS:
        raise _problem(f"calibration must be one of {', '.join(CALIBRATIONS)}", "calibration")
    require_known(request.model)
    if request.regions is not None and not request.regions:
        raise _problem("regions must not be empty", "regions")


def default_regions(session: Session) -> list[Region]:
    """The 50 states and DC (hub locations 01..56 without the territories)."""
    rows, _ = RegionRepository(session).search("state", "US", None, 1000, 0)
    return [r for r in rows if (hub_location(r) or "99") < "60"]


def release_at(session: Session, day: date) -> Release:
    releases = ReleaseRepository(session)
    release = releases.latest_on_or_before(day) or releases.latest()
    if release is None:
        raise invalid_input("there is no data yet: ingest a file first")
    return release


def _key(region: str, release: int, model: str, seed: int, day: date) -> str:
    spec = json.dumps([JobKind.BACKTEST, region, release, model, seed, day.isoformat()])
    return hashlib.sha256(spec.encode()).hexdigest()


def enqueue_backtest(session: Session, request: BacktestRequest, max_attempts: int) -> Job:
    """One parent job and a child fit per (date, region); nothing is queued twice."""
    check_request(request)
    if request.regions is None:
        regions = default_regions(session)
    else:
        regions = list(
            {r.code: r for r in (find_region(session, c) for c in request.regions)}.values()
        )
    dates = sorted(set(request.forecast_dates))
    releases = {d: release_at(session, d) for d in dates}
    jobs = JobRepository(session)
    payload = BacktestPayload(
        forecast_dates=dates,
        regions=[r.code for r in regions],
        model=request.model,
        seed=request.seed,
        calibration=request.calibration,
    )
    parent = jobs.add(
        new_job(
            payload,
            max_attempts=max_attempts,
            status=JobStatus.RUNNING,
            total=len(dates) * len(regions),
        )
    )
    for day in dates:
        _add_children(jobs, parent, request, day, regions, releases[day], max_attempts)
    return parent


def _add_children(
    jobs: JobRepository,
    parent: Job,
    request: BacktestRequest,
    day: date,
    regions: list[Region],
    release: Release,
    max_attempts: int,
) -> None:
    """One child fit per region at ``day``. When the model learns from its earlier fits, the
    date's children wait until every earlier date's are done (``Job.wait_below_id``)."""
    ordered = learns_from_past(request.model, day - DAY)
    first_id: int | None = None
    for region in regions:
        child = FitRegionPayload(
            regions=[region.code],
            region_id=region.id,
            release_id=release.id,
            model=request.model,
            seed=request.seed,
            overrides={},
            cutoff_date=day,
            publish=False,
        )
        key = _key(region.code, release.id, request.model, request.seed, day)
        job = new_job(child, max_attempts=max_attempts, parent_id=parent.id, dedupe_key=key)
        job.wait_below_id = first_id
        jobs.add(job)
        if ordered and first_id is None:
            first_id = job.wait_below_id = job.id
