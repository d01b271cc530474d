"""seircast-ensemble.1: baseline paths, weights from the recent past, a coherent pooled forecast."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from app.core.ensemble_model import (
    COMPONENTS,
    MODEL_ENSEMBLE,
    baseline_paths,
    run_ensemble,
)
from app.core.seir import FitSettings
from app.core.seir.forecast import History
from app.core.seir.regions import region_constants_for
from app.core.types import FloatArray

START = date(2020, 3, 1)
MONDAY = date(2021, 3, 1)


def _weekly_reports(days: int, level: FloatArray | float) -> FloatArray:
    """Daily deaths at ``level`` (per day, scalar or per day) from START."""
    return np.broadcast_to(np.asarray(level, dtype=np.float64), (days,)).copy()


def test_baseline_paths_keep_the_last_week_and_count_the_observed_days() -> None:
    days = (MONDAY - START).days  # the last observed day is Sunday 2021-02-28
    weekly = np.tile([70.0, 84.0], days // 14 + 1)
    daily = np.repeat(weekly / 7.0, 7)[:days]
    paths = baseline_paths(History(daily, float(daily.sum())), MONDAY, 13, 4001, 0)
    assert paths.shape == (13, 4001) and np.all(paths >= 0)
    sunday = float(daily[-1])  # observed part of the epiweek Sun 02-28 .. Sat 03-06
    week1 = paths[:6].sum(axis=0) + sunday
    last_complete = float(daily[-8:-1].sum())
    assert np.median(week1) == pytest.approx(last_complete, rel=0.01)
    assert np.median(paths[6:13].sum(axis=0)) == pytest.approx(last_complete, rel=0.02)
    np.testing.assert_allclose(paths[0], paths[5])  # a week's deaths spread evenly


def _fit(daily: FloatArray) -> tuple[FloatArray, dict[str, float], FloatArray, FloatArray]:
    constants = region_constants_for("NY", first_death=START + timedelta(days=10))
    cumulative = np.cumsum(daily)
    run = run_ensemble(cumulative, START, constants, FitSettings(horizon_days=62), None, 62)
    f = run.forecast
    assert f.model_version == MODEL_ENSEMBLE and set(run.weights) == set(COMPONENTS)
    assert sum(run.weights.values()) == pytest.approx(1.0)
    for q in (f.daily_deaths, f.weekly_deaths, f.cumulative_deaths):
        assert np.all(np.isfinite(q)) and np.all(q >= 0) and np.all(np.diff(q, axis=1) >= 0)
    assert np.all(np.diff(f.cumulative_deaths_mean) >= 0)
    # all targets come from the same pooled paths
    np.testing.assert_allclose(
        f.cumulative_deaths_mean, cumulative[-1] + np.cumsum(f.daily_deaths_mean), rtol=1e-9
    )
    return f.weekly_deaths[:4, 11], run.weights, f.weekly_deaths[0], cumulative


def test_a_steady_series_is_forecast_at_its_level() -> None:
    days = (MONDAY - START).days
    daily = _weekly_reports(days, 40.0)
    daily[:10] = 0.0
    medians, _, week1, _ = _fit(daily)
    np.testing.assert_allclose(medians, 280.0, rtol=0.25)
    assert week1[1] <= 280.0 <= week1[21]


def test_a_steady_decline_weights_the_model_that_follows_it() -> None:
    """Deaths falling 2% a day: the rt model follows the decline, the baseline (a random walk
    on the last week) stays too high, so its weight is small."""
    days = (MONDAY - START).days
    t = np.arange(days, dtype=np.float64)
    daily = np.where(t < 10, 0.0, 150.0 * np.exp(-0.02 * np.maximum(t - 250, 0)))
    medians, weights, _, _ = _fit(daily)
    assert weights["baseline"] < weights["rt"] + weights["rt-deaths"]
    assert np.all(np.diff(medians) < 0)


def test_too_little_history_gives_equal_weights() -> None:
    days = 70
    daily = _weekly_reports(days, 30.0)
    daily[:10] = 0.0
    constants = region_constants_for("NY", first_death=START + timedelta(days=10))
    run = run_ensemble(np.cumsum(daily), START, constants, FitSettings(horizon_days=62), None, 62)
    assert run.scored_rows < 4
    np.testing.assert_allclose(list(run.weights.values()), 1 / 3)
