"""Post-2020 model: back-calculation consistency and recovery of a known recent R."""

from __future__ import annotations

from datetime import date

import numpy as np

from app.core.seir import MODEL_RT, RegionConstants, RtSettings, fit_rt, forecast
from app.core.seir.rt.renewal import INFECTION_TO_REPORT, back_calculate, simulate_window

CONSTANTS = RegionConstants(
    population=1e7, first_date=date(2021, 1, 1), reopen_date=date(2021, 6, 1)
)


def test_kernel_is_a_distribution_with_the_documented_mean() -> None:
    assert (
        INFECTION_TO_REPORT.sum() == np.float64(1.0) or abs(INFECTION_TO_REPORT.sum() - 1) < 1e-12
    )
    mean = float(np.arange(INFECTION_TO_REPORT.size) @ INFECTION_TO_REPORT)
    assert 29.0 < mean < 30.0


def test_back_calculation_reproduces_constant_infections() -> None:
    infections = np.full(200, 1000.0)
    deaths = 0.005 * np.convolve(infections, INFECTION_TO_REPORT)[:200]
    back = back_calculate(deaths, 0.005, 30)
    np.testing.assert_allclose(back[70:140], 1000.0, rtol=0.02)


def test_recovers_recent_r_and_forecasts() -> None:
    history = np.full(150, 2000.0)
    r = np.full((90, 1), 1.15)
    inf, _ = simulate_window(history, r, CONSTANTS.population, 0.5)
    deaths = 0.005 * np.convolve(inf[:, 0], INFECTION_TO_REPORT)[: inf.shape[0]]
    result = fit_rt(np.cumsum(deaths), CONSTANTS.first_date, CONSTANTS, rt=RtSettings())
    assert result.model_version == MODEL_RT
    level = result.best_params["r_level"]
    assert isinstance(level, float)
    assert abs(level - 1.15) <= 0.1
    fc = forecast(result, 28)
    assert np.all(np.diff(fc.weekly_deaths, axis=1) >= 0)
    assert fc.weekly_deaths.shape == (4, 23)
