"""seircast-ensemble.2: the rt model's paths pooled with the baseline's, coherent targets."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from app.core.blend_model import MODEL_BLEND, BlendSettings, blend_forecast
from app.core.seir import FitResult, FitSettings, fit_rt, forecast
from app.core.seir.regions import region_constants_for
from app.core.types import FloatArray

START = date(2020, 3, 1)
DAYS = 400  # the last observed day is 2021-04-04


def _rt_fit(daily: FloatArray) -> FitResult:
    constants = region_constants_for("NY", first_death=START + timedelta(days=10))
    return fit_rt(np.cumsum(daily), START, constants, FitSettings(horizon_days=62))


def _rising() -> FloatArray:
    """Daily deaths growing 3% a day over the last 8 weeks (from 20 a day)."""
    daily = np.full(DAYS, 20.0)
    daily[-56:] = 20.0 * np.exp(0.03 * np.arange(1, 57))
    return daily


def test_blend_forecast_has_coherent_targets_and_its_own_version() -> None:
    daily = _rising()
    f = blend_forecast(_rt_fit(daily), 62, None)
    assert f.model_version == MODEL_BLEND
    for q in (f.daily_deaths, f.weekly_deaths, f.cumulative_deaths):
        assert np.all(np.isfinite(q)) and np.all(q >= 0) and np.all(np.diff(q, axis=1) >= 0)
    np.testing.assert_allclose(
        f.cumulative_deaths_mean, daily.sum() + np.cumsum(f.daily_deaths_mean), rtol=1e-9
    )


def test_full_seir_weight_reproduces_the_seir_forecast() -> None:
    result = _rt_fit(_rising())
    alone = forecast(result, 62)
    pooled = blend_forecast(result, 62, None, BlendSettings(seir_weight=1.0))
    np.testing.assert_allclose(pooled.weekly_deaths, alone.weekly_deaths)
    np.testing.assert_allclose(pooled.daily_deaths_mean, alone.daily_deaths_mean)


def test_baseline_share_pulls_a_growing_forecast_towards_flat() -> None:
    result = _rt_fit(_rising())
    alone = forecast(result, 62).weekly_deaths
    pooled = blend_forecast(result, 62, None).weekly_deaths
    last_week = float(_rising()[-7:].sum())
    median = 11  # the 0.5 level of the 23
    # the rt model extrapolates the growth; the pooled median sits between it and flat
    assert alone[3, median] > pooled[3, median] > last_week
    assert pooled[3, 0] < last_week < pooled[3, -1]  # the 95% band keeps "flat" possible


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"seir_weight": 1.5}, "seir_weight"), ({"baseline_samples": 0}, "baseline_samples")],
)
def test_blend_settings_reject_out_of_range_values(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BlendSettings(**kwargs)  # type: ignore[arg-type]


def test_blend_weights_sum_to_one_and_read_as_written() -> None:
    assert BlendSettings().weights() == {"seir": 0.8, "baseline": 0.2}
    assert sum(BlendSettings(seir_weight=0.7).weights().values()) == pytest.approx(1.0)
