"""Scores shown on the website, from the evaluation service (``GET /evaluations``).

Both views are None while nothing has been scored: the pages then say so instead of
showing placeholder numbers.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.services.evaluation import EvalQuery, Evaluation, Summary, evaluate
from app.services.external import OURS


@dataclass(frozen=True, slots=True)
class ScoreRow:
    model: str
    horizon: int  # weeks ahead
    n: int  # forecasts scored
    wis: float | None
    relative_wis: float | None  # against the baseline named on the page
    coverage_50: float | None
    coverage_95: float | None
    abs_error: float | None
    ours: bool


@dataclass(frozen=True, slots=True)
class Board:
    rows: list[ScoreRow]
    baseline: str | None
    forecasts: int  # forecasts every model shares (the comparison set)
    levels: int  # quantile levels all models have
    truth_sources: list[str]


def _row(summary: Summary) -> ScoreRow:
    return ScoreRow(
        model=summary.model,
        horizon=summary.horizon or 0,
        n=summary.n,
        wis=summary.wis,
        relative_wis=summary.relative_wis,
        coverage_50=summary.coverage_50,
        coverage_95=summary.coverage_95,
        abs_error=summary.mae,
        ours=summary.model == OURS,
    )


def _board(evaluation: Evaluation) -> Board | None:
    if not evaluation.by_horizon:
        return None
    rows = sorted((_row(s) for s in evaluation.by_horizon), key=lambda r: (r.horizon, r.wis or 0.0))
    return Board(
        rows=rows,
        baseline=evaluation.baseline,
        forecasts=evaluation.forecasts,
        levels=len(evaluation.levels),
        truth_sources=evaluation.truth_sources,
    )


def leaderboard(session: Session) -> Board | None:
    """Every scored model by horizon on the forecasts they share; None before any score."""
    return _board(evaluate(session, EvalQuery()))


def region_scores(session: Session, region: str) -> Board | None:
    """The same comparison restricted to one region; None while it has no scores."""
    return _board(evaluate(session, EvalQuery(region=region)))
