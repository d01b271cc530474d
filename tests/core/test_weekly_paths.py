"""Weekly samples to daily paths: the epiweek split, and baseline_paths unchanged by it."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from app.core.baseline import baseline_samples, trim_leading_weeks
from app.core.ensemble_model import baseline_paths
from app.core.epiweeks import epiweek_end
from app.core.seir.forecast import History
from app.core.types import FloatArray
from app.core.weekly_paths import complete_weeks, spread_weeks, weeks_ahead

SUNDAY = date(2021, 2, 28)


def _baseline_paths_before(
    history: History, forecast_date: date, horizon_days: int, n: int, seed: int
) -> FloatArray:
    """``baseline_paths`` as it was before the helpers were split out of it (commit 1712f41)."""
    reported = history.reported_daily
    last_saturday = epiweek_end(forecast_date) - timedelta(days=7)
    partial = (forecast_date - timedelta(days=1) - last_saturday).days
    n_weeks = (reported.size - partial) // 7
    complete = reported[reported.size - partial - 7 * n_weeks : reported.size - partial]
    weekly = trim_leading_weeks(complete.reshape(n_weeks, 7).sum(axis=1), "hub2022")
    horizons = (partial + horizon_days) // 7 + 1
    if weekly.size < 2:
        return np.zeros((horizon_days, n))
    samples = baseline_samples(weekly, horizons, num_samples=n, seed=seed)
    observed = float(reported[reported.size - partial :].sum()) if partial else 0.0
    paths = np.empty((horizon_days, n))
    for j in range(horizons):
        first, last = max(7 * j - partial, 0), min(7 * (j + 1) - partial, horizon_days)
        if first >= last:
            continue
        week = samples[j] - (observed if j == 0 else 0.0)
        paths[first:last] = np.maximum(week, 0.0) / (last - first)
    return paths


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("days", [9, 16, 120])
def test_baseline_paths_are_bit_identical_to_the_inline_version(weekday: int, days: int) -> None:
    rng = np.random.default_rng(days + weekday)
    daily = np.round(rng.gamma(2.0, 20.0, days) * np.linspace(0.2, 1.5, days))
    daily[:5] = 0.0
    history = History(daily, float(daily.sum()))
    day = SUNDAY + timedelta(days=weekday)
    for horizon, n, seed in ((28, 500, 0), (35, 300, 7), (13, 1, 3)):
        new = baseline_paths(history, day, horizon, n, seed)
        old = _baseline_paths_before(history, day, horizon, n, seed)
        assert new.tobytes() == old.tobytes()


def test_complete_weeks_end_on_the_saturday_before_the_forecast_date() -> None:
    daily = np.arange(1.0, 31.0)  # 30 days, the last one Wednesday 2021-03-03
    weeks = complete_weeks(History(daily, float(daily.sum())), date(2021, 3, 4))
    assert weeks.partial_days == 4  # Sunday .. Wednesday
    assert weeks.observed == pytest.approx(27.0 + 28.0 + 29.0 + 30.0)
    np.testing.assert_allclose(weeks.weekly, [daily[5:12].sum(), daily[12:19].sum(), 161.0])
    sunday = complete_weeks(History(daily[:-4], 0.0), date(2021, 2, 28))
    assert sunday.partial_days == 0 and sunday.observed == 0.0
    np.testing.assert_array_equal(sunday.weekly, weeks.weekly)


def test_spread_weeks_subtracts_the_observed_days_and_spreads_the_rest() -> None:
    partial, horizon = 4, 10  # Thursday: 3 days left in week 1, 7 in week 2, 0 in week 3
    assert weeks_ahead(partial, horizon) == 3
    samples = np.array([[70.0, 30.0], [140.0, 7.0], [999.0, 999.0]])
    paths = spread_weeks(samples, partial, 40.0, horizon)
    np.testing.assert_allclose(paths[:3], [[10.0, 0.0]] * 3)  # 70 - 40 over 3 days; 30 - 40 < 0
    np.testing.assert_allclose(paths[3:], [[20.0, 1.0]] * 7)
