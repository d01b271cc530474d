"""``seircast-ensemble.1``: the rt model with and without the case signal and the hub baseline,
pooled with weights learned from their own scores on the region's recent past.

Components (``COMPONENTS``): ``rt`` (``fit_rt`` + ``forecast`` with the reported cases),
``rt-deaths`` (the same fit, deaths only) and ``baseline`` (COVIDhub-baseline,
``app.core.baseline``, on the weekly reported deaths; its weekly samples are spread evenly over
the days of their epiweek that are still to come).

Weights, without look-ahead: the series known at the forecast date D is cut at the origins
D - 7k (k = 1 .. ``lookback_weeks``); each component forecasts from each cut; the epiweeks
that ended before D are scored (WIS at the 23 levels) against the weekly deaths reported by
D. The components' mean WIS over the same rows gives ``w_c = WIS_c^-power``
(``app.core.ensemble.score_weights``; equal weights with fewer than ``min_rows`` rows).

The ensemble is the weighted mixture (linear pool) of the components' sample paths, so every
target (daily, weekly, incident, cumulative) still comes from the same weighted paths;
infections and R are the rt model's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from app.core.baseline import baseline_samples, trim_leading_weeks
from app.core.ensemble import score_weights
from app.core.epiweeks import epiweek_end
from app.core.scoring import weighted_interval_score
from app.core.seir import QUANTILE_LEVELS, CaseSeries, FitResult, FitSettings, Forecast, fit_rt
from app.core.seir.cases import CaseSignal
from app.core.seir.forecast import History, forecast_from_paths, history_of, latent_of
from app.core.seir.params import RegionConstants
from app.core.seir.paths import sample_paths, signal_for
from app.core.types import FloatArray
from app.core.weekly_paths import WEEK, complete_weeks, spread_weeks, weeks_ahead

MODEL_ENSEMBLE = "seircast-ensemble.1"
COMPONENTS = ("rt", "rt-deaths", "baseline")


@dataclass(frozen=True, slots=True)
class EnsembleSettings:
    """Settings of the ensemble (chosen on the development windows, docs/MODEL.md)."""

    lookback_weeks: int = 6
    power: float = 4.0
    min_rows: int = 4
    score_samples: int = 400  # sample paths of each past forecast (scores only)
    baseline_samples: int = 2000


@dataclass(frozen=True, slots=True)
class EnsembleRun:
    """The rt fit (parameters, warnings), the pooled forecast and the weights used."""

    fit: FitResult
    forecast: Forecast
    weights: dict[str, float]
    scored_rows: int


def baseline_paths(
    history: History, forecast_date: date, horizon_days: int, n: int, seed: int
) -> FloatArray:
    """Daily paths (horizon_days, n) of the hub baseline on the weekly reported deaths."""
    weeks = complete_weeks(history, forecast_date)
    weekly = trim_leading_weeks(weeks.weekly, "hub2022")
    if weekly.size < 2:
        return np.zeros((horizon_days, n))
    horizons = weeks_ahead(weeks.partial_days, horizon_days)
    samples = baseline_samples(weekly, horizons, num_samples=n, seed=seed)
    return spread_weeks(samples, weeks.partial_days, weeks.observed, horizon_days)


def component_paths(
    result: FitResult, signal: CaseSignal | None, horizon_days: int, n_baseline: int
) -> dict[str, tuple[FloatArray, FloatArray]]:
    """Each component's daily paths (horizon_days, n) and weights (n,) from one rt fit and
    its case signal (``signal_for``)."""
    history = history_of(result)
    base = baseline_paths(history, result.forecast_date, horizon_days, n_baseline, 0)
    return {
        "rt": sample_paths(result, horizon_days, signal),
        "rt-deaths": sample_paths(result, horizon_days, None),
        "baseline": (base, np.full(n_baseline, 1.0 / n_baseline)),
    }


def pooled_forecast(
    version: str,
    result: FitResult,
    parts: dict[str, tuple[FloatArray, FloatArray]],
    shares: dict[str, float],
    horizon_days: int,
    signal: CaseSignal | None,
) -> Forecast:
    """The linear pool of the components' daily paths: each component's path weights times
    its share (a component without a share adds no paths); infections and R are ``result``'s.

    Args:
        version: Model version of the pooled forecast.
        result: The fit whose history and latent trajectories the forecast keeps.
        parts: Component -> (daily paths (horizon_days, n), path weights (n,) summing to 1).
        shares: Component -> share (non-negative, summing to 1 over ``parts``).
        horizon_days: Forecast days.
        signal: The case signal the paths were tilted towards, if any.
    """
    used = [c for c in parts if shares[c] > 0]
    daily = np.concatenate([parts[c][0] for c in used], axis=1)
    pooled = np.concatenate([shares[c] * parts[c][1] for c in used])
    return forecast_from_paths(
        version,
        result.forecast_date,
        history_of(result),
        (daily, pooled / pooled.sum()),
        latent_of(result, horizon_days),
        signal,
    )


def _weekly_quantiles(
    result: FitResult, paths: tuple[FloatArray, FloatArray], horizon_days: int
) -> tuple[tuple[date, ...], FloatArray]:
    f = forecast_from_paths(
        result.model_version,
        result.forecast_date,
        history_of(result),
        paths,
        latent_of(result, horizon_days),
    )
    return f.week_end_dates, f.weekly_deaths


def _weekly_truth(reported: FloatArray, start: date) -> dict[date, float]:
    """Reported deaths of each complete epiweek in the series (by its Saturday)."""
    first = (epiweek_end(start) - start).days
    if first < WEEK - 1:  # the series starts mid-week: that week is not complete
        first += WEEK
    return {
        start + timedelta(days=i): float(reported[i - WEEK + 1 : i + 1].sum())
        for i in range(first, reported.size, WEEK)
    }


def past_weights(
    now: FitResult,
    cumulative: FloatArray,
    start: date,
    constants: RegionConstants,
    cases: CaseSeries | None,
    ens: EnsembleSettings,
) -> tuple[dict[str, float], int]:
    """Weights from the components' forecasts made at D - 7k, scored on the epiweeks that
    ended before D against the deaths reported by D (``now`` is the fit at D)."""
    truth = _weekly_truth(now.reported_daily, start)
    settings = replace(now.settings, n_samples=ens.score_samples)
    sums, rows = np.zeros(len(COMPONENTS)), 0
    for k in range(1, ens.lookback_weeks + 1):
        cut = cumulative.size - WEEK * k
        if cut < 8 * WEEK or not np.any(cumulative[:cut] > 0):
            break
        past = fit_rt(cumulative[:cut], start, constants, settings)
        horizon = min(WEEK * (k + 1), settings.horizon_days)
        signal = signal_for(past, horizon, cases)
        paths = component_paths(past, signal, horizon, ens.score_samples)
        scored = [_weekly_quantiles(past, paths[c], horizon) for c in COMPONENTS]
        ends = scored[0][0]
        keep = [i for i, end in enumerate(ends) if end in truth]
        if not keep:
            continue
        y = np.array([truth[ends[i]] for i in keep])
        for j, (_, q) in enumerate(scored):
            sums[j] += weighted_interval_score(y, QUANTILE_LEVELS, q[keep]).sum()
        rows += len(keep)
    mean = sums / rows if rows else np.full(len(COMPONENTS), np.nan)
    weights = score_weights(mean, rows, power=ens.power, min_rows=ens.min_rows)
    return dict(zip(COMPONENTS, (float(w) for w in weights), strict=True)), rows


def run_ensemble(
    cumulative: FloatArray,
    start: date,
    constants: RegionConstants,
    settings: FitSettings,
    cases: CaseSeries | None,
    horizon_days: int,
    ens: EnsembleSettings | None = None,
) -> EnsembleRun:
    """Fit the components at D, weight them by their recent past and pool their paths.

    Args:
        cumulative: Float (n_obs,), cumulative deaths from ``start`` (the last day is D - 1).
        start: Date of ``cumulative[0]``.
        constants: Region constants.
        settings: Fit settings of the rt model.
        cases: The region's reported cumulative cases, or None.
        horizon_days: Forecast days.
        ens: Ensemble settings (default ``EnsembleSettings()``).
    """
    ens = ens or EnsembleSettings()
    now = fit_rt(cumulative, start, constants, settings)
    weights, rows = past_weights(now, cumulative, start, constants, cases, ens)
    signal = signal_for(now, horizon_days, cases)
    parts = component_paths(now, signal, horizon_days, ens.baseline_samples)
    used = signal if weights["rt"] > 0 else None
    prediction = pooled_forecast(MODEL_ENSEMBLE, now, parts, weights, horizon_days, used)
    return EnsembleRun(now, prediction, weights, rows)
