"""seircast-ensemble.5: six components, weights and factors learned from past forecasts."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from app.core.combined_forecast import recalibrated
from app.core.learned_model import (
    COMPONENTS,
    MODEL_LEARNED,
    PRIOR,
    LearnedRun,
    LearnedSettings,
    component_fits,
    component_forecasts,
    following_cases,
    run_learned,
    weekly_forecast,
)
from app.core.online_ensemble import PastForecasts, Plan, plan
from app.core.seir import QUANTILE_LEVELS, CaseSeries, FitSettings, forecast
from app.core.seir.regions import region_constants_for
from app.core.stat_model import stat_paths

START = date(2020, 3, 1)
MONDAY = date(2021, 3, 1)


DAYS = (MONDAY - START).days
DAILY = np.round(40 * np.exp(-((np.arange(DAYS) - 300) ** 2) / (2 * 40.0**2)) + 3)  # falling


def _run(chosen: Plan | None = None, cases: CaseSeries | None = None) -> tuple[LearnedRun, float]:
    cumulative = np.cumsum(DAILY)
    constants = region_constants_for("NY", first_death=START + timedelta(days=10))
    settings = FitSettings(horizon_days=62)
    run = run_learned(cumulative, START, constants, settings, cases, 62, chosen, region="NY")
    return run, float(cumulative[-1])


@pytest.fixture(scope="module")
def no_history() -> tuple[LearnedRun, float]:
    return _run()


def test_without_history_the_prior_weights_and_no_recalibration(
    no_history: tuple[LearnedRun, float],
) -> None:
    run, last = no_history
    f = run.forecast
    assert f.model_version == MODEL_LEARNED and run.plan.weights == PRIOR and run.plan.rows == 0
    np.testing.assert_array_equal(run.plan.factors, 1.0)
    assert tuple(run.components) == COMPONENTS
    for q in run.components.values():
        assert q.shape == (len(f.week_end_dates), QUANTILE_LEVELS.size)
    for q in (f.daily_deaths, f.weekly_deaths, f.cumulative_deaths):
        assert np.all(np.isfinite(q)) and np.all(q >= 0) and np.all(np.diff(q, axis=1) >= 0)
    assert np.all(f.cumulative_deaths >= last - 1e-9)
    # the weekly quantiles are the prior-weighted geometric average of the components'
    logs = sum(PRIOR[c] * np.log(run.components[c] + 1.0) for c in COMPONENTS)
    expected = np.exp(np.maximum.accumulate(logs, axis=1)) - 1.0
    np.testing.assert_allclose(f.weekly_deaths, expected)
    assert np.all(f.weekly_deaths <= sum(PRIOR[c] * run.components[c] for c in COMPONENTS) + 1e-9)


def test_history_moves_the_weights_and_the_intervals(no_history: tuple[LearnedRun, float]) -> None:
    """Past rows where the baseline's median was the truth every time: the baseline gains
    weight and the outer intervals, too wide for such truths, narrow (factors are ordered
    from the 98% interval in)."""
    first, _ = no_history
    n_rows = 2000
    weeks = np.arange(n_rows) % 4
    quantiles = np.stack([first.components[c][weeks] for c in COMPONENTS])
    truth = first.components["baseline"][weeks, QUANTILE_LEVELS.size // 2]
    past = PastForecasts(COMPONENTS, QUANTILE_LEVELS, weeks + 1, truth, quantiles)
    run, _ = _run(plan(past, LearnedSettings().online, 8))
    assert run.plan.rows == n_rows and run.plan.weights["baseline"] > PRIOR["baseline"] + 0.2
    assert np.all(run.plan.factors[:4, :3] < 1.0)
    width = run.forecast.weekly_deaths[:4, -2] - run.forecast.weekly_deaths[:4, 1]
    before = first.forecast.weekly_deaths[:4, -2] - first.forecast.weekly_deaths[:4, 1]
    assert np.all(width < before)


def test_weights_of_other_components_are_refused() -> None:
    with pytest.raises(ValueError, match="need"):
        _run(Plan({"rt": 0.5, "baseline": 0.5}, np.ones((8, 11)), 0))


def test_recalibration_keeps_cumulative_deaths_above_the_reported(
    no_history: tuple[LearnedRun, float],
) -> None:
    run, last = no_history
    f = run.forecast
    assert recalibrated(f, np.ones((8, 11)), last) is f
    wide = recalibrated(f, np.full((8, 11), 3.0), last)
    assert np.all(wide.cumulative_deaths >= last - 1e-9)
    assert np.all(wide.weekly_deaths[:, -1] >= f.weekly_deaths[:, -1])
    assert np.all(wide.daily_deaths[:, 0] <= f.daily_deaths[:, 0])
    np.testing.assert_allclose(wide.weekly_deaths[:, 11], f.weekly_deaths[:, 11])
    # days take their epiweek's factors: one factor per week, the first week narrowed only
    factors = np.ones((8, 11))
    factors[0] = 0.5
    narrow = recalibrated(f, factors, last)
    first_week = np.array(f.dates) <= f.week_end_dates[0]
    assert np.all(narrow.daily_deaths[first_week, -1] <= f.daily_deaths[first_week, -1])
    np.testing.assert_allclose(narrow.daily_deaths[~first_week], f.daily_deaths[~first_week])


def test_the_rt_components_lean_none_half_and_all_the_way_to_rising_cases() -> None:
    """Cases at 50 x the deaths, tripling over the last 3 weeks: they imply more deaths than
    the falling deaths do, and the three rt components' medians are ordered by how far each
    follows them (case weight 0, 0.5, 1)."""
    daily_cases = 50.0 * DAILY
    daily_cases[-21:] *= np.exp(np.log(3.0) * np.arange(1, 22) / 21)
    run, _ = _run(cases=CaseSeries(START, np.cumsum(daily_cases)))
    median = QUANTILE_LEVELS.size // 2
    deaths, half, full = (run.components[c][1:4, median] for c in ("rt-deaths", "rt", "rt-cases"))
    assert np.all(deaths < half) and np.all(half < full)


@pytest.mark.parametrize("case_weight", [0.5, 0.0])
def test_shared_signal_draws_and_latent_change_no_component_forecast(case_weight: float) -> None:
    """component_forecasts computes the case signal, rt's random draws and rt's infection
    quantiles once: every component is what its own full forecast would be, also when the
    fits' case weight is 0 (rt-cases still follows the cases)."""
    daily_cases = 50.0 * DAILY
    daily_cases[-21:] *= np.exp(np.log(2.0) * np.arange(1, 22) / 21)
    cases = CaseSeries(START, np.cumsum(daily_cases))
    constants = region_constants_for("NY", first_death=START + timedelta(days=10))
    settings, learned = FitSettings(horizon_days=62, case_weight=case_weight), LearnedSettings()
    yyg, rt = component_fits(np.cumsum(DAILY), START, constants, settings, learned, region="NY")
    parts = component_forecasts(yyg, rt, 62, cases, learned)
    alone = {
        "yyg": forecast(yyg, 62, cases),
        "rt": forecast(rt, 62, cases),
        "rt-deaths": forecast(rt, 62, None),
        "rt-cases": forecast(following_cases(rt), 62, cases),
        "stat": weekly_forecast("stat", stat_paths, rt, 62, learned),
    }
    for name, own in alone.items():
        for target in ("daily_deaths", "weekly_deaths", "cumulative_deaths", "r_effective"):
            np.testing.assert_array_equal(getattr(parts[name], target), getattr(own, target))
    assert not np.array_equal(parts["rt-cases"].daily_deaths, parts["rt-deaths"].daily_deaths)
    assert (parts["rt"].case_signal is None) == (case_weight == 0)
