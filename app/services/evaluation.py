"""GET /evaluations: WIS, relative WIS, coverage and MAE per model, region and horizon.

Models are compared on the forecasts they all share (same region, target end date and
horizon; when a model has several forecast dates for one of these, the latest counts) and
on the quantile levels they all have (5 for the viz peers, 23 among our own runs). Relative
WIS is ``mean WIS / mean WIS of the baseline`` on those same forecasts; the baseline is
COVIDhub-baseline when it has scores in the selection, else seircast's built-in
re-implementation (``seircast-baseline``, always part of the comparison when used).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from app.core.scoring import interval_coverage, weighted_interval_score
from app.core.targets import Target
from app.core.types import FloatArray
from app.db.eval_models import Score
from app.db.evaluations import ScoreRepository, WeeklyForecastRepository
from app.errors import FieldProblem, invalid_input, not_found
from app.services.external import BUILTIN_BASELINE
from app.services.regions import check_range, find_region

HUB_BASELINE = "COVIDhub-baseline"
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
    model: str
    n: int
    wis: float
    relative_wis: float | None
    coverage_50: float | None
    coverage_95: float | None
    mae: float
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


def _common_levels(rows: list[Score]) -> list[float]:
    levels = {round(q, 9) for q in rows[0].levels}
    for row in rows[1:]:
        levels &= {round(q, 9) for q in row.levels}
    return sorted(levels)


def _arrays(rows: list[Score], levels: list[float]) -> tuple[FloatArray, FloatArray]:
    y = np.array([r.truth for r in rows], dtype=np.float64)
    values = np.array(
        [
            [v for q, v in zip(r.levels, r.values, strict=True) if round(q, 9) in levels]
            for r in rows
        ],
        dtype=np.float64,
    ).reshape(len(rows), len(levels))
    return y, values


def _coverage(y: FloatArray, lv: FloatArray, values: FloatArray, central: float) -> float | None:
    try:
        return float(np.mean(interval_coverage(y, lv, values, central)))
    except ValueError:
        return None


def _summaries(
    per_model: dict[str, list[Score]], levels: list[float], baseline: str | None, **where: object
) -> list[Summary]:
    lv = np.array(levels)
    wis = {}
    for model, rows in per_model.items():
        y, values = _arrays(rows, levels)
        wis[model] = (weighted_interval_score(y, lv, values), y, values)
    base = float(np.mean(wis[baseline][0])) if baseline in wis else 0.0
    out = []
    for model, (w, y, values) in sorted(wis.items()):
        median = values[:, levels.index(0.5)]
        out.append(
            Summary(
                model=model,
                n=int(y.size),
                wis=float(np.mean(w)),
                relative_wis=float(np.mean(w)) / base if base > 0 else None,
                coverage_50=_coverage(y, lv, values, 0.5),
                coverage_95=_coverage(y, lv, values, 0.95),
                mae=float(np.mean(np.abs(y - median))),
                **where,  # type: ignore[arg-type]
            )
        )
    return out


def evaluate(session: Session, query: EvalQuery) -> Evaluation:
    region_id = _check(session, query)
    scores = ScoreRepository(session).select(
        query.target, region_id, query.horizon, query.start, query.end
    )
    by_model = _latest(list(scores))
    baseline = next((b for b in (HUB_BASELINE, BUILTIN_BASELINE) if b in by_model), None)
    models = sorted(set(query.models or by_model) | ({baseline} if baseline else set()))
    models = [m for m in models if m in by_model]
    common = set.intersection(*(set(by_model[m]) for m in models)) if models else set()
    keys = sorted(common)
    empty = Evaluation(query.target, baseline, models, [], 0, [], [], [], [])
    if not keys:
        return empty
    rows = {m: [by_model[m][k] for k in keys] for m in models}
    levels = _common_levels([r for m in models for r in rows[m]])
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
