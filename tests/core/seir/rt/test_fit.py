"""Post-2020 model fit: recovery of a known recent R, and a forecast from it."""

from __future__ import annotations

from datetime import date

import numpy as np

from app.core.seir import MODEL_RT, RegionConstants, RtSettings, fit_rt, forecast
from app.core.seir.rt.renewal import INFECTION_TO_REPORT, simulate_window

CONSTANTS = RegionConstants(
    population=1e7, first_date=date(2021, 1, 1), reopen_date=date(2021, 6, 1)
)


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
