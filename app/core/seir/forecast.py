"""Ensemble forecast from the kept, weighted trajectories of a fit (SEIR_MODEL.md 4.7).

Every target comes from the same sample paths (``app.core.seir.paths``: corrections, the case
tilt, noise), so daily, weekly, incident and cumulative forecasts agree:

* daily incident deaths: the paths on each forecast day;
* cumulative deaths: last observed cumulative value (plus the deaths assumed on unreported
  days at the end, ``CleanedSeries.pending``) + cumulative sum of the paths;
* epiweek (Sunday-Saturday) incident deaths: reported deaths (each report spread over its
  reporting interval, ``FitResult.reported_daily``) of the week before the
  forecast date + the paths on the remaining days; weekly cumulative = daily cumulative
  on the Saturday;
* quantiles: weighted quantiles at the 23 Forecast Hub levels, plus the weighted mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from app.core.epiweeks import hub_target_end_date
from app.core.seir.cases import CaseSeries, CaseSignal
from app.core.seir.paths import Noise, sample_paths, signal_for
from app.core.seir.quantiles import QUANTILE_LEVELS, weighted_mean, weighted_quantiles
from app.core.seir.result import FitResult
from app.core.types import FloatArray

MAX_WEEKS = 8


@dataclass(frozen=True, slots=True)
class Forecast:
    """Probabilistic forecast; quantile arrays have the 23 levels of ``quantile_levels``.

    Attributes:
        model_version: Model version string of the fit.
        forecast_date: First forecast day (the day after the last observation).
        dates: The n_days forecast days.
        quantile_levels: Float (23,).
        daily_deaths: Float (n_days, 23), incident reported deaths per day.
        daily_deaths_mean: Float (n_days,), deaths/day.
        cumulative_deaths: Float (n_days, 23), cumulative deaths at the end of each day.
        cumulative_deaths_mean: Float (n_days,), deaths.
        week_end_dates: Saturdays of the n_weeks (<= 8) epiweek targets, 1..n weeks ahead.
        weekly_deaths: Float (n_weeks, 23), incident deaths in each epiweek.
        weekly_deaths_mean: Float (n_weeks,), deaths/week.
        weekly_cumulative_deaths: Float (n_weeks, 23), cumulative deaths on each Saturday.
        weekly_cumulative_deaths_mean: Float (n_weeks,), deaths.
        new_infections: Float (n_days, 23), new infections per day (trajectories, no noise).
        new_infections_mean: Float (n_days,), infections/day.
        r_effective: Float (n_days, 23), effective reproduction number.
        r_effective_mean: Float (n_days,).
        case_signal: The case-implied deaths the paths were tilted towards (None: deaths
            only).
    """

    model_version: str
    forecast_date: date
    dates: tuple[date, ...]
    quantile_levels: FloatArray
    daily_deaths: FloatArray
    daily_deaths_mean: FloatArray
    cumulative_deaths: FloatArray
    cumulative_deaths_mean: FloatArray
    week_end_dates: tuple[date, ...]
    weekly_deaths: FloatArray
    weekly_deaths_mean: FloatArray
    weekly_cumulative_deaths: FloatArray
    weekly_cumulative_deaths_mean: FloatArray
    new_infections: FloatArray
    new_infections_mean: FloatArray
    r_effective: FloatArray
    r_effective_mean: FloatArray
    case_signal: CaseSignal | None = None


def _weekly(
    forecast_date: date, history: History, daily: FloatArray, horizon_days: int
) -> tuple[tuple[date, ...], FloatArray, FloatArray]:
    """Epiweek ends, weekly incident (n_weeks, n_paths) and cumulative (n_weeks, n_paths)."""
    ends, inc, cum = [], [], []
    cum_daily = history.last_cumulative + np.cumsum(daily, axis=0)
    reported = history.reported_daily
    for week in range(1, MAX_WEEKS + 1):
        end = hub_target_end_date(forecast_date, week)
        end_i = (end - forecast_date).days
        if end_i >= horizon_days:
            break
        start_i = end_i - 6
        observed = reported[reported.size + start_i :].sum() if start_i < 0 else 0.0
        inc.append(daily[max(0, start_i) : end_i + 1].sum(axis=0) + observed)
        cum.append(cum_daily[end_i])
        ends.append(end)
    n = daily.shape[1]
    if not ends:
        return (), np.empty((0, n)), np.empty((0, n))
    return tuple(ends), np.array(inc), np.array(cum)


@dataclass(frozen=True, slots=True)
class History:
    """What the targets add the paths to.

    Attributes:
        reported_daily: Float (n_obs,), reported deaths by day (``FitResult.reported_daily``),
            for the observed part of the first epiweek.
        last_cumulative: Cumulative deaths at the end of the last observed day (with the
            deaths assumed on unreported days).
    """

    reported_daily: FloatArray
    last_cumulative: float


@dataclass(frozen=True, slots=True)
class Latent:
    """Model trajectories that are not observed: infections and R, (n_days, n_sets) each."""

    new_infections: FloatArray
    r_effective: FloatArray
    weights: FloatArray


@dataclass(frozen=True, slots=True)
class LatentQuantiles:
    """``Latent``'s targets: quantiles (n_days, 23) and means (n_days,) of infections and R
    (computed once for the forecasts that share them)."""

    new_infections: FloatArray
    new_infections_mean: FloatArray
    r_effective: FloatArray
    r_effective_mean: FloatArray


def latent_quantiles(latent: Latent) -> LatentQuantiles:
    inf, reff, w = latent.new_infections, latent.r_effective, latent.weights
    return LatentQuantiles(
        weighted_quantiles(inf, w, QUANTILE_LEVELS),
        weighted_mean(inf, w),
        weighted_quantiles(reff, w, QUANTILE_LEVELS),
        weighted_mean(reff, w),
    )


def forecast_from_paths(
    model_version: str,
    forecast_date: date,
    history: History,
    paths: tuple[FloatArray, FloatArray],
    latent: Latent | LatentQuantiles,
    signal: CaseSignal | None = None,
) -> Forecast:
    """Every target from daily-death sample paths (horizon_days, n_paths) and their weights.

    Args:
        model_version: Version string of the model the paths come from.
        forecast_date: First forecast day.
        history: Reported deaths the first epiweek and the cumulative targets start from.
        paths: Daily deaths (horizon_days, n_paths) and weights (n_paths,) summing to 1.
        latent: Infections and R of the model (same horizon), or their quantiles.
        signal: The case signal the paths were tilted towards, if any.
    """
    daily, weights = paths
    horizon_days = daily.shape[0]
    levels = QUANTILE_LEVELS
    cumulative = history.last_cumulative + np.cumsum(daily, axis=0)
    ends, weekly, weekly_cum = _weekly(forecast_date, history, daily, horizon_days)
    summary = latent if isinstance(latent, LatentQuantiles) else latent_quantiles(latent)
    return Forecast(
        model_version=model_version,
        forecast_date=forecast_date,
        dates=tuple(forecast_date + timedelta(days=i) for i in range(horizon_days)),
        quantile_levels=levels.copy(),
        daily_deaths=weighted_quantiles(daily, weights, levels),
        daily_deaths_mean=weighted_mean(daily, weights),
        cumulative_deaths=weighted_quantiles(cumulative, weights, levels),
        cumulative_deaths_mean=weighted_mean(cumulative, weights),
        week_end_dates=ends,
        weekly_deaths=weighted_quantiles(weekly, weights, levels),
        weekly_deaths_mean=weighted_mean(weekly, weights),
        weekly_cumulative_deaths=weighted_quantiles(weekly_cum, weights, levels),
        weekly_cumulative_deaths_mean=weighted_mean(weekly_cum, weights),
        new_infections=summary.new_infections,
        new_infections_mean=summary.new_infections_mean,
        r_effective=summary.r_effective,
        r_effective_mean=summary.r_effective_mean,
        case_signal=signal,
    )


def history_of(fit: FitResult) -> History:
    return History(fit.reported_daily, float(fit.observed_cumulative[-1]))


def latent_of(fit: FitResult, horizon_days: int) -> Latent:
    future = slice(fit.sim_start, fit.sim_start + horizon_days)
    return Latent(fit.new_infections[future], fit.r_effective[future], fit.weights)


def forecast(
    fit_result: FitResult,
    horizon_days: int = 7 * MAX_WEEKS + 6,
    cases: CaseSeries | None = None,
) -> Forecast:
    """Forecast deaths, infections and R for ``horizon_days`` days after the last observation.

    Args:
        fit_result: Result of ``fit`` or ``fit_rt``.
        horizon_days: Number of forecast days (at most ``settings.horizon_days``).
        cases: The region's reported cumulative cases (None, or too short a series: the
            forecast uses deaths only).

    Returns:
        Forecast with daily, cumulative and epiweek quantiles and means.
    """
    return forecast_of(fit_result, horizon_days, signal_for(fit_result, horizon_days, cases))


def forecast_of(
    fit_result: FitResult,
    horizon_days: int,
    signal: CaseSignal | None,
    latent: LatentQuantiles | None = None,
    noise: Noise | None = None,
) -> Forecast:
    """``forecast`` with its case signal (``signal_for``) given, and optionally the
    quantiles of its latent trajectories and its random draws (``draw_noise``), so that
    forecasts from one fit share them."""
    available = fit_result.reported_deaths.shape[0] - fit_result.sim_start
    if not 1 <= horizon_days <= available:
        raise ValueError(f"horizon_days must be in [1, {available}], got {horizon_days}")
    return forecast_from_paths(
        fit_result.model_version,
        fit_result.forecast_date,
        history_of(fit_result),
        sample_paths(fit_result, horizon_days, signal, noise),
        latent_of(fit_result, horizon_days) if latent is None else latent,
        signal,
    )
