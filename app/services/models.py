"""The registry of forecasting models: adding a model touches this module only.

A model is a ``ModelSpec``: its version string (stored with every fit), a one-line summary
(shown in the OpenAPI page and ``seircast --help``), and its fit function, which turns a
region's cumulative deaths into a ``FitResult`` that ``forecast`` turns into the targets.
The API (``ModelName``, an enum built from this registry), the CLI, refits and backtests
read the names from here; ``auto`` picks a model by the data's last date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.core.blend_model import MODEL_BLEND, BlendSettings, blend_forecast
from app.core.ensemble_model import MODEL_ENSEMBLE, run_ensemble
from app.core.learned_model import MODEL_LEARNED, run_learned
from app.core.online_ensemble import Plan
from app.core.seir import (
    MODEL_RT,
    MODEL_YYG_2020,
    CaseSeries,
    FitResult,
    FitSettings,
    Forecast,
    RegionConstants,
    fit,
    fit_rt,
    forecast,
)
from app.core.types import FloatArray
from app.errors import FieldProblem, invalid_input
from app.services.kept import EnsembleRecord

AUTO = "auto"
# The 2020 model's mechanics (one lockdown, one reopening, the 2020 fall) fit the first wave;
# from July 2020 on the learning ensemble of six components scored better (docs/MODEL.md).
LAST_2020_MODEL_DATE = date(2020, 6, 30)


@dataclass(frozen=True, slots=True)
class ModelInputs:
    """One region's data: ``cumulative`` float (n_days,) deaths from ``start``."""

    cumulative: FloatArray
    start: date
    constants: RegionConstants
    settings: FitSettings
    seed: int
    region: str
    cases: CaseSeries | None
    horizon_days: int
    plan: Plan | None = None  # the learning ensemble's weights and factors


@dataclass(frozen=True, slots=True)
class ModelRun:
    """A model's fit (parameters, trajectories, warnings), its forecast, and, for the
    ensemble, its component weights (stored with the fit)."""

    fit: FitResult
    forecast: Forecast
    ensemble: EnsembleRecord | None = None


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """``recalibrated``: the model widens or narrows its own intervals from its past coverage
    (a backtest export then leaves them as they are)."""

    version: str
    summary: str
    run: Callable[[ModelInputs], ModelRun]
    recalibrated: bool = False


def _run_2020(x: ModelInputs) -> ModelRun:
    result = fit(
        x.cumulative, x.start, x.constants, settings=x.settings, seed=x.seed, region=x.region
    )
    return ModelRun(result, forecast(result, x.horizon_days, x.cases))


def _run_rt(x: ModelInputs) -> ModelRun:
    result = fit_rt(x.cumulative, x.start, x.constants, x.settings)
    return ModelRun(result, forecast(result, x.horizon_days, x.cases))


def _run_blend(x: ModelInputs) -> ModelRun:
    result = fit_rt(x.cumulative, x.start, x.constants, x.settings)
    blend = BlendSettings()
    weights = EnsembleRecord(weights=blend.weights(), scored_rows=0)  # fixed: none scored
    return ModelRun(result, blend_forecast(result, x.horizon_days, x.cases, blend), weights)


def _run_ensemble(x: ModelInputs) -> ModelRun:
    run = run_ensemble(x.cumulative, x.start, x.constants, x.settings, x.cases, x.horizon_days)
    weights = EnsembleRecord(weights=run.weights, scored_rows=run.scored_rows)
    return ModelRun(run.fit, run.forecast, weights)


def _run_learned(x: ModelInputs) -> ModelRun:
    run = run_learned(
        x.cumulative,
        x.start,
        x.constants,
        x.settings,
        x.cases,
        x.horizon_days,
        x.plan,
        seed=x.seed,
        region=x.region,
    )
    record = EnsembleRecord(
        weights=run.plan.weights,
        scored_rows=run.plan.rows,
        components={c: q.tolist() for c, q in run.components.items()},
        week_end_dates=list(run.forecast.week_end_dates),
        interval_factors=run.plan.factors.tolist(),
    )
    return ModelRun(run.fit, run.forecast, record)


MODELS: dict[str, ModelSpec] = {
    spec.version: spec
    for spec in (
        ModelSpec(
            MODEL_YYG_2020,
            "the YYG 2020 SEIR model (lockdown, reopening, fall wave) by grid search",
            _run_2020,
        ),
        ModelSpec(
            MODEL_RT,
            "the same renewal core with a free recent R and trend (any date)",
            _run_rt,
        ),
        ModelSpec(
            MODEL_ENSEMBLE,
            "the rt model with and without the case signal and the hub baseline, weighted "
            "by their own scores of the last 6 weeks",
            _run_ensemble,
        ),
        ModelSpec(
            MODEL_BLEND,
            "the rt model pooled with the hub baseline, fixed weights "
            + " / ".join(f"{w:g}" for w in BlendSettings().weights().values()),
            _run_blend,
        ),
        ModelSpec(
            MODEL_LEARNED,
            "the 2020 model, the rt model with half, none and all of the case signal, "
            "exponential smoothing and the hub baseline, combined by a weighted geometric "
            "quantile average with weights learned from their own past scores "
            "(pooled over regions, truth as reported by the forecast date), intervals "
            "recalibrated from their own past coverage",
            _run_learned,
            recalibrated=True,
        ),
    )
}


# versions no longer fitted whose stored fits recalibrated themselves (seircast-ensemble.3:
# five components, replaced by seircast-ensemble.4's six; ensemble.4: the arithmetic
# combination, replaced by ensemble.5's geometric one; docs/MODEL.md)
RETIRED_RECALIBRATED = frozenset({"seircast-ensemble.3", "seircast-ensemble.4"})


def auto_model(data_end: date) -> str:
    """What ``auto`` fits: the 2020 model for data ending by 2020-06-30, else the learning
    ensemble."""
    return MODEL_YYG_2020 if data_end <= LAST_2020_MODEL_DATE else MODEL_LEARNED


def model_names() -> tuple[str, ...]:
    """Every name a client may ask for: ``auto`` and the registered versions."""
    return (AUTO, *MODELS)


def resolve(name: str, data_end: date) -> ModelSpec:
    """The model a fit of data ending on ``data_end`` uses for ``name``.

    Raises:
        ValueError: for a name not in the registry.
    """
    version = auto_model(data_end) if name == AUTO else name
    if version not in MODELS:
        raise ValueError(f"unknown model {name!r}: one of {', '.join(model_names())}")
    return MODELS[version]


def recalibrates_itself(version: str) -> bool:
    """Whether fits of ``version`` are already recalibrated from their own past coverage
    (a retired version's stored fits too)."""
    spec = MODELS.get(version)
    return version in RETIRED_RECALIBRATED or (spec is not None and spec.recalibrated)


def learns_from_past(name: str, data_end: date) -> bool:
    """Whether a fit of ``name`` on data ending on ``data_end`` reads earlier fits of its model
    (it then waits for them: a backtest runs its dates in order)."""
    return resolve(name, data_end).version == MODEL_LEARNED


def require_known(name: str) -> None:
    """A 422 naming the field ``model`` for a name not in the registry."""
    if name not in model_names():
        message = f"model must be one of {', '.join(model_names())}"
        raise invalid_input(message, [FieldProblem(message, field="model")])


def describe() -> str:
    """One line per name, for help texts and the OpenAPI description."""
    rules = [
        f"{AUTO}: {MODEL_YYG_2020} for data ending by {LAST_2020_MODEL_DATE}, else {MODEL_LEARNED}"
    ]
    return "; ".join(rules + [f"{s.version}: {s.summary}" for s in MODELS.values()])


_MEMBERS = {name.replace("-", "_").replace(".", "_"): name for name in model_names()}
ModelName = StrEnum("ModelName", _MEMBERS)  # type: ignore[misc]
"""The names as an enum (the OpenAPI schema lists them; anything else is a 422)."""
