"""The case signal: known answers, date alignment, no look-ahead, and its effect on forecasts."""

from __future__ import annotations

import csv
import gzip
import warnings
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from app.core.cleaning import clean_cumulative
from app.core.seir import (
    CaseSeries,
    CaseSignal,
    FitResult,
    FitSettings,
    Grid,
    fit,
    fit_rt,
    forecast,
    region_constants_for,
)
from app.core.seir.cases import case_signal
from app.core.seir.regions import FIPS_TO_CODE
from app.core.seir.yyg import simulate
from app.core.types import FloatArray
from tests.core.seir.synthetic import CONSTANTS, FIXED

START = date(2020, 4, 1)
N_DAYS = 80
FORECAST_DATE = START + timedelta(days=N_DAYS)
LAG, RATIO_DAYS, RATIO = 17, 21, 0.02


def _cases(growth: float, n_days: int = N_DAYS) -> FloatArray:
    daily = 200.0 * np.exp(growth * np.arange(n_days))
    return np.cumsum(daily)


def _deaths_following(cases: FloatArray) -> FloatArray:
    """Smoothed deaths that are exactly RATIO x the smoothed cases LAG days earlier."""
    smoothed = clean_cumulative(cases).smoothed_daily
    return RATIO * np.concatenate([np.zeros(LAG), smoothed[:-LAG]])


def _signal(cases: CaseSeries, deaths: FloatArray, horizon: int = 28) -> CaseSignal | None:
    return case_signal(
        cases,
        deaths,
        FORECAST_DATE,
        horizon,
        lag_days=LAG,
        ratio_days=RATIO_DAYS,
        growth_power=1.0,
    )


@pytest.mark.parametrize("growth", [-0.03, 0.0, 0.04])
def test_recovers_the_ratio_and_reads_future_deaths_off_reported_cases(growth: float) -> None:
    cases = _cases(growth)
    smoothed = clean_cumulative(cases).smoothed_daily
    signal = _signal(CaseSeries(START, cases), _deaths_following(cases))
    assert signal is not None
    assert signal.ratio == pytest.approx(RATIO, rel=1e-12)
    assert signal.lag_days == LAG and signal.last_case_date == FORECAST_DATE - timedelta(days=1)
    # the next LAG days of deaths follow cases already reported
    np.testing.assert_allclose(signal.daily_deaths[:LAG], RATIO * smoothed[N_DAYS - LAG :])
    # later days extend the cases at their growth of the last week
    tail = signal.daily_deaths[LAG - 1 :]
    np.testing.assert_allclose(np.diff(np.log(tail)), signal.growth, atol=1e-12)
    expected = np.log(smoothed[-1] / smoothed[-8]) / 7
    assert signal.growth == pytest.approx(expected, abs=1e-12)


def test_case_series_is_aligned_by_date_and_never_read_past_the_forecast_date() -> None:
    cases = _cases(0.02, N_DAYS + 30)  # 30 days of "future" reports
    deaths = _deaths_following(cases[:N_DAYS])
    reference = _signal(CaseSeries(START, cases[:N_DAYS]), deaths)
    with_future = _signal(CaseSeries(START, cases), deaths)
    later_start = _signal(CaseSeries(START + timedelta(days=5), cases[5:] - cases[4]), deaths)
    assert reference is not None and with_future is not None and later_start is not None
    np.testing.assert_array_equal(with_future.daily_deaths, reference.daily_deaths)
    np.testing.assert_allclose(later_start.daily_deaths, reference.daily_deaths, rtol=1e-9)


def test_cases_ending_a_few_days_early_are_extended() -> None:
    cases = _cases(0.03)
    deaths = _deaths_following(cases)
    full = _signal(CaseSeries(START, cases), deaths)
    early = _signal(CaseSeries(START, cases[:-3]), deaths)
    assert full is not None and early is not None
    assert early.last_case_date == FORECAST_DATE - timedelta(days=4)
    # the same days' cases: equal but for the smoothing's total-preserving rescale (< 0.1%;
    # a one-day shift would be 3% at this growth)
    assert early.ratio == pytest.approx(full.ratio, rel=1e-3)
    np.testing.assert_allclose(early.daily_deaths[: LAG - 6], full.daily_deaths[: LAG - 6], 1e-3)


def test_a_repeated_total_is_no_report() -> None:
    cases = _cases(0.03)
    repeated = cases.copy()
    repeated[-3:] = repeated[-4]  # no change in the last 3 days: the state did not report
    deaths = _deaths_following(cases)
    signal = _signal(CaseSeries(START, repeated), deaths)
    truncated = _signal(CaseSeries(START, cases[:-3]), deaths)
    assert signal is not None and truncated is not None
    assert signal.last_case_date == FORECAST_DATE - timedelta(days=4)
    np.testing.assert_array_equal(signal.daily_deaths, truncated.daily_deaths)


def test_weekly_reports_are_spread_and_fortnightly_ones_give_no_signal() -> None:
    every_day = _signal(CaseSeries(START, _cases(0.0)), _deaths_following(_cases(0.0)))
    weekly, fortnightly = np.zeros(N_DAYS), np.zeros(N_DAYS)
    weekly[::7] = 7 * 200.0  # a week's cases every 7th day, the last on the day before
    fortnightly[::14] = 14 * 200.0
    deaths = _deaths_following(_cases(0.0))
    spread = _signal(CaseSeries(START - timedelta(days=2), np.cumsum(weekly)), deaths)
    assert every_day is not None and spread is not None
    assert spread.ratio == pytest.approx(every_day.ratio, rel=0.05)
    assert np.all(spread.daily_deaths > 0)
    assert _signal(CaseSeries(START, np.cumsum(fortnightly)), deaths) is None


@pytest.mark.parametrize(
    "cases, deaths",
    [
        (CaseSeries(START, _cases(0.0)[:-8]), _deaths_following(_cases(0.0))),  # stale
        (CaseSeries(START + timedelta(days=50), _cases(0.0)[50:]), np.ones(N_DAYS)),  # short
        (CaseSeries(START, _cases(0.0)), np.zeros(N_DAYS)),  # no recent deaths
        (CaseSeries(START, np.zeros(N_DAYS)), np.ones(N_DAYS)),  # no cases
        (CaseSeries(FORECAST_DATE, _cases(0.0)), np.ones(N_DAYS)),  # only future cases
    ],
)
def test_no_signal_when_the_cases_cannot_inform(cases: CaseSeries, deaths: FloatArray) -> None:
    assert _signal(cases, deaths) is None


# --- forecast with cases: a synthetic region fitted by the 2020 model --------------------

GRID = Grid(
    values={
        "inflection_day": (date(2020, 3, 15), date(2020, 3, 18)),
        "initial_r0": (2.5,),
        "lockdown_r0": (0.7, 0.8, 0.9),
        "reopen_r": (1.0, 1.1),
        "reopen_shift_days": (0.0,),
    },
    fixed=FIXED,
    randomize=False,
)
FIT_DAYS = 150


@pytest.fixture(scope="module")
def fitted() -> FitResult:
    batch = GRID.batch(CONSTANTS, np.array([4]))
    deaths = simulate(batch, CONSTANTS, FIT_DAYS).reported_deaths[:, 0]
    return fit(np.cumsum(deaths), CONSTANTS.first_date, CONSTANTS, GRID, FitSettings(min_keep=3))


def _rising_cases(result: FitResult) -> CaseSeries:
    """Cases flat at the deaths' level x 50, then tripling over the last 3 weeks."""
    level = 50.0 * result.smoothed_daily[-1]
    daily = np.full(FIT_DAYS, level)
    daily[-21:] *= np.exp(np.log(3.0) * np.arange(1, 22) / 21)
    return CaseSeries(CONSTANTS.first_date, np.cumsum(daily))


def test_rising_cases_raise_the_forecast_and_targets_still_agree(fitted: FitResult) -> None:
    deaths_only = forecast(fitted, 42)
    with_cases = forecast(fitted, 42, _rising_cases(fitted))
    assert deaths_only.case_signal is None and with_cases.case_signal is not None
    assert with_cases.case_signal.growth > 0
    assert np.all(with_cases.weekly_deaths[1:, 11] > deaths_only.weekly_deaths[1:, 11])
    for q in (with_cases.daily_deaths, with_cases.weekly_deaths, with_cases.cumulative_deaths):
        assert np.all(np.diff(q, axis=1) >= 0)
    last = fitted.observed_cumulative[-1]
    np.testing.assert_allclose(
        with_cases.cumulative_deaths_mean, last + np.cumsum(with_cases.daily_deaths_mean)
    )
    for week, end in enumerate(with_cases.week_end_dates):
        end_i = (end - with_cases.forecast_date).days
        np.testing.assert_allclose(
            with_cases.weekly_cumulative_deaths[week], with_cases.cumulative_deaths[end_i]
        )


def test_case_weight_zero_is_deaths_only(fitted: FitResult) -> None:
    off = replace(fitted, settings=replace(fitted.settings, case_weight=0.0))
    with_cases = forecast(off, 42, _rising_cases(fitted))
    assert with_cases.case_signal is None
    np.testing.assert_array_equal(with_cases.daily_deaths, forecast(off, 42).daily_deaths)


# --- every US state and territory, real deaths and cases as reported ---------------------

SHARED_CSSE = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "csse"
CASES_FILE = "time_series_covid19_confirmed_US_states_from_daily_reports.csv"


@lru_cache(maxsize=1)
def _reported() -> tuple[dict[str, list[tuple[str, float]]], dict[str, CaseSeries]]:
    """Deaths (stitched daily reports) and cases (wide daily-report file) by FIPS code."""
    deaths: dict[str, list[tuple[str, float]]] = {}
    with gzip.open(SHARED_CSSE / "us_state_deaths_daily_stitched.csv.gz", "rt") as fh:
        for row in csv.DictReader(fh):
            deaths.setdefault(row["location"], []).append((row["date"], float(row["cum_deaths"])))
    cases: dict[str, CaseSeries] = {}
    with (SHARED_CSSE / CASES_FILE).open() as fh:
        reader = csv.reader(fh)
        header = next(reader)
        m, d, y = header[8].split("/")
        start = date(2000 + int(y), int(m), int(d))
        for cells in reader:
            cases[cells[4]] = CaseSeries(start, np.array([float(v) for v in cells[8:]]))
    return deaths, cases


@pytest.mark.parametrize(
    ("day", "min_signals"),
    [(date(2020, 6, 29), 50), (date(2022, 1, 10), 45), (date(2023, 3, 10), 30)],
)
def test_every_state_forecast_with_its_cases_is_finite_and_monotone(
    day: date, min_signals: int
) -> None:
    """Late in the pandemic several states report cases weekly, fortnightly or stop (FL in
    2023): their reports are spread over the interval they close, so a signal, when there is
    one, is at the level the deaths show, never one of "no cases"."""
    deaths, cases = _reported()
    signals = 0
    for fips, rows in sorted(deaths.items()):
        if fips not in FIPS_TO_CODE or fips not in cases:
            continue  # the US total; American Samoa (no region constants)
        kept = sorted((d, v) for d, v in rows if d < day.isoformat())
        cumulative = np.array([v for _, v in kept])
        if cumulative.max() <= 0:
            continue  # American Samoa before 2021
        start = date.fromisoformat(kept[0][0])
        first_death = start + timedelta(days=int(np.flatnonzero(cumulative > 0)[0]))
        constants = region_constants_for(FIPS_TO_CODE[fips], first_death=first_death)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = fit_rt(cumulative, start, constants, FitSettings(horizon_days=62))
            prediction = forecast(result, 62, cases[fips])
        if prediction.case_signal is not None:
            signals += 1
            assert np.all(prediction.case_signal.daily_deaths > 0), fips
            recent = float(result.smoothed_daily[-21:].mean())
            implied = float(prediction.case_signal.daily_deaths[:7].mean())
            if recent >= 5:  # deaths per case over the last 21 days: the same level now
                assert 0.2 < implied / recent < 5, (fips, implied, recent)
        for q in (prediction.daily_deaths, prediction.weekly_deaths, prediction.cumulative_deaths):
            assert np.all(np.isfinite(q)) and np.all(q >= 0), fips
            assert np.all(np.diff(q, axis=1) >= 0), fips
    assert signals >= min_signals
