"""GET /fits/{id}: a fit's provenance, kept parameter sets, weights, losses and warnings."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from app.api import examples
from app.api.deps import DB_INT_MAX, SessionDep
from app.api.errors import problem_responses
from app.api.types import UtcDatetime
from app.services.fits import get_fit
from app.services.kept import KeptEnsemble

router = APIRouter(prefix="/fits", tags=["fits"])


class KeptSet(BaseModel):
    index: int = Field(description="position in the grid (deterministic order)")
    weight: float
    loss: float
    params: dict[str, Any] | None = None


class CaseSignalRead(BaseModel):
    """What the region's reported cases implied (the forecast leans towards it)."""

    deaths_per_case: float = Field(description="recent deaths per case lag_days earlier")
    lag_days: int = Field(description="days from a reported case to a reported death")
    case_growth_per_day: float = Field(description="log growth extending the last cases")
    last_case_date: date


class EnsembleRead(BaseModel):
    """How the ensemble weighted its components (from their scores before the forecast date)."""

    weights: dict[str, float] = Field(description="component -> weight (sums to 1)")
    scored_rows: int = Field(
        description="past weekly forecasts per component behind them (0: fixed weights)"
    )
    interval_factors: list[list[float]] = Field(
        default=[],
        description="per forecast week, the factor each central interval (98% first) was "
        "widened (> 1) or narrowed (< 1) by, learned from past coverage (empty: none)",
    )


class FitRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.FIT]})

    id: int
    region: str
    job_id: int | None
    model_version: str
    grid_hash: str
    seed: int
    data_release: int
    data_start_date: date
    data_end_date: date
    forecast_date: date
    settings: dict[str, Any]
    n_sets: int
    n_valid: int
    n_kept: int
    best_loss: float
    best_params: dict[str, Any]
    warnings: list[str]
    case_signal: CaseSignalRead | None = Field(
        description="the case signal the forecast used (null: deaths only)"
    )
    ensemble: EnsembleRead | None = Field(
        default=None, description="the ensemble's component weights (null: not an ensemble)"
    )
    fit_seconds: float
    fitted_at: UtcDatetime
    kept: list[KeptSet]


@router.get("/{fit_id}", response_model=FitRead, responses=problem_responses(404, 422))
def read_fit(
    fit_id: Annotated[
        int, Path(ge=1, le=DB_INT_MAX, description="the fit id (provenance.fit_id of a forecast)")
    ],
    session: SessionDep,
) -> FitRead:
    """One fit, enough to replay it: model version, grid hash, seed, data release, kept sets."""
    fit, region = get_fit(session, fit_id)
    kept = KeptEnsemble.of(fit)
    params: list[dict[str, Any] | None] = (
        [*kept.params] if kept.params else [None] * len(kept.indices)
    )
    sets = [
        KeptSet(index=i, weight=w, loss=loss, params=p)
        for i, w, loss, p in zip(kept.indices, kept.weights, kept.losses, params, strict=True)
    ]
    return FitRead(
        id=fit.id,
        region=region,
        job_id=fit.job_id,
        model_version=fit.model_version,
        grid_hash=fit.grid_hash,
        seed=fit.seed,
        data_release=fit.release_id,
        data_start_date=fit.data_start_date,
        data_end_date=fit.data_end_date,
        forecast_date=fit.forecast_date,
        settings=fit.settings,
        n_sets=fit.n_sets,
        n_valid=fit.n_valid,
        n_kept=fit.n_kept,
        best_loss=fit.best_loss,
        best_params=kept.best_params,
        case_signal=CaseSignalRead(**dict(kept.case_signal)) if kept.case_signal else None,
        ensemble=EnsembleRead(**dict(kept.ensemble)) if kept.ensemble else None,
        warnings=fit.warnings,
        fit_seconds=fit.fit_seconds,
        fitted_at=fit.created_at,  # UtcDatetime: naive SQLite values are UTC
        kept=sets,
    )
