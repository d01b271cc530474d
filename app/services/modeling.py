"""One region's fit and forecast as a pure, picklable task for the compute executor.

The executor (a process pool, or Dask) runs ``run_fit_task`` far from the database: the task
carries the observed series and the region's constants in, the forecast and the kept
parameter sets out.
"""

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from pydantic import TypeAdapter

from app.core.online_ensemble import Plan
from app.core.seir import (
    CaseSeries,
    FitResult,
    FitSettings,
    Forecast,
    region_constants_for,
)
from app.core.seir.regions import FIRST_DATE_OFFSET_DAYS
from app.core.types import FloatArray
from app.db.job_contracts import OverrideValue
from app.services.kept import CaseSignalRecord, EnsembleRecord, KeptEnsemble
from app.services.models import AUTO, ModelInputs, resolve

MIN_DAYS_AFTER_DAY0 = 30
FORECAST_DAYS = 62  # covers the 8 epiweek targets from any weekday


@dataclass(frozen=True, slots=True)
class FitTask:
    """Inputs of one region's fit.

    ``cumulative``: float (n_days,), deaths from ``start``; ``cases``: the region's reported
    cumulative cases (None: none stored; the forecast then uses deaths only); ``plan``: the
    learning ensemble's weights and factors from its past forecasts known at the forecast
    date (``app.services.history``).
    """

    region_code: str
    population: float
    start: date
    cumulative: FloatArray
    model: str = AUTO
    seed: int = 0
    overrides: dict[str, OverrideValue] = field(default_factory=dict)
    cases: CaseSeries | None = None
    plan: Plan | None = None  # seircast-ensemble.5: weights and factors learned at D


@dataclass(frozen=True, slots=True)
class FitOutput:
    model_version: str
    grid_hash: str
    settings: dict[str, Any]
    data_start: date
    data_end: date
    last_cumulative: float
    best_loss: float
    n_sets: int
    n_valid: int
    kept: KeptEnsemble
    warnings: list[str]
    forecast: Forecast
    seconds: float


_FIT_SETTINGS = TypeAdapter(FitSettings)


def fit_settings(overrides: Mapping[str, OverrideValue]) -> FitSettings:
    """The default ``FitSettings`` with ``overrides`` (field name -> value), validated against
    the fields' types (an optional field takes a value or None).

    Raises:
        ValueError: an unknown field, or a value of the wrong type.
    """
    unknown = sorted(set(overrides) - set(asdict(FitSettings())))
    if unknown:
        raise ValueError(f"unknown fit settings: {', '.join(unknown)}")
    return _FIT_SETTINGS.validate_python(asdict(FitSettings()) | dict(overrides))


def _constants_code(region_code: str) -> str:
    """The core's region table is keyed by postal codes (``NY``) and ``US``."""
    return (
        region_code[3:] if region_code.startswith("US-") and len(region_code) == 5 else region_code
    )


def _trimmed(task: FitTask) -> tuple[date, FloatArray, date]:
    """Start the series at day 0 (first death - 24 days) when it begins earlier."""
    positive = np.flatnonzero(task.cumulative > 0)
    if positive.size == 0:
        raise ValueError("no deaths reported yet: nothing to fit")
    first_death = task.start + timedelta(days=int(positive[0]))
    day0 = first_death - timedelta(days=FIRST_DATE_OFFSET_DAYS)
    skip = max(0, (day0 - task.start).days)
    start = task.start + timedelta(days=skip)
    if task.cumulative.size - skip < MIN_DAYS_AFTER_DAY0:
        raise ValueError(f"fewer than {MIN_DAYS_AFTER_DAY0} days of data after {day0}")
    return start, task.cumulative[skip:], first_death


def _kept(result: FitResult, prediction: Forecast, ensemble: EnsembleRecord | None) -> KeptEnsemble:
    idx = result.kept_indices
    signal = prediction.case_signal
    return KeptEnsemble(
        ensemble=ensemble,
        indices=idx.tolist(),
        weights=result.weights.tolist(),
        losses=result.losses[idx].tolist(),
        params=[_jsonable(p) for p in result.kept_params()],
        best_params=_jsonable(result.best_params),
        case_signal=None
        if signal is None
        else CaseSignalRecord(
            deaths_per_case=signal.ratio,
            lag_days=signal.lag_days,
            case_growth_per_day=signal.growth,
            last_case_date=signal.last_case_date,
        ),
    )


def _case_warnings(task: FitTask, prediction: Forecast, case_weight: float) -> list[str]:
    if prediction.case_signal is not None or case_weight <= 0:
        return []
    if task.cases is None:
        return ["no reported cases are stored for this region: the forecast uses deaths only"]
    return [
        "the reported cases are too short, end over a week before the deaths, or have no "
        "cases or deaths in the ratio window: the forecast uses deaths only"
    ]


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v.isoformat() if isinstance(v, date) else float(v) if isinstance(v, np.floating) else v)
        for k, v in params.items()
    }


def _check_finite(prediction: Forecast) -> None:
    arrays = (
        prediction.daily_deaths,
        prediction.cumulative_deaths,
        prediction.weekly_deaths,
        prediction.daily_deaths_mean,
        prediction.r_effective,
    )
    if not all(np.all(np.isfinite(a)) for a in arrays):
        raise ValueError("the fit produced non-finite forecasts (too few recent deaths to fit)")


def run_fit_task(task: FitTask) -> FitOutput:
    """Fit and forecast one region (CPU-bound; runs on the compute executor)."""
    started = time.perf_counter()
    start, cumulative, first_death = _trimmed(task)
    data_end = start + timedelta(days=cumulative.size - 1)
    spec = resolve(task.model, data_end)
    settings = fit_settings(task.overrides)
    code = _constants_code(task.region_code)
    constants = region_constants_for(code, task.population, first_death)
    horizon = min(FORECAST_DAYS, settings.horizon_days)
    inputs = ModelInputs(
        cumulative, start, constants, settings, task.seed, code, task.cases, horizon, task.plan
    )
    run = spec.run(inputs)
    result, prediction = run.fit, run.forecast
    _check_finite(prediction)
    valid = int(np.count_nonzero(result.valid))
    return FitOutput(
        model_version=prediction.model_version,
        grid_hash=result.grid_hash,
        settings=asdict(settings),
        data_start=start,
        data_end=data_end,
        last_cumulative=float(cumulative[-1]),
        best_loss=float(result.losses[result.best_index]),
        n_sets=int(result.losses.size),
        n_valid=valid,
        kept=_kept(result, prediction, run.ensemble),
        warnings=result.edge_warnings() + _case_warnings(task, prediction, settings.case_weight),
        forecast=prediction,
        seconds=time.perf_counter() - started,
    )
