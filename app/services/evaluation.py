"""GET /evaluations: every metric of ``app.core.scoring.METRICS`` per model, region, horizon.

Models are compared on the forecasts they all share (same region, target end date and
horizon; when a model has several forecast dates for one of these, the latest counts) and
on the quantile levels they all have (5 for the viz peers, 23 among our own runs). Relative
WIS is ``mean WIS / mean WIS of the baseline`` on those same forecasts; the baseline is
COVIDhub-baseline when it has scores in the selection, else seircast's built-in
re-implementation (``seircast-baseline``, always part of the comparison when used).
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from app.core.scoring import common_levels, on_levels, score_forecasts, summarize
from app.core.targets import Target
from app.db.eval_models import Score
from app.db.evaluations import ScoreRepository
from app.db.weekly_forecasts import WeeklyForecastRepository
from app.errors import FieldProblem, invalid_input, not_found
from app.services.external import BASELINES
from app.services.regions import check_range, find_region

ForecastId = tuple[int, date, int]  # region, target end date, horizon


@dataclass(frozen=True, slots=True)
class EvalQuery:
    models: list[str] | None = None
    region: str | None = None
    horizon: int | None = None
    start: date | None = None
    end: date | None = None
    target: str = Target.INC_WEEK


@dataclass(frozen=True, slots=True)
class Summary:
    """One model's scores; ``metrics`` has a value (None if it does not apply) per ``METRICS``."""

    model: str
    n: int
    metrics: dict[str, float | None]
    region: str | None = None
    horizon: int | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    target: str
    baseline: str | None
    models: list[str]
    levels: list[float]
    forecasts: int
    truth_sources: list[str]
    overall: list[Summary]
    by_region: list[Summary]
    by_horizon: list[Summary]


def _check(session: Session, query: EvalQuery) -> int | None:
    if query.horizon is not None and not 1 <= query.horizon <= 8:
        raise invalid_input(
            f"horizon must be 1..8 weeks, got {query.horizon}",
            [FieldProblem("bad value", field="horizon")],
        )
    check_range(query.start, query.end)
    known = set(ScoreRepository(session).models())
    for model in query.models or []:
        if model not in known:
            raise not_found(
                f"no scores for model {model!r}; scored: {', '.join(sorted(known))}", field="model"
            )
    return find_region(session, query.region).id if query.region else None


def _latest(scores: list[Score]) -> dict[str, dict[ForecastId, Score]]:
    out: dict[str, dict[ForecastId, Score]] = defaultdict(dict)
    for s in sorted(scores, key=lambda s: s.forecast_date):
        out[s.model][(s.region_id, s.target_end_date, s.horizon)] = s
    return out


def metric_table(
    per_model: Mapping[str, Sequence[Score]], levels: list[float], baseline: str | None
) -> dict[str, dict[str, float | None]]:
    """Every metric of each model's scores rescored on ``levels``, by model.

    Ratio metrics divide by ``baseline``'s scores, which must cover the same forecasts in the
    same order as every other model's.
    """
    lv = np.array(levels)
    scored = {
        model: score_forecasts(
            np.array([r.truth for r in rows], dtype=np.float64),
            lv,
            on_levels([(r.levels, r.values) for r in rows], levels),
        )
        for model, rows in per_model.items()
    }
    base = scored.get(baseline) if baseline is not None else None
    return {model: summarize(scores, base) for model, scores in scored.items()}


def _summaries(
    per_model: dict[str, list[Score]],
    levels: list[float],
    baseline: str | None,
    region: str | None = None,
    horizon: int | None = None,
) -> list[Summary]:
    table = metric_table(per_model, levels, baseline)
    return [
        Summary(model, len(per_model[model]), values, region, horizon)
        for model, values in sorted(table.items())
    ]


def evaluate(session: Session, query: EvalQuery) -> Evaluation:
    region_id = _check(session, query)
    scores = ScoreRepository(session).select(
        query.target, region_id, query.horizon, query.start, query.end
    )
    by_model = _latest(list(scores))
    baseline = next((b for b in BASELINES if b in by_model), None)
    models = sorted(set(query.models or by_model) | ({baseline} if baseline else set()))
    models = [m for m in models if m in by_model]
    common = set.intersection(*(set(by_model[m]) for m in models)) if models else set()
    keys = sorted(common)
    empty = Evaluation(query.target, baseline, models, [], 0, [], [], [], [])
    if not keys:
        return empty
    rows = {m: [by_model[m][k] for k in keys] for m in models}
    levels = common_levels(r.levels for m in models for r in rows[m])
    names = {
        r.id: r.code for r in WeeklyForecastRepository(session).regions(k[0] for k in keys).values()
    }
    by_region, by_horizon = [], []
    for rid in sorted({k[0] for k in keys}, key=lambda r: names[r]):
        subset = {m: [r for r in rows[m] if r.region_id == rid] for m in models}
        by_region += _summaries(subset, levels, baseline, region=names[rid])
    for h in sorted({k[2] for k in keys}):
        subset = {m: [r for r in rows[m] if r.horizon == h] for m in models}
        by_horizon += _summaries(subset, levels, baseline, horizon=h)
    sources = sorted({r.truth_source for m in models for r in rows[m]})
    return Evaluation(
        query.target,
        baseline,
        models,
        levels,
        len(keys),
        sources,
        _summaries(rows, levels, baseline),
        by_region,
        by_horizon,
    )
