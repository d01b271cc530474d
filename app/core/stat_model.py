"""A statistical component: exponential smoothing (ETS) of the log weekly reported deaths.

For one region at the forecast date D (``app.core.weekly_paths`` for the epiweek bookkeeping):

1. ``y = log1p(max(w, 0))`` of the weekly deaths ``w`` of the complete epiweeks before D
   (negative weeks, JHU corrections, count as 0), from ``fit_window``: leading zero weeks
   trimmed as the hub baseline does (``trim_leading_weeks``, rule ``"hub2022"``), then the
   weeks before the first one with ``RAMP_FRACTION`` of the series' largest week (the
   exponential ramp of a first wave: on the log scale it would dominate the error variance),
   the last ``MAX_WEEKS`` at most.
2. Two additive-error models (Hyndman & Athanasopoulos, *Forecasting: principles and
   practice*, 3rd ed., ch. 8), fitted by maximum likelihood with statsmodels' ``ETSModel``
   (initial states estimated): ETS(A,N,N), simple exponential smoothing, and ETS(A,Ad,N), an
   additive trend damped by ``phi`` in ``DAMPING_BOUNDS``. The lower AICc wins (a tie, or a
   damped fit with too few weeks for its AICc, keeps ETS(A,N,N)).
3. ``n`` paths of the H epiweeks ahead are simulated from the state space form with normal
   errors (the fitted variance) from ``numpy.random.default_rng(seed)``; ``expm1`` maps them
   back to deaths, clipped at 0.
4. ``spread_weeks`` turns them into daily paths: the deaths already reported in D's epiweek
   are subtracted from its samples, each week is spread evenly over its days still to come.

Fallback, deterministic: with fewer than ``MIN_WEEKS`` weeks, no deaths, both fits failing or
a non-finite simulation, every path stays at the last complete week's level (0 without any
week). On the log scale the median path is the model's point forecast, so a flat series has
the last level as its median and a falling one a falling median; the mean is above the
median (log-normal).

Development windows (forecast Mondays 2020-05-04 .. 2022-06-27, 51 states, 1-4 wk, WIS at the
23 levels against the final JHU weekly truth, ``bench/stat_accuracy.py``): mean WIS 0.95 of the
hub baseline's on the same data (0.89 .. 1.11 by half-year window, worst in 2020-05..06). On
every 4th Monday, 52 weeks instead of 104 scored 0.98, and without the ramp trim 2020-05..06
scored 2.3 (first waves: huge log-scale variance).
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from app.core.baseline import trim_leading_weeks
from app.core.seir.forecast import History
from app.core.types import FloatArray
from app.core.weekly_paths import complete_weeks, spread_weeks, weeks_ahead

if TYPE_CHECKING:
    from statsmodels.tsa.exponential_smoothing.ets import ETSResults

MAX_WEEKS = 104  # fit on two years at most (speed; 52 scored worse on the dev windows)
RAMP_FRACTION = 0.1  # the fit starts at the first week with 10 % of the largest (dev windows)
MIN_WEEKS = 6  # fewer complete weeks: flat fallback (ETS(A,N,N) has 2 parameters + variance)
DAMPING_BOUNDS = (0.5, 0.98)  # phi; statsmodels' own default is (0.8, 0.98)


def stat_paths(
    history: History, forecast_date: date, horizon_days: int, n: int, seed: int
) -> FloatArray:
    """Daily death paths (horizon_days, n) of the ETS model on the weekly reported deaths.

    Args:
        history: Reported deaths by day up to D - 1 (``History.reported_daily``).
        forecast_date: D, the first forecast day.
        horizon_days: Forecast days.
        n: Sample paths.
        seed: Seed of the simulation (same seed, same paths).

    Returns:
        Float (horizon_days, n), non-negative deaths per day.
    """
    weeks = complete_weeks(history, forecast_date)
    weekly = fit_window(weeks.weekly)
    horizons = weeks_ahead(weeks.partial_days, horizon_days)
    samples = stat_samples(weekly, horizons, n, seed)
    return spread_weeks(samples, weeks.partial_days, weeks.observed, horizon_days)


def fit_window(weekly: FloatArray) -> FloatArray:
    """The weeks the model is fitted to (step 1 of the module docstring), (n_kept,)."""
    kept = trim_leading_weeks(weekly, "hub2022")
    if np.any(kept > 0):
        kept = kept[int(np.argmax(kept >= RAMP_FRACTION * kept.max())) :]
    result: FloatArray = kept[-MAX_WEEKS:]
    return result


def stat_samples(weekly: FloatArray, horizons: int, n: int, seed: int) -> FloatArray:
    """Weekly death samples (horizons, n) of the epiweeks 1 .. horizons after ``weekly``.

    Args:
        weekly: Float (n_weeks,), deaths of the complete epiweeks, oldest first (``fit_window``).
        horizons: Epiweeks ahead, >= 1.
        n: Samples per epiweek.
        seed: Seed of the ``numpy.random.Generator`` of the simulation.
    """
    clean = np.maximum(weekly, 0.0)
    if clean.size < MIN_WEEKS or not np.any(clean > 0):
        return flat_samples(clean, horizons, n)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # statsmodels' ConvergenceWarning and the like
        fit = best_fit(np.log1p(clean))
        if fit is None:
            return flat_samples(clean, horizons, n)
        rng = np.random.default_rng(seed)
        simulated = fit.simulate(horizons, anchor="end", repetitions=n, rng=rng)
        samples: FloatArray = np.maximum(np.expm1(np.reshape(simulated, (horizons, n))), 0.0)
    if not np.all(np.isfinite(samples)):
        return flat_samples(clean, horizons, n)
    return samples


def flat_samples(weekly: FloatArray, horizons: int, n: int) -> FloatArray:
    """Every sample at the last week's level (zeros without any week), shape (horizons, n)."""
    level = float(weekly[-1]) if weekly.size else 0.0
    return np.full((horizons, n), level)


def best_fit(y: FloatArray) -> ETSResults | None:
    """ETS(A,N,N) or ETS(A,Ad,N) fitted to ``y`` (n_weeks,), whichever has the lower AICc;
    None if neither fit gives finite parameters and variance."""
    fits = [f for f in (_fit(y, damped=False), _fit(y, damped=True)) if f is not None]
    if not fits:
        return None
    return min(fits, key=_aicc)  # min keeps the first (undamped) on a tie


def _fit(y: FloatArray, *, damped: bool) -> ETSResults | None:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # ~1 s: import on use

    trend: dict[str, Any] = {}
    if damped:  # a fresh bounds dict: statsmodels adds the fixed parameters to it
        trend = {"trend": "add", "damped_trend": True, "bounds": {"damping_trend": DAMPING_BOUNDS}}
    try:
        fit = ETSModel(y, error="add", **trend).fit(disp=False)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError):
        return None
    if not (np.all(np.isfinite(fit.params)) and np.isfinite(fit.scale)):
        return None
    result: ETSResults = fit
    return result


def _aicc(fit: ETSResults) -> float:
    value = float(fit.aicc)
    return value if not np.isnan(value) else np.inf
