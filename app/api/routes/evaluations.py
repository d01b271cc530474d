"""Scores of our forecasts and other models': GET /evaluations."""

from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.api.deps import Offset, SessionDep
from app.api.errors import problem_responses
from app.api.eval_schemas import AlertRead, EvaluationRead
from app.services.drift import list_alerts
from app.services.evaluation import EvalQuery, evaluate

router = APIRouter(tags=["evaluations"])


@router.get("/evaluations", response_model=EvaluationRead, responses=problem_responses(404, 422))
def read_evaluations(
    session: SessionDep,
    model: Annotated[
        list[Annotated[str, Query(min_length=1, max_length=64)]] | None,
        Query(description="repeat or comma-separate; default: every scored model"),
    ] = None,
    region: Annotated[str | None, Query(min_length=1, description="code or alias")] = None,
    horizon: Annotated[int | None, Query(ge=1, le=8, description="weeks ahead")] = None,
    start: Annotated[date | None, Query(description="first forecast date")] = None,
    end: Annotated[date | None, Query(description="last forecast date")] = None,
    target: Annotated[
        Literal["inc", "cum"], Query(description="weekly incident or cumulative deaths")
    ] = "inc",
) -> EvaluationRead:
    """WIS, relative WIS, 50/95% coverage and MAE per model, region and horizon."""
    models = [m.strip() for text in model or [] for m in text.split(",") if m.strip()] or None
    query = EvalQuery(models, region, horizon, start, end, f"{target}_week")
    return EvaluationRead.model_validate(asdict(evaluate(session, query)))


@router.get("/alerts", response_model=list[AlertRead], responses=problem_responses(404, 422))
def read_alerts(
    session: SessionDep,
    region: Annotated[str | None, Query(min_length=1, description="code or alias")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="alerts per page")] = 50,
    offset: Offset = 0,
) -> list[AlertRead]:
    """Drift alerts (rolling relative WIS or 95% coverage past its setting), newest first."""
    return [
        AlertRead(
            id=a.id,
            model=a.model,
            region=code,
            metric=a.metric,
            value=a.value,
            threshold=a.threshold,
            window_start=a.window_start,
            window_end=a.window_end,
            n_forecasts=a.n_forecasts,
            refit_job_id=a.refit_job_id,
            created_at=a.created_at,
        )
        for a, code in list_alerts(session, region, limit, offset)
    ]
