"""``seircast-ensemble.5``: six components, weights learned from their own past scores.

Components (``COMPONENTS``), all forecasting from the same data at the forecast date D:

* ``yyg``: the 2020 SEIR model (``fit``, grid search of ``COMPONENT_GRID``) with the case
  signal;
* ``rt``: the renewal model with a free recent R (``fit_rt``) with the case signal;
* ``rt-deaths``: the same rt fit from the deaths alone, and ``rt-cases``: the same fit
  following the case signal all the way (``case_weight`` 1 instead of 0.5), so that how far
  to lean on the cases is learned from the three;
* ``stat``: exponential smoothing on the weekly reported deaths (statsmodels,
  ``app.core.stat_model``);
* ``baseline``: COVIDhub-baseline on the weekly reported deaths.

The forecast (``app.core.combined_forecast``) is the weighted geometric average of the
components' quantiles at each level (``app.core.ensemble.combine_log_quantiles``:
Vincentisation on the log scale), for every death target (daily, weekly, incident and
cumulative), the means the weighted average of theirs; infections and R are the rt model's.
``seircast-ensemble.4`` was the same with the arithmetic average (its fits store the same
component forecasts, and this model learns from them too: ``LEARNS_FROM``). ``run_learned``
takes the weights and the interval factors as a ``Plan`` (``app.core.online_ensemble.plan``
on the components' past forecasts, which the service gathers from earlier fits and learns
once per refit); with none, the prior weights (``PRIOR``) and no recalibration. Each
component's weekly quantiles are returned (``LearnedRun.components``) so that the service
can store them for the next dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from app.core.combined_forecast import combine_forecasts, recalibrated
from app.core.ensemble_model import baseline_paths
from app.core.online_ensemble import OnlineSettings, Plan
from app.core.seir import (
    QUANTILE_LEVELS,
    CaseSeries,
    CaseSignal,
    FitResult,
    FitSettings,
    Forecast,
    RegionConstants,
    fit,
    fit_rt,
)
from app.core.seir.forecast import (
    History,
    LatentQuantiles,
    forecast_from_paths,
    forecast_of,
    history_of,
    latent_of,
    latent_quantiles,
)
from app.core.seir.paths import draw_noise, signal_for
from app.core.stat_model import stat_paths
from app.core.types import FloatArray

MODEL_LEARNED = "seircast-ensemble.5"
# fits whose stored component forecasts this model learns from: its own and ensemble.4's
# (the same six components; only the combination changed, docs/MODEL.md)
LEARNS_FROM = (MODEL_LEARNED, "seircast-ensemble.4")
COMPONENTS = ("yyg", "rt", "rt-deaths", "rt-cases", "stat", "baseline")
# before any history: seircast-ensemble.2's shares (rt 0.8, baseline 0.2); the others earn
# theirs from their scores (docs/MODEL.md)
PRIOR = {"yyg": 0.0, "rt": 0.8, "rt-deaths": 0.0, "rt-cases": 0.0, "stat": 0.0, "baseline": 0.2}
FULL_CASE_WEIGHT = 1.0  # rt-cases: the paths follow the case-implied deaths (app.core.seir.cases)
# stacking weights shrink towards PRIOR by n / (n + 400) for n past rows (dev windows: 1600
# scored 0.005-0.02 worse in 2020-21 and 0.003 better in 2022-H1; docs/MODEL.md)
SHRINK_ROWS = 400


# The 2020 model as a component searches 1,350 sets (6 inflection days x 225), not 16,200:
# its post-2020 forecasts hinge on the reopening axes, kept in full; even so this fit is
# the largest part (about 60%) of the ensemble's time a region on 2022 data: the renewal
# loop runs over every day since the first death (docs/MODEL.md, "Benchmark")
COMPONENT_GRID: tuple[tuple[str, tuple[float, ...]], ...] = (
    ("initial_r0", (2.0, 2.8, 3.9)),
    ("lockdown_r0", (0.6, 0.8, 0.9, 1.0, 1.1)),
    ("reopen_inflection", (0.3,)),
    ("reopen_r", (0.9, 1.0, 1.1, 1.2, 1.35)),
    ("reopen_shift_days", (-14.0, 0.0, 14.0)),
)


@dataclass(frozen=True, slots=True)
class LearnedSettings:
    """Sample paths of every component (1,000: with six components averaged, as accurate
    as 2,000 on the dev windows and half the sampling cost), the 2020 model's grid (None: its
    default 16,200 sets) and the online learning (docs/MODEL.md)."""

    online: OnlineSettings = field(
        default_factory=lambda: OnlineSettings(prior=PRIOR, shrink_rows=SHRINK_ROWS)
    )
    samples: int = 1000
    seed: int = 0
    yyg_grid: tuple[tuple[str, tuple[float, ...]], ...] | None = COMPONENT_GRID


@dataclass(frozen=True, slots=True)
class LearnedRun:
    """The rt fit (parameters, warnings), the combined forecast, the plan it used and each
    component's weekly incident quantiles (n_weeks, 23) for the next dates' learning."""

    fit: FitResult
    forecast: Forecast
    plan: Plan
    components: dict[str, FloatArray]


WeeklyPaths = Callable[[History, date, int, int, int], FloatArray]
"""A weekly model's daily paths: (history, D, horizon_days, n, seed) -> (horizon_days, n)."""


def weekly_forecast(
    name: str,
    paths_of: WeeklyPaths,
    rt: FitResult,
    horizon_days: int,
    learned: LearnedSettings,
    latent: LatentQuantiles | None = None,
) -> Forecast:
    """A model of the weekly reported deaths of ``rt``'s data, equally weighted paths;
    infections and R are rt's (``latent``: their quantiles, when already computed)."""
    history, day, n = history_of(rt), rt.forecast_date, learned.samples
    paths = paths_of(history, day, horizon_days, n, learned.seed)
    summary = latent_of(rt, horizon_days) if latent is None else latent
    return forecast_from_paths(name, day, history, (paths, np.full(n, 1.0 / n)), summary)


def component_fits(
    cumulative: FloatArray,
    start: date,
    constants: RegionConstants,
    settings: FitSettings,
    learned: LearnedSettings,
    *,
    seed: int = 0,
    region: str | None = None,
) -> tuple[FitResult, FitResult]:
    """The 2020 model (on ``learned.yyg_grid`` unless ``settings`` has a grid) and the rt
    model fitted at D, both sampling ``learned.samples`` paths."""
    sampled = replace(settings, n_samples=learned.samples)
    yyg_settings = replace(sampled, grid_values=sampled.grid_values or learned.yyg_grid)
    yyg = fit(cumulative, start, constants, None, yyg_settings, seed, region=region)
    return yyg, fit_rt(cumulative, start, constants, sampled)


def component_forecasts(
    yyg: FitResult,
    rt: FitResult,
    horizon_days: int,
    cases: CaseSeries | None,
    learned: LearnedSettings,
) -> dict[str, Forecast]:
    """Each component's forecast of ``horizon_days`` days from the two fits at D.

    Computed once and shared: the case signal (it depends only on the data and the case
    settings, which both fits have; ``rt-cases`` follows it whatever the fits' own case
    weight, the others only when theirs is > 0), rt's infection and R quantiles (every
    component but yyg reports them) and rt's random draws (its three case tilts)."""
    full = following_cases(rt)
    signal = signal_for(full, horizon_days, cases)
    latent = latent_quantiles(latent_of(rt, horizon_days))
    noise = draw_noise(rt, horizon_days)

    def tilt(fit: FitResult) -> CaseSignal | None:
        return signal if fit.settings.case_weight > 0 else None

    return {
        "yyg": forecast_of(yyg, horizon_days, tilt(yyg)),
        "rt": forecast_of(rt, horizon_days, tilt(rt), latent, noise),
        "rt-deaths": forecast_of(rt, horizon_days, None, latent, noise),
        "rt-cases": forecast_of(full, horizon_days, signal, latent, noise),
        "stat": weekly_forecast("stat", stat_paths, rt, horizon_days, learned, latent),
        "baseline": weekly_forecast("baseline", baseline_paths, rt, horizon_days, learned, latent),
    }


def following_cases(rt: FitResult) -> FitResult:
    """``rt`` with its paths tilted all the way to the case-implied deaths."""
    return replace(rt, settings=replace(rt.settings, case_weight=FULL_CASE_WEIGHT))


def run_learned(
    cumulative: FloatArray,
    start: date,
    constants: RegionConstants,
    settings: FitSettings,
    cases: CaseSeries | None,
    horizon_days: int,
    chosen: Plan | None,
    *,
    seed: int = 0,
    region: str | None = None,
    learned: LearnedSettings | None = None,
) -> LearnedRun:
    """Fit the components at D, combine them with the plan's weights and recalibrate the
    result with its factors (``chosen`` None: the prior weights, no recalibration).

    Args:
        cumulative: Float (n_obs,), cumulative deaths from ``start`` (the last day is D - 1).
        start: Date of ``cumulative[0]``.
        constants: Region constants.
        settings: Fit settings of both SEIR models.
        cases: The region's reported cumulative cases, or None.
        horizon_days: Forecast days.
        chosen: Weights and factors learned from the components' past forecasts known at
            D (``app.core.online_ensemble.plan``), or None.
        seed: Seed of the 2020 model's grid search.
        region: Region code (the 2020 model's per-region grid).
        learned: Sampling and learning settings (default ``LearnedSettings()``).
    """
    learned = learned or LearnedSettings()
    yyg, rt = component_fits(
        cumulative, start, constants, settings, learned, seed=seed, region=region
    )
    parts = component_forecasts(yyg, rt, horizon_days, cases, learned)
    n_weeks = len(parts["rt"].week_end_dates)
    if chosen is None:
        chosen = Plan(dict(learned.online.prior), np.ones((n_weeks, QUANTILE_LEVELS.size // 2)), 0)
    if set(chosen.weights) != set(COMPONENTS):
        raise ValueError(f"weights of {sorted(chosen.weights)}, need {COMPONENTS}")
    combined = combine_forecasts(MODEL_LEARNED, parts, chosen.weights, "rt")
    final = recalibrated(combined, chosen.factors, history_of(rt).last_cumulative)
    weekly = {c: parts[c].weekly_deaths for c in COMPONENTS}
    return LearnedRun(rt, final, chosen, weekly)
