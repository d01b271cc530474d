"""The ETS component on weekly deaths: shapes, seeds, fallbacks, trends and real state series."""

from __future__ import annotations

import csv
import gzip
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from app.core.seir.forecast import History
from app.core.stat_model import MAX_WEEKS, MIN_WEEKS, fit_window, stat_paths, stat_samples
from app.core.types import FloatArray

STITCHED = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "csse"
) / "us_state_deaths_daily_stitched.csv.gz"
MONDAY = date(2021, 3, 1)  # the last observed day is Sunday 2021-02-28
DAYS = 364  # 52 weeks of history ending on that Sunday


def _history(daily: FloatArray) -> History:
    return History(daily, float(daily.sum()))


def _noisy_weeks(levels: FloatArray, seed: int = 1) -> FloatArray:
    """Weekly levels times a lognormal noise of 10 %, a fixed draw."""
    noise = np.exp(np.random.default_rng(seed).normal(0.0, 0.1, levels.size))
    weekly: FloatArray = levels * noise
    return weekly


def _epiweek_totals(paths: FloatArray, observed: float, partial: int) -> FloatArray:
    """Deaths of each epiweek from D's on (D's with its ``observed`` days), (n_weeks, n)."""
    first = 7 - partial
    weeks = [paths[:first].sum(axis=0) + observed]
    weeks += [paths[i : i + 7].sum(axis=0) for i in range(first, paths.shape[0] - 6, 7)]
    return np.array(weeks)


def test_paths_have_the_contract_shape_are_non_negative_and_seeded() -> None:
    daily = np.repeat(_noisy_weeks(np.full(DAYS // 7, 350.0)) / 7.0, 7)
    history = _history(daily)
    for horizon in (28, 35, 13):
        paths = stat_paths(history, MONDAY, horizon, 500, 3)
        assert paths.shape == (horizon, 500)
        assert np.all(np.isfinite(paths)) and np.all(paths >= 0)
    first = stat_paths(history, MONDAY, 28, 500, 3)
    np.testing.assert_array_equal(first, stat_paths(history, MONDAY, 28, 500, 3))
    assert not np.array_equal(first, stat_paths(history, MONDAY, 28, 500, 4))
    assert stat_paths(history, MONDAY, 28, 1, 0).shape == (28, 1)


def test_a_short_history_stays_flat_at_the_last_week() -> None:
    weekly = np.array([0.0, 0.0, 40.0, 90.0, 70.0])  # 3 weeks after the trim < MIN_WEEKS
    daily = np.repeat(weekly / 7.0, 7)
    wednesday = date(2021, 3, 3)  # 3 days into the epiweek, 10 deaths each
    paths = stat_paths(_history(np.concatenate([daily, [10.0] * 3])), wednesday, 30, 200, 0)
    assert np.all(paths == paths[:, :1])  # every path the same, no randomness
    totals = _epiweek_totals(paths, 30.0, 3)
    np.testing.assert_allclose(totals, 70.0)
    np.testing.assert_allclose(stat_samples(weekly[2:], 2, 4, 0), 70.0)


def test_the_fit_starts_after_the_ramp_of_a_first_wave() -> None:
    weekly = np.array([0.0, 0.0, 1.0, 4.0, 30.0, 200.0, 900.0, 1500.0, 1200.0, 800.0, 600.0])
    np.testing.assert_array_equal(fit_window(weekly), weekly[5:])  # from 10 % of 1,500 on
    long = np.concatenate([weekly, np.full(200, 50.0)])
    np.testing.assert_array_equal(fit_window(long), long[-MAX_WEEKS:])
    np.testing.assert_array_equal(fit_window(np.zeros(4)), np.zeros(4))


def test_no_deaths_give_zero_paths() -> None:
    assert np.all(stat_paths(_history(np.zeros(DAYS)), MONDAY, 28, 100, 0) == 0.0)
    assert np.all(stat_paths(_history(np.zeros(3)), MONDAY, 28, 100, 0) == 0.0)
    assert np.all(stat_samples(np.zeros(MIN_WEEKS + 4), 3, 10, 0) == 0.0)


def test_a_constant_series_is_forecast_at_its_level() -> None:
    samples = stat_samples(np.full(20, 700.0), 4, 300, 0)
    np.testing.assert_allclose(samples, 700.0, rtol=1e-6)


def test_a_decline_gives_a_declining_median() -> None:
    """Flat at 2,000 a week, then 10 % fewer deaths each week for the last 12 weeks."""
    levels = 2000.0 * 0.9 ** np.maximum(np.arange(DAYS // 7) - 40, 0)
    daily = np.repeat(_noisy_weeks(levels, seed=2) / 7.0, 7)
    paths = stat_paths(_history(daily), MONDAY, 34, 2000, 0)
    totals = _epiweek_totals(paths, float(daily[-1]), 1)
    medians = np.median(totals, axis=1)
    assert medians.shape == (5,) and np.all(np.diff(medians) < 0)
    assert 0.6 * levels[-1] < medians[0] < levels[-1]


def test_negative_weeks_count_as_zero() -> None:
    weekly = _noisy_weeks(np.full(30, 200.0))
    weekly[20] = -500.0  # a correction
    samples = stat_samples(weekly, 3, 500, 0)
    assert np.all(np.isfinite(samples)) and np.all(samples >= 0)


@pytest.mark.parametrize("day", [MONDAY, MONDAY + timedelta(days=3)])  # Monday, Thursday
def test_deaths_reported_once_a_week_give_the_weekly_level(day: date) -> None:
    """Every Wednesday ~700 deaths, nothing on other days: the epiweeks forecast ~700."""
    days = DAYS + (day - MONDAY).days
    first = MONDAY - timedelta(days=DAYS)  # a Monday
    weekly = _noisy_weeks(np.full(days // 7 + 1, 700.0), seed=3)
    daily = np.zeros(days)
    wednesdays = np.arange(2, days, 7)  # first + 2 days is a Wednesday
    daily[wednesdays] = weekly[: wednesdays.size]
    assert (first + timedelta(days=2)).weekday() == 2
    partial = (day.weekday() + 1) % 7  # Sunday .. D - 1
    observed = float(daily[days - partial :].sum())
    paths = stat_paths(_history(daily), day, 28, 2000, 0)
    medians = np.median(_epiweek_totals(paths, observed, partial), axis=1)
    np.testing.assert_allclose(medians, 700.0, rtol=0.1)


@lru_cache(maxsize=1)
def _stitched() -> dict[str, tuple[date, FloatArray]]:
    """Start date and daily reported deaths (differences of cum_deaths) by FIPS code."""
    if not STITCHED.exists():
        pytest.skip("shared data not available")
    rows: dict[str, list[tuple[str, float]]] = {}
    with gzip.open(STITCHED, "rt") as fh:
        for row in csv.DictReader(fh):
            rows.setdefault(row["location"], []).append((row["date"], float(row["cum_deaths"])))
    out = {}
    for location, values in rows.items():
        values.sort()
        cumulative = np.array([v for _, v in values])
        out[location] = (date.fromisoformat(values[0][0]), np.diff(cumulative, prepend=0.0))
    return out


@pytest.mark.parametrize("location", ["36", "48", "06", "12", "17"])  # NY, TX, CA, FL, IL
@pytest.mark.parametrize("day", [date(2020, 8, 3), date(2021, 1, 11), date(2022, 2, 7)])
def test_real_states_one_week_ahead_stays_near_the_last_week(location: str, day: date) -> None:
    start, daily = _stitched()[location]
    reported = daily[: (day - start).days]
    paths = stat_paths(_history(reported), day, 35, 2000, 0)
    assert paths.shape == (35, 2000) and np.all(np.isfinite(paths)) and np.all(paths >= 0)
    last_week = float(reported[-8:-1].sum())  # the epiweek that ended on Saturday D - 2
    median = float(np.median(paths[:6].sum(axis=0) + reported[-1]))
    assert 0.5 * last_week < median < 2.0 * last_week, (median, last_week)
