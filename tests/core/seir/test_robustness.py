"""Few or no recent deaths: fits and forecasts stay finite, non-negative and near zero."""

from __future__ import annotations

import csv
import gzip
import warnings
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from app.core.seir import (
    FitResult,
    FitSettings,
    Forecast,
    fit,
    fit_rt,
    forecast,
    region_constants_for,
)
from app.core.seir.objective import loss_weights
from app.core.types import FloatArray

STITCHED = (
    Path(__file__).resolve().parents[3]
    / ".."
    / "shared"
    / "data"
    / "csse"
    / "us_state_deaths_daily_stitched.csv.gz"
)
SETTINGS = FitSettings(horizon_days=62)


def _stitched(location: str) -> tuple[date, FloatArray]:
    """Start date and cumulative deaths of one location in the stitched JHU file."""
    if not STITCHED.exists():
        pytest.skip("shared data not available")
    with gzip.open(STITCHED, "rt") as fh:
        rows = [
            (r["date"], r["cum_deaths"]) for r in csv.DictReader(fh) if r["location"] == location
        ]
    rows.sort()
    values = np.array([float(v) if v else np.nan for _, v in rows])
    return date.fromisoformat(rows[0][0]), values


def _as_service(start: date, cumulative: FloatArray) -> tuple[date, FloatArray, date]:
    """Trim as the service does: start at day 0 = first death - 24 days."""
    first = int(np.flatnonzero(np.nan_to_num(cumulative) > 0)[0])
    first_death = start + timedelta(days=first)
    skip = max(0, first - 24)
    return start + timedelta(days=skip), cumulative[skip:], first_death


def _check(prediction: Forecast, upper_week: float) -> None:
    arrays = (
        prediction.daily_deaths,
        prediction.daily_deaths_mean,
        prediction.cumulative_deaths,
        prediction.weekly_deaths,
        prediction.weekly_deaths_mean,
        prediction.weekly_cumulative_deaths,
        prediction.new_infections,
        prediction.r_effective,
    )
    for values in arrays:
        assert np.all(np.isfinite(values))
        assert np.all(values >= 0)
    assert np.all(np.diff(prediction.weekly_deaths, axis=1) >= 0)
    assert prediction.weekly_deaths[:, 11].max() <= 1.0  # median near zero
    assert prediction.weekly_deaths.max() <= upper_week


def _run(fitter: Callable[..., FitResult], *args: object, **kwargs: object) -> Forecast:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning (NaN) from numpy either
        result = fitter(*args, **kwargs)
        assert np.all(np.isfinite(result.weights))
        assert abs(result.weights.sum() - 1) < 1e-9
        return forecast(result, 62)


@pytest.mark.parametrize(("fips", "code"), [("60", "AS"), ("69", "MP")])
def test_territories_without_recent_deaths_forecast_near_zero(fips: str, code: str) -> None:
    start, cumulative, first_death = _as_service(*_stitched(fips))
    assert cumulative[-1] - cumulative[-61] == 0  # no deaths in the last 60 days
    constants = region_constants_for(code, 50_000.0, first_death)
    _check(_run(fit_rt, cumulative, start, constants, SETTINGS), upper_week=5.0)
    _check(_run(fit, cumulative, start, constants, settings=SETTINGS, region=code), upper_week=5.0)


def _synthetic(kind: str) -> FloatArray:
    cumulative = np.zeros(150)
    if kind == "single death":
        cumulative[24:] = 1.0
    elif kind == "early wave then zeros":
        cumulative[24:] = np.minimum(np.arange(126) + 1.0, 40.0)
    else:  # last report missing
        cumulative[24:] = 3.0
        cumulative[-2:] = np.nan
    return cumulative


@pytest.mark.parametrize("kind", ["single death", "early wave then zeros", "nan at the end"])
@pytest.mark.parametrize("population", [5e4, 5e6])
def test_series_all_zero_recently_forecast_near_zero_above_the_last_total(
    kind: str, population: float
) -> None:
    start = date(2020, 3, 1)
    constants = region_constants_for("XX", population, start + timedelta(days=24))
    cumulative = _synthetic(kind)
    for prediction in (
        _run(fit_rt, cumulative, start, constants, SETTINGS),
        _run(fit, cumulative, start, constants, settings=SETTINGS),
    ):
        _check(prediction, upper_week=10.0)
        last = float(np.nanmax(cumulative))
        assert np.all(prediction.cumulative_deaths >= last)


def test_rt_follows_a_sudden_death_after_months_of_zeros() -> None:
    start = date(2021, 1, 1)
    constants = region_constants_for("XX", 5e4, start + timedelta(days=24))
    cumulative = np.zeros(200)
    cumulative[24:] = 2.0
    cumulative[-1] = 6.0  # four new deaths on the last day
    prediction = _run(fit_rt, cumulative, start, constants, SETTINGS)
    assert np.all(np.isfinite(prediction.weekly_deaths))
    assert prediction.weekly_deaths[0, -1] >= 1.0  # the model can follow new deaths


@pytest.mark.parametrize(
    "losses",
    [np.zeros(5), np.array([0.0, np.inf, 0.0]), np.full(3, np.inf), np.array([1e-320, 1e300])],
)
def test_loss_weights_are_always_a_distribution(losses: FloatArray) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = loss_weights(losses, 1.5)
    assert np.all(np.isfinite(w)) and np.all(w >= 0)
    assert abs(w.sum() - 1) < 1e-12
