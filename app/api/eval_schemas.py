"""Request and response models of the evaluation endpoints."""

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from app.api import examples
from app.api.types import UtcDatetime
from app.core.calibration import CALIBRATION_VERSION
from app.core.scoring import METRICS
from app.services.models import AUTO, ModelName, describe


class ImportRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.IMPORT]})

    model: str
    forecast_dates: list[date]
    forecasts: int = Field(description="(forecast date, target, location) forecasts stored")
    rows: int = Field(description="CSV rows read")
    date_column: str
    scored: int = Field(description="forecasts scored right away (their truth is known)")


class _SummaryBase(BaseModel):
    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: Any) -> Any:
        """A service ``Summary`` holds its metrics in one dict; the response lists them flat."""
        if isinstance(data, dict) and isinstance(data.get("metrics"), dict):
            return {k: v for k, v in data.items() if k != "metrics"} | data["metrics"]
        return data


def _summary_fields() -> dict[str, Any]:
    """model, n, one field per metric of ``METRICS`` (nullable if it can be missing), region,
    horizon."""
    fields: dict[str, Any] = {"model": (str, ...), "n": (int, ...)}
    for metric in METRICS:
        fields[metric.name] = (float | None if metric.optional else float, ...)
    return fields | {"region": (str | None, None), "horizon": (int | None, None)}


if TYPE_CHECKING:
    SummaryRead = _SummaryBase
else:
    SummaryRead = create_model("SummaryRead", __base__=_SummaryBase, **_summary_fields())


class EvaluationRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.EVALUATION]})

    target: str
    baseline: str | None = Field(description="the relative-WIS reference model")
    models: list[str]
    levels: list[float] = Field(description="quantile levels all compared models have")
    forecasts: int = Field(description="(region, target end date, horizon) shared by all")
    truth_sources: list[str]
    overall: list[SummaryRead]
    by_region: list[SummaryRead]
    by_horizon: list[SummaryRead]


class BacktestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.BACKTEST]})

    forecast_dates: list[date] = Field(min_length=1, max_length=200, examples=[["2020-06-01"]])
    regions: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(
        default=None, description="codes or aliases; default the 50 states and DC", min_length=1
    )
    model: ModelName = Field(default=ModelName(AUTO), description=describe())
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    calibration: Literal["none", "conformal-widening-2"] = Field(
        default="conformal-widening-2",
        description=f"{CALIBRATION_VERSION} (default; applied on export once 100 past forecasts "
        "per horizon exist) or none",
    )


class AlertRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [examples.ALERT]}
    )

    id: int
    model: str
    region: str
    metric: str
    value: float
    threshold: float
    window_start: date
    window_end: date
    n_forecasts: int
    refit_job_id: int | None
    created_at: UtcDatetime
