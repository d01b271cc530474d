"""Response and request models (``XRead`` / ``XCreate``), separate from the ORM models."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from app.api.types import UtcDatetime
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
    last_date: date | None = Field(description="last date with deaths data")


class RegionPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[RegionRead]


class ReleaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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
    created: bool = Field(description="false when nothing changed and no release was recorded")
    message: str
    release: ReleaseRead


class IngestUrlCreate(BaseModel):
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
    daily: float = Field(description="daily count: raw difference or smoothed, per `series`")


class ObservationsRead(BaseModel):
    region: str
    metric: str
    series: str
    as_of_release: int | None
    points: list[ObservationPoint]
    flags: list[Flag]


class Health(BaseModel):
    status: str
    version: str


class Ready(BaseModel):
    status: str
    database: str
    regions: int
    releases: int
    attribution: str
