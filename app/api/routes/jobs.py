"""POST /refit and the job queue: GET /jobs, GET /jobs/{id}, DELETE /jobs/{id}."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.api.deps import DB_INT_MAX, ApiKeyDep, Offset, SessionDep, SettingsDep
from app.api.errors import problem_responses
from app.api.job_schemas import JobPage, JobRead, Progress, RefitCreate, RegionErrorRead
from app.services import jobs as service
from app.services.jobs import RegionError, cancel_job, get_job
from app.services.records import Job, JobStatus
from app.services.refit import RefitRequest, enqueue_refit

router = APIRouter(tags=["jobs"])
JobId = Annotated[
    int, Path(ge=1, le=DB_INT_MAX, description="the job id (Location of POST /refit)")
]


def job_read(
    job: Job, errors: list[RegionError] | None = None, deduplicated: dict[str, int] | None = None
) -> JobRead:
    return JobRead(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=Progress(done=job.progress_done, total=job.progress_total),
        attempts=job.attempts,
        cancel_requested=job.cancel_requested,
        created_at=job.created_at,  # UtcDatetime: naive SQLite values are UTC
        started_at=job.started_at,
        finished_at=job.finished_at,
        error=job.error,
        payload=job.payload,
        result=job.result or {},
        region_errors=[RegionErrorRead(region=e.region, error=e.error) for e in errors or []],
        deduplicated=deduplicated or {},
    )


@router.post(
    "/refit",
    response_model=JobRead,
    status_code=202,
    dependencies=[ApiKeyDep],
    responses={
        **problem_responses(401, 404, 422),
        200: {"model": JobRead, "description": "already running: that job"},
    },
)
def refit(
    body: RefitCreate, session: SessionDep, settings: SettingsDep, response: Response
) -> JobRead:
    """Fit regions in the background; 202 with the job (Location: /jobs/{id})."""
    request = RefitRequest(
        regions=None if body.regions == "all" else list(body.regions),
        as_of=body.as_of,
        model=body.model,
        seed=body.seed,
        overrides=body.settings.model_dump(exclude_none=True),
    )
    outcome = enqueue_refit(session, request, settings.JOB_MAX_ATTEMPTS)
    response.status_code = 202 if outcome.created else 200
    response.headers["Location"] = f"/jobs/{outcome.job.id}"
    return job_read(outcome.job, deduplicated=outcome.deduplicated)


@router.get("/jobs", response_model=JobPage, responses=problem_responses(422))
def list_jobs(
    session: SessionDep,
    status: Annotated[JobStatus | None, Query(description="only jobs in this state")] = None,
    kind: Annotated[
        str | None, Query(max_length=32, description="refit, fit_region, backtest or pipeline")
    ] = None,
    include_children: Annotated[
        bool, Query(description="also list the per-region fit_region jobs")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=500, description="jobs per page")] = 50,
    offset: Offset = 0,
) -> JobPage:
    """Jobs, newest first (per-region child jobs only with include_children=true)."""
    rows, total = service.list_jobs(session, status, kind, not include_children, limit, offset)
    return JobPage(total=total, limit=limit, offset=offset, items=[job_read(j) for j in rows])


@router.get("/jobs/{job_id}", response_model=JobRead, responses=problem_responses(404, 422))
def read_job(job_id: JobId, session: SessionDep) -> JobRead:
    """A job: status, progress, timings and the regions that failed."""
    job, errors = get_job(session, job_id)
    return job_read(job, errors)


@router.delete(
    "/jobs/{job_id}",
    response_model=JobRead,
    dependencies=[ApiKeyDep],
    responses=problem_responses(401, 404, 409, 422),
)
def delete_job(job_id: JobId, session: SessionDep) -> JobRead:
    """Cancel a job: queued regions are dropped, a running fit finishes its region."""
    return job_read(cancel_job(session, job_id))
