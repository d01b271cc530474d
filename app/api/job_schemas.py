"""Request and response models of the job endpoints."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api import examples
from app.api.types import UtcDatetime
from app.services.models import AUTO, ModelName, describe
from app.services.records import JobStatus


class FitOverrides(BaseModel):
    """Fit settings a client may change, within bounds (defaults: docs/MODEL.md)."""

    model_config = ConfigDict(extra="forbid")

    keep_fraction: Annotated[float, Field(ge=0.01, le=0.5)] | None = None
    min_keep: Annotated[int, Field(ge=5, le=500)] | None = None
    weight_power: Annotated[float, Field(ge=0.0, le=5.0)] | None = None
    recency_decay: Annotated[float, Field(ge=0.8, le=1.0)] | None = None
    horizon_days: Annotated[int, Field(ge=14, le=120)] | None = None
    case_weight: (
        Annotated[float, Field(ge=0.0, le=1.0, description="lean towards cases; 0: deaths only")]
        | None
    ) = None


class RefitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.REFIT]})

    regions: list[Annotated[str, Field(min_length=1, max_length=100)]] | Literal["all"] = Field(
        description='region codes or aliases, or "all" (the 56 US states and territories)',
        examples=[["US-NY", "TX"], "all"],
    )
    as_of: str | None = Field(default=None, description="release id or date of the data to fit")
    model: ModelName = Field(default=ModelName(AUTO), description=describe())
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    settings: FitOverrides = Field(default_factory=FitOverrides)


class Progress(BaseModel):
    done: int
    total: int


class RegionErrorRead(BaseModel):
    region: str
    error: str


class JobRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.JOB]})

    id: int
    kind: str
    status: JobStatus
    progress: Progress
    attempts: int
    cancel_requested: bool
    created_at: UtcDatetime
    started_at: UtcDatetime | None
    finished_at: UtcDatetime | None
    error: str | None
    payload: dict[str, Any]
    result: dict[str, Any]
    region_errors: list[RegionErrorRead] = Field(default_factory=list)
    deduplicated: dict[str, int] = Field(
        default_factory=dict, description="regions already being refit, with their job id"
    )


class JobPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.JOB_PAGE]})

    total: int
    limit: int
    offset: int
    items: list[JobRead]
