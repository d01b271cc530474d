"""Response models of the forecast endpoints."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from app.api import examples
from app.api.types import Rounded, UtcDatetime


class Distribution(BaseModel):
    """A predictive distribution: mean, median, quantiles at ``quantile_levels``, intervals."""

    mean: Rounded
    median: Rounded
    quantiles: list[Rounded] = Field(description="aligned with the response's quantile_levels")
    interval_50: tuple[Rounded, Rounded]
    interval_95: tuple[Rounded, Rounded]


class DayForecast(BaseModel):
    date: date
    incident: Distribution = Field(description="deaths reported that day")
    cumulative: Distribution = Field(description="cumulative deaths at the end of the day")


class WeekForecast(BaseModel):
    week_end: date = Field(description="Saturday ending the epiweek (Sunday-Saturday)")
    incident: Distribution = Field(description="deaths reported in the epiweek")
    cumulative: Distribution = Field(description="cumulative deaths on the Saturday")


class Provenance(BaseModel):
    fit_id: int
    model_version: str
    data_release: int
    data_end_date: date
    forecast_date: date = Field(description="first forecast day (the day after the data)")
    grid_hash: str
    seed: int
    fitted_at: UtcDatetime


class ForecastRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.FORECAST]})

    region: str
    region_name: str
    valid_range: tuple[date, date]
    quantile_levels: list[float]
    provenance: Provenance
    days: list[DayForecast]
    weeks: list[WeekForecast]
