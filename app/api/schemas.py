"""Response and request models (``XRead`` / ``XCreate``), separate from the ORM models."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from app.api import examples
from app.api.types import Rounded, UtcDatetime
from app.ingest.sniff import FileFormat, Series


class RegionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(examples=["US-NY"])
    name: str
    level: str = Field(description="country | state | county | other")
    kind: str
    parent_code: str | None
    population: int | None
    fips: str | None


class RegionDetail(RegionRead):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.REGION_DETAIL]})

    last_date: date | None = Field(description="last date with deaths data")


class RegionPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.REGION_PAGE]})

    total: int
    limit: int
    offset: int
    items: list[RegionRead]


class ReleaseRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [examples.RELEASE]}
    )

    id: int
    source: str
    format: str
    sha256: str
    retrieved_at: UtcDatetime
    vintage_date: date | None
    rows_read: int
    values_read: int
    values_stored: int
    regions: int
    first_date: date | None
    last_date: date | None
    series: str


class IngestRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.INGEST]})

    created: bool = Field(description="false when nothing changed and no release was recorded")
    message: str
    release: ReleaseRead


class IngestUrlCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.INGEST_URL]})

    url: HttpUrl
    format: FileFormat = FileFormat.AUTO
    series: Series | None = Field(default=None, description="for wide files: deaths or cases")
    vintage_date: date | None = Field(default=None, description="date the data was published")


class Flag(BaseModel):
    date: date
    kind: str = Field(description="decrease | zero_then_catchup | dump")
    reason: str


class ObservationPoint(BaseModel):
    date: date
    cumulative: float
    daily: Rounded = Field(description="daily count: raw difference or smoothed, per `series`")


class ObservationsRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.OBSERVATIONS]})

    region: str
    metric: str
    series: str
    as_of_release: int | None
    points: list[ObservationPoint]
    flags: list[Flag]


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.HEALTH]})

    status: str
    version: str


class Ready(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.READY]})

    status: str
    database: str
    regions: int
    releases: int
    attribution: str
