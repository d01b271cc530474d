"""Scores of quantile forecasts: the scoring rules (``rules``) and the metric registry
(``metrics``) that every report of scores (scoring, evaluation, drift, website, CLI) reads."""

from app.core.scoring.metrics import (
    METRIC,
    METRICS,
    PRIMARY,
    Aggregate,
    Better,
    ForecastScores,
    Metric,
    Unit,
    common_levels,
    on_levels,
    score_forecasts,
    summarize,
)
from app.core.scoring.rules import (
    WISComponents,
    absolute_error,
    interval_coverage,
    level_index,
    relative_wis,
    weighted_interval_score,
    wis_components,
)

__all__ = [
    "METRIC",
    "METRICS",
    "PRIMARY",
    "Aggregate",
    "Better",
    "ForecastScores",
    "Metric",
    "Unit",
    "WISComponents",
    "absolute_error",
    "common_levels",
    "interval_coverage",
    "level_index",
    "on_levels",
    "relative_wis",
    "score_forecasts",
    "summarize",
    "weighted_interval_score",
    "wis_components",
]
