"""The job queue's contracts: its kinds and statuses, and each kind's payload and result as
stored in the job table's JSON columns.

``Contract.to_json`` is the only writer of those columns and ``payload_of`` / ``result_of`` the
only readers, so no code reads a payload by string key. A field with a default is left out of
the stored JSON while it has its default (``cutoff_date``, ``publish``, ``fit_id``), as the
rows written before these models were; unknown keys in old rows are ignored.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer

if TYPE_CHECKING:  # not at run time: fit processes import these without a database
    from app.db.models import Job


class JobKind(StrEnum):
    REFIT = "refit"  # parent: one fit_region child per region
    BACKTEST = "backtest"  # parent: one fit_region child per (forecast date, region)
    FIT_REGION = "fit_region"  # one region's fit, run by a worker
    PIPELINE = "pipeline"  # the daily pipeline: ingest, refit, score, drift


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE: tuple[JobStatus, ...] = (JobStatus.QUEUED, JobStatus.RUNNING)
TERMINAL: tuple[JobStatus, ...] = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)

OverrideValue = bool | int | float | None
"""A fit-setting override's value (``FitSettings`` field name -> value)."""
IsoDatetime = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str)]


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    def to_json(self) -> dict[str, Any]:
        """The JSON stored in the job table (fields still at their default left out)."""
        return self.model_dump(mode="json", exclude_defaults=True)


class Payload(Contract):
    KIND: ClassVar[JobKind]


class RefitPayload(Payload):
    KIND = JobKind.REFIT
    regions: list[str]
    release_id: int
    model: str
    seed: int
    overrides: dict[str, OverrideValue]


class FitRegionPayload(Payload):
    KIND = JobKind.FIT_REGION
    regions: list[str]  # the one region, as the parent's list of regions
    release_id: int
    model: str
    seed: int
    overrides: dict[str, OverrideValue]
    region_id: int
    cutoff_date: date | None = None  # backtests: fit only the observations dated before it
    publish: bool = True  # backtests: their fits are stored, never published

    @property
    def region(self) -> str:
        return self.regions[0]


class BacktestPayload(Payload):
    KIND = JobKind.BACKTEST
    forecast_dates: list[date]
    regions: list[str]
    model: str
    seed: int
    calibration: str


class PipelinePayload(Payload):
    KIND = JobKind.PIPELINE
    tick: IsoDatetime


class FitRegionResult(Contract):
    region: str
    seconds: float
    fit_id: int | None = None  # set in the transaction that stores the fit


class FitRef(Contract):
    region: str
    fit_id: int


class ParentResult(Contract):
    """A finished refit or backtest: counts and regions by outcome, the fits stored."""

    succeeded: int
    failed: int
    cancelled: int
    regions: dict[str, list[str]]
    fits: list[FitRef]


class SourceIngested(Contract):
    source: str
    message: str


class SourceFailed(Contract):
    source: str
    error: str


class PipelineResult(Contract):
    ingested: list[SourceIngested | SourceFailed]
    refit_job: int | None
    refit_regions: list[str]
    scored: int
    drift_alerts: int


P = TypeVar("P", bound=Payload)
R = TypeVar("R", bound=Contract)


def payload_of(job: "Job", kind: type[P]) -> P:
    """The job's payload as ``kind``; ValueError when the job is of another kind."""
    if job.kind != kind.KIND:
        raise ValueError(f"job {job.id} is a {job.kind} job, not {kind.KIND}")
    return kind.model_validate(job.payload)


def result_of(job: "Job", kind: type[R]) -> R:
    """The job's result as ``kind`` (pydantic's ValidationError when it has none)."""
    return kind.model_validate(job.result)
