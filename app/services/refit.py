"""Refit use cases: enqueue a refit (one parent job, one child job per region) and turn a
finished fit into stored, published forecasts."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy.orm import Session

from app.core.seir import CaseSeries
from app.core.targets import Target
from app.core.types import FloatArray
from app.db.fits import FitRepository, ForecastValues
from app.db.job_contracts import (
    FitRegionPayload,
    JobKind,
    JobStatus,
    OverrideValue,
    RefitPayload,
    payload_of,
)
from app.db.jobs import JobRepository, new_job
from app.db.models import Fit, Job, Region, Release
from app.db.repositories import RegionRepository, ReleaseRepository
from app.errors import FieldProblem, invalid_input
from app.services.history import learned_plan
from app.services.modeling import FitOutput, FitTask
from app.services.models import AUTO, learns_from_past, require_known
from app.services.regions import contiguous_series, find_region, resolve_as_of


@dataclass(frozen=True, slots=True)
class RefitRequest:
    regions: list[str] | None  # None: every US state and territory
    as_of: str | None = None
    model: str = AUTO
    seed: int = 0
    overrides: dict[str, OverrideValue] | None = None  # FitSettings field -> value


@dataclass(frozen=True, slots=True)
class RefitOutcome:
    job: Job
    created: bool
    deduplicated: dict[str, int]


def _regions(session: Session, codes: list[str] | None) -> list[Region]:
    if codes is None:
        rows, _ = RegionRepository(session).search("state", "US", None, 1000, 0)
        return list(rows)
    if not codes:
        raise invalid_input("regions must not be empty", [FieldProblem("empty", field="regions")])
    found = {r.code: r for r in (find_region(session, c) for c in codes)}
    return list(found.values())


def _key(
    region: str, as_of: int | None, model: str, seed: int, overrides: dict[str, OverrideValue]
) -> str:
    spec = json.dumps([region, as_of, model, seed, sorted(overrides.items())])
    return hashlib.sha256(spec.encode()).hexdigest()


def enqueue_refit(session: Session, request: RefitRequest, max_attempts: int) -> RefitOutcome:
    """One parent job and a child per region; regions already being refit are deduplicated."""
    require_known(request.model)
    release = resolve_as_of(session, request.as_of) or ReleaseRepository(session).latest()
    if release is None:
        raise invalid_input("there is no data yet: ingest a file first")
    jobs, overrides = JobRepository(session), request.overrides or {}
    todo: list[tuple[Region, str]] = []
    duplicates: dict[str, Job] = {}
    keyed = [
        (r, _key(r.code, release.id, request.model, request.seed, overrides))
        for r in _regions(session, request.regions)
    ]
    jobs.lock_keys([key for _, key in keyed])
    for region, key in keyed:
        running = jobs.active_with_key(key)
        if running is not None:
            duplicates[region.code] = running
        else:
            todo.append((region, key))
    dedup = {code: job.parent_id or job.id for code, job in duplicates.items()}
    if not todo:
        parent = jobs.get(next(iter(dedup.values())))
        assert parent is not None
        return RefitOutcome(parent, False, dedup)
    payload = RefitPayload(
        regions=[r.code for r, _ in todo],
        release_id=release.id,
        model=request.model,
        seed=request.seed,
        overrides=overrides,
    )
    parent = jobs.add(
        new_job(payload, max_attempts=max_attempts, status=JobStatus.RUNNING, total=len(todo))
    )
    for region, key in todo:
        child = FitRegionPayload(
            **payload.model_dump(exclude={"regions"}), regions=[region.code], region_id=region.id
        )
        jobs.add(new_job(child, max_attempts=max_attempts, parent_id=parent.id, dedupe_key=key))
    return RefitOutcome(parent, True, dedup)


def ensure_initial_refit(session: Session, max_attempts: int) -> Job | None:
    """Queue a refit of the US states and territories and the US itself when nothing is
    published and nothing is queued (countries: refit them on demand)."""
    if (
        FitRepository(session).published_all()
        or JobRepository(session).search(None, JobKind.REFIT, True, 1, 0)[1]
    ):
        return None
    if ReleaseRepository(session).latest() is None:
        return None
    codes = [r.code for r in _regions(session, None)]
    if RegionRepository(session).ids_for(["US"]):
        codes.append("US")
    return enqueue_refit(session, RefitRequest(regions=codes), max_attempts).job


def build_task(session: Session, job: Job) -> FitTask:
    """The fit inputs of a child job: the region's deaths as of the job's release."""
    payload = payload_of(job, FitRegionPayload)
    region = session.get(Region, payload.region_id)
    if region is None:
        raise ValueError(f"region {payload.region} no longer exists")
    if region.population is None:
        raise ValueError(f"the population of {region.code} is unknown: it cannot be fitted")
    release = ReleaseRepository(session).get(payload.release_id)
    cutoff = payload.cutoff_date  # backtests: only observations dated before it
    dates, cumulative = _series(session, region, "deaths", release, cutoff)
    if not dates:
        raise ValueError(f"{region.code} has no deaths data as of release {payload.release_id}")
    case_dates, cases = _series(session, region, "cases", release, cutoff)
    forecast_date = dates[-1] + timedelta(days=1)
    learning = learns_from_past(payload.model, dates[-1])
    return FitTask(
        region.code,
        float(region.population),
        dates[0],
        cumulative,
        payload.model,
        payload.seed,
        dict(payload.overrides),
        CaseSeries(case_dates[0], cases) if case_dates else None,
        learned_plan(session, payload.release_id, forecast_date) if learning else None,
    )


def _series(
    session: Session, region: Region, series: str, release: Release | None, cutoff: date | None
) -> tuple[tuple[date, ...], FloatArray]:
    """The region's cumulative ``series`` as of the release, before ``cutoff`` if set.

    Uncleaned: the fit cleans what it reads."""
    days, values = contiguous_series(session, region, series, release)
    dates = tuple(days)
    if cutoff:
        keep = sum(1 for d in dates if d < cutoff)
        dates, values = dates[:keep], values[:keep]
    return dates, values


def _rows(out: FitOutput) -> list[ForecastValues]:
    f = out.forecast
    series: list[tuple[Target, tuple[date, ...], np.ndarray, np.ndarray]] = [
        (Target.INC_DAY, f.dates, f.daily_deaths, f.daily_deaths_mean),
        (Target.CUM_DAY, f.dates, f.cumulative_deaths, f.cumulative_deaths_mean),
        (Target.INC_WEEK, f.week_end_dates, f.weekly_deaths, f.weekly_deaths_mean),
        (
            Target.CUM_WEEK,
            f.week_end_dates,
            f.weekly_cumulative_deaths,
            f.weekly_cumulative_deaths_mean,
        ),
        (Target.INFECTIONS_DAY, f.dates, f.new_infections, f.new_infections_mean),
        (Target.RT_DAY, f.dates, f.r_effective, f.r_effective_mean),
    ]
    return [
        ForecastValues(target, day, float(means[i]), [float(v) for v in values[i]])
        for target, days, values, means in series
        for i, day in enumerate(days)
    ]


def store_fit(session: Session, job: Job, out: FitOutput) -> Fit:
    """Store the fit and its forecasts and publish them, in the caller's transaction."""
    payload = payload_of(job, FitRegionPayload)
    fit = Fit(
        region_id=payload.region_id,
        job_id=job.id,
        release_id=payload.release_id,
        model_version=out.model_version,
        grid_hash=out.grid_hash,
        seed=payload.seed,
        settings=out.settings,
        data_start_date=out.data_start,
        data_end_date=out.data_end,
        forecast_date=out.forecast.forecast_date,
        last_cumulative=out.last_cumulative,
        best_loss=out.best_loss,
        n_sets=out.n_sets,
        n_valid=out.n_valid,
        n_kept=len(out.kept.indices),
        kept=out.kept.to_json(),
        warnings=out.warnings,
        fit_seconds=out.seconds,
    )
    fits = FitRepository(session)
    fits.add(fit, _rows(out))
    if payload.publish:  # backtest fits are stored, never published
        fits.publish(fit.region_id, fit.id)
    return fit
