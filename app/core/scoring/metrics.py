"""The metric registry: every score seircast reports, declared once in ``METRICS``.

A ``Metric`` says how one forecast is scored from its quantiles and its truth (``score``), which
quantile levels that needs (``needs``; without them the metric is None), how the scores of many
forecasts become one number (``aggregate``: their mean, or the ratio of their mean to the
baseline's mean on the same forecasts), which way is better, and how it is named and shown.
The scoring service stores the per-forecast value of each metric that has a ``column`` in the
``score`` table; the evaluation and drift services, the website and the CLI loop over
``METRICS``. Adding a metric is one entry here (plus its test and its line in
docs/EVALUATION.md); a stored column is optional, as the evaluation rescores from the stored
quantiles.

Scores of different models are only comparable on one level set: ``common_levels`` gives the
levels a group of forecasts all have and ``on_levels`` their values on them.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from app.core.scoring.rules import (
    absolute_error,
    interval_coverage,
    level_index,
    weighted_interval_score,
)
from app.core.types import BoolArray, FloatArray

LEVEL_DIGITS = 9  # quantile levels are matched after rounding to this many digits

ForecastScore = Callable[[FloatArray, FloatArray, FloatArray], FloatArray | BoolArray]
"""``score(y, levels, values)``: y of shape (n,), levels (k,), values (n, k) -> shape (n,)."""
ForecastScores = dict[str, FloatArray | BoolArray | None]
"""Per metric name, the per-forecast scores of shape (n,), or None where it does not apply."""


class Aggregate(Enum):
    MEAN = "mean"
    RATIO = "mean over the baseline's mean on the same forecasts"


class Better(Enum):
    LOWER = "lower"
    NOMINAL = "closer to the nominal value"


class Unit(Enum):
    DEATHS = "deaths"
    RATIO = "ratio"
    SHARE = "share of forecasts"  # in [0, 1]


@dataclass(frozen=True, slots=True)
class Metric:
    """One reported score.

    ``name`` is the key in API responses and drift alerts (at most 16 characters);
    ``label`` heads website tables, ``abbrev`` text tables; ``example`` is a typical value for
    the API docs (seircast in the README table); ``column`` is the ``score`` column that
    stores the per-forecast value, if any.
    """

    name: str
    label: str
    abbrev: str
    unit: Unit
    better: Better
    score: ForecastScore
    example: float
    needs: tuple[float, ...] = ()
    aggregate: Aggregate = Aggregate.MEAN
    column: str | None = None

    @property
    def optional(self) -> bool:
        """Whether a summary can lack a value (missing levels, or no baseline to divide by)."""
        return self.aggregate is Aggregate.RATIO or bool(self.needs)

    def applies(self, levels: FloatArray) -> bool:
        """Whether forecasts on ``levels`` (shape (k,)) have what the metric needs."""
        return all(np.isclose(levels, q, atol=1e-9, rtol=0).sum() == 1 for q in self.needs)


def _median_abs_error(y: FloatArray, levels: FloatArray, values: FloatArray) -> FloatArray:
    return absolute_error(y, values[:, level_index(levels, 0.5)])


def _covered(central: float) -> ForecastScore:
    def score(y: FloatArray, levels: FloatArray, values: FloatArray) -> BoolArray:
        return interval_coverage(y, levels, values, central)

    return score


METRICS: tuple[Metric, ...] = (
    Metric(
        "wis", "WIS", "WIS", Unit.DEATHS, Better.LOWER, weighted_interval_score, 19.3,
        column="wis",
    ),
    Metric(
        "relative_wis", "Relative WIS", "relative WIS", Unit.RATIO, Better.LOWER,
        weighted_interval_score, 0.529, aggregate=Aggregate.RATIO,
    ),
    Metric(
        "coverage_50", "50% coverage", "50% coverage", Unit.SHARE, Better.NOMINAL,
        _covered(0.5), 0.64, needs=(0.25, 0.75), column="cov50",
    ),
    Metric(
        "coverage_95", "95% coverage", "95% coverage", Unit.SHARE, Better.NOMINAL,
        _covered(0.95), 0.93, needs=(0.025, 0.975), column="cov95",
    ),
    Metric(
        "mae", "Abs. error of median", "MAE", Unit.DEATHS, Better.LOWER, _median_abs_error, 28.6,
        column="abs_error",
    ),
)  # fmt: skip
METRIC: Mapping[str, Metric] = {m.name: m for m in METRICS}
PRIMARY = "wis"  # the metric score tables are sorted by


def score_forecasts(y: FloatArray, levels: FloatArray, values: FloatArray) -> ForecastScores:
    """Every metric's per-forecast scores, each of shape (n,), None where it does not apply.

    Args:
        y: observed values, shape (n,).
        levels: quantile levels, shape (k,), strictly increasing, symmetric, with 0.5.
        values: predicted quantiles, shape (n, k), column j at ``levels[j]``.

    Raises:
        ValueError: if the levels are not a valid symmetric set or shapes disagree.
    """
    done: dict[ForecastScore, FloatArray | BoolArray] = {}
    out: ForecastScores = {}
    for metric in METRICS:
        if not metric.applies(levels):
            out[metric.name] = None
            continue
        if metric.score not in done:
            done[metric.score] = metric.score(y, levels, values)
        out[metric.name] = done[metric.score]
    return out


def summarize(scores: ForecastScores, baseline: ForecastScores | None) -> dict[str, float | None]:
    """Aggregate per-forecast scores into one value per metric.

    Args:
        scores: a model's per-forecast scores (``score_forecasts``).
        baseline: the baseline's scores of the same forecasts in the same order, or None;
            ratio metrics are None without it or when its mean is 0.
    """
    out: dict[str, float | None] = {}
    for metric in METRICS:
        own = scores[metric.name]
        if own is None:
            out[metric.name] = None
        elif metric.aggregate is Aggregate.MEAN:
            out[metric.name] = float(np.mean(own))
        else:
            base = None if baseline is None else baseline[metric.name]
            denominator = 0.0 if base is None else float(np.mean(base))
            out[metric.name] = float(np.mean(own)) / denominator if denominator > 0 else None
    return out


def common_levels(level_sets: Iterable[Sequence[float]]) -> list[float]:
    """The quantile levels (rounded to ``LEVEL_DIGITS``) that every set has, ascending."""
    common: set[float] | None = None
    for levels in level_sets:
        rounded = {round(q, LEVEL_DIGITS) for q in levels}
        common = rounded if common is None else common & rounded
    return sorted(common or ())


def on_levels(
    forecasts: Sequence[tuple[Sequence[float], Sequence[float]]], keep: Sequence[float]
) -> FloatArray:
    """Quantiles of each (levels, values) forecast at the levels ``keep``: shape (n, len(keep)).

    ``keep`` comes from ``common_levels``: every forecast has each of its levels exactly once.
    """
    wanted = set(keep)
    rows = [
        [v for q, v in zip(levels, values, strict=True) if round(q, LEVEL_DIGITS) in wanted]
        for levels, values in forecasts
    ]
    return np.array(rows, dtype=np.float64).reshape(len(forecasts), len(keep))
