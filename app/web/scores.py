"""Scores shown on the website, from the evaluation service (``GET /evaluations``).

Both views are None while nothing has been scored: the pages then say so instead of
showing placeholder numbers. The columns are the metrics of ``app.core.scoring.METRICS``;
the region page's scorecard leaves out those not in ``SCORECARD``.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.scoring import METRICS, PRIMARY, Metric
from app.services.evaluation import EvalQuery, Evaluation, Summary, evaluate
from app.services.external import OURS

SCORECARD = ("wis", "relative_wis", "coverage_50", "coverage_95")  # the region page's columns


@dataclass(frozen=True, slots=True)
class ScoreRow:
    model: str
    horizon: int  # weeks ahead
    n: int  # forecasts scored
    values: dict[str, float | None]  # by metric name; relative ones against the page's baseline
    ours: bool


@dataclass(frozen=True, slots=True)
class Board:
    rows: list[ScoreRow]
    metrics: tuple[Metric, ...]  # the columns, in order
    baseline: str | None
    forecasts: int  # forecasts every model shares (the comparison set)
    levels: int  # quantile levels all models have
    truth_sources: list[str]

    @property
    def scorecard(self) -> tuple[Metric, ...]:
        """The columns of the region page's compact scorecard."""
        return tuple(m for m in self.metrics if m.name in SCORECARD)


def _row(summary: Summary) -> ScoreRow:
    return ScoreRow(
        model=summary.model,
        horizon=summary.horizon or 0,
        n=summary.n,
        values=summary.metrics,
        ours=summary.model == OURS,
    )


def _board(evaluation: Evaluation) -> Board | None:
    if not evaluation.by_horizon:
        return None
    rows = sorted(
        (_row(s) for s in evaluation.by_horizon),
        key=lambda r: (r.horizon, r.values[PRIMARY] or 0.0),
    )
    return Board(
        rows=rows,
        metrics=METRICS,
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
