"""Forecast targets: monotone quantiles; daily, weekly and cumulative agree."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from app.core.seir import QUANTILE_LEVELS, FitResult, forecast
from tests.core.seir.synthetic import CONSTANTS, N_DAYS


def test_forecast_quantiles_are_monotone(fitted: FitResult) -> None:
    fc = forecast(fitted, 62)
    assert fc.quantile_levels.tolist() == QUANTILE_LEVELS.tolist()
    assert len(QUANTILE_LEVELS) == 23
    for q in (fc.daily_deaths, fc.cumulative_deaths, fc.weekly_deaths, fc.new_infections):
        assert np.all(np.diff(q, axis=1) >= 0)
    assert np.all(np.diff(fc.cumulative_deaths, axis=0) >= 0)
    assert fc.weekly_deaths.shape == (8, 23)


def test_daily_weekly_and_cumulative_agree(fitted: FitResult) -> None:
    fc = forecast(fitted, 62)
    last = fitted.observed_cumulative[-1]
    np.testing.assert_allclose(fc.cumulative_deaths_mean, last + np.cumsum(fc.daily_deaths_mean))
    for week, end in enumerate(fc.week_end_dates):
        assert end.weekday() == 5
        end_i = (end - fc.forecast_date).days
        start_i = end_i - 6
        observed = fitted.reported_daily[start_i:].sum() if start_i < 0 else 0.0
        daily = fc.daily_deaths_mean[max(0, start_i) : end_i + 1].sum() + observed
        assert fc.weekly_deaths_mean[week] == pytest.approx(daily)
        np.testing.assert_allclose(fc.weekly_cumulative_deaths[week], fc.cumulative_deaths[end_i])
    assert fc.dates[0] == CONSTANTS.first_date + timedelta(days=N_DAYS)
