"""Forecast corrections: level anchor on the last observed days and trend damping."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from app.core.seir import FitResult, FitSettings, Grid, fit, forecast
from app.core.seir.grid import Value
from app.core.seir.paths import draw_noise, sample_paths
from app.core.seir.yyg import simulate
from tests.core.seir.synthetic import CONSTANTS
from tests.core.seir.synthetic import FIXED as BASE_FIXED

FIXED: dict[str, Value] = {
    **BASE_FIXED,
    "reopen_shift_days": 0.0,
    "inflection_day": date(2020, 3, 18),
    "initial_r0": 2.5,
}
GRID = Grid(values={"lockdown_r0": (0.7, 0.8, 0.9), "reopen_r": (1.0, 1.1, 1.2)}, fixed=FIXED)
PLAIN = FitSettings(min_keep=3, drift_sd=0.0, nb_dispersion=None, anchor_days=0, trend_power=1.0)


@pytest.fixture(scope="module")
def fitted() -> FitResult:
    truth = GRID.batch(CONSTANTS, np.array([GRID.index_of({"lockdown_r0": 0.8, "reopen_r": 1.1})]))
    deaths = simulate(truth, CONSTANTS, 150).reported_deaths[:, 0]
    return fit(np.cumsum(deaths), CONSTANTS.first_date, CONSTANTS, GRID, PLAIN)


def test_anchor_rescales_to_the_observed_level(fitted: FitResult) -> None:
    base = forecast(fitted, 28)
    doubled = replace(
        fitted,
        smoothed_daily=fitted.smoothed_daily * 2.0,
        settings=replace(PLAIN, anchor_days=3),
    )
    anchored = forecast(doubled, 28)
    fitted_mean = fitted.reported_deaths[fitted.sim_start - 3 : fitted.sim_start] @ fitted.weights
    ratio = 2.0 * fitted.smoothed_daily[-3:].sum() / fitted_mean.sum()
    np.testing.assert_allclose(anchored.daily_deaths_mean, ratio * base.daily_deaths_mean)
    assert 1.8 < ratio < 2.2


def test_trend_power_zero_is_flat_and_one_is_the_model(fitted: FitResult) -> None:
    settings = replace(PLAIN, trend_power=0.0, growth_power=None)
    flat = forecast(replace(fitted, settings=settings), 28)
    last = fitted.reported_deaths[fitted.sim_start - 1] @ fitted.weights
    np.testing.assert_allclose(flat.daily_deaths_mean, last)
    same = forecast(replace(fitted, settings=replace(PLAIN, trend_power=1.0)), 28)
    np.testing.assert_allclose(same.daily_deaths_mean, forecast(fitted, 28).daily_deaths_mean)


def test_corrected_forecasts_stay_consistent(fitted: FitResult) -> None:
    settings = replace(PLAIN, anchor_days=3, trend_power=0.8, drift_sd=0.02, nb_dispersion=10.0)
    fc = forecast(replace(fitted, settings=settings), 28)
    assert np.all(np.diff(fc.weekly_deaths, axis=1) >= 0)
    assert np.all(fc.daily_deaths >= 0)
    last = float(fitted.observed_cumulative[-1])
    np.testing.assert_allclose(fc.cumulative_deaths_mean, last + np.cumsum(fc.daily_deaths_mean))


def test_growth_power_one_damps_only_declines(fitted: FitResult) -> None:
    settings = replace(PLAIN, trend_power=0.0, growth_power=1.0)
    fc = forecast(replace(fitted, settings=settings), 28)
    future = fitted.reported_deaths[fitted.sim_start : fitted.sim_start + 28]
    last = fitted.reported_deaths[fitted.sim_start - 1]
    expected = np.where(future > last, future, last) @ fitted.weights
    np.testing.assert_allclose(fc.daily_deaths_mean, expected)


def test_noisy_paths_are_the_documented_draws_shared_or_not(fitted: FitResult) -> None:
    """The paths are the trajectories drawn by weight, times exp(random walk), observed with
    negative-binomial noise, from one PCG64(seed) stream in that order; the same draws given
    through ``draw_noise`` (as the rt components share them) give the same paths."""
    settings = replace(PLAIN, drift_sd=0.03, nb_dispersion=8.0, n_samples=500, seed=3)
    noisy = replace(fitted, settings=settings)
    future = fitted.reported_deaths[fitted.sim_start : fitted.sim_start + 21]
    rng = np.random.Generator(np.random.PCG64(3))
    pick = rng.choice(fitted.weights.size, size=500, p=fitted.weights)
    walk = np.exp(np.cumsum(rng.normal(0.0, 0.03, size=(21, 500)), axis=0))
    mean = future[:, pick] * walk
    expected = rng.poisson(rng.gamma(8.0, np.maximum(mean, 1e-12) / 8.0)).astype(np.float64)
    paths, weights = sample_paths(noisy, 21)
    np.testing.assert_array_equal(paths, expected)
    np.testing.assert_array_equal(weights, np.full(500, 1 / 500))
    shared, _ = sample_paths(noisy, 21, None, draw_noise(noisy, 21))
    np.testing.assert_array_equal(shared, expected)
    assert draw_noise(replace(fitted, settings=PLAIN), 21) is None


def test_draws_of_another_fit_are_refused(fitted: FitResult) -> None:
    settings = replace(PLAIN, drift_sd=0.03, nb_dispersion=8.0, n_samples=500)
    noisy = replace(fitted, settings=settings)
    draws = draw_noise(noisy, 21)
    assert draws is not None
    for other, days in (
        (replace(fitted, settings=replace(settings, n_samples=400)), 21),
        (noisy, 28),
        (replace(fitted, settings=replace(settings, nb_dispersion=None)), 21),
    ):
        with pytest.raises(ValueError, match="draws do not match"):
            sample_paths(other, days, None, draws)
