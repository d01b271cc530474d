"""Cleaning for every reporting cadence: daily, weekly, twice weekly, fortnightly, stopped.

Synthetic series with a known level, then the real as-reported series of FL, NY, TX, CA and
the US in 2022-23, when many states reported weekly or irregularly.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.core.cleaning import DUMP, NO_REPORT, ZERO_THEN_CATCHUP, Flag, clean_cumulative
from app.core.types import FloatArray

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
LEVEL = 30.0  # deaths/day


DAILY_DAYS = 28  # every series starts with four weeks of daily reports


def _reports(n_days: int, every: int, last_report: int | None = None) -> FloatArray:
    """Cumulative deaths at LEVEL/day: reported daily for four weeks, then every ``every``
    days (the total repeated in between), with a report on day ``last_report``."""
    last_report = n_days - 1 if last_report is None else last_report
    truth = np.cumsum(np.full(n_days, LEVEL))
    cum = np.empty(n_days)
    last = 0.0
    for i in range(n_days):
        if i < DAILY_DAYS or (last_report - i) % every == 0:
            last = truth[i]
        cum[i] = last
    return cum


def _after_switch(flags: tuple[Flag, ...], kinds: tuple[str, ...]) -> list[Flag]:
    """Flags of these kinds once the new cadence is known (56 days after the switch)."""
    return [f for f in flags if f.kind in kinds and f.index >= DAILY_DAYS + 56]


@pytest.mark.parametrize("every", [1, 3, 7, 14])
def test_each_cadence_keeps_the_level_and_flags_nothing(every: int) -> None:
    cum = _reports(168, every)
    out = clean_cumulative(cum)
    assert [f for f in out.flags if f.kind == DUMP] == []
    assert _after_switch(out.flags, (ZERO_THEN_CATCHUP,)) == []
    assert out.pending == 0
    np.testing.assert_allclose(out.smoothed_daily[7:-3], LEVEL, rtol=0.02)
    np.testing.assert_allclose(out.reported_daily, LEVEL, rtol=1e-12)


def test_twice_weekly_reports_keep_the_level() -> None:
    week = [0, 0, 0, 4 * LEVEL, 0, 0, 3 * LEVEL]  # Wednesday and Saturday
    pattern = np.concatenate([np.full(DAILY_DAYS, LEVEL), np.tile(week, 20)])
    out = clean_cumulative(np.cumsum(pattern))
    assert [f for f in out.flags if f.kind == DUMP] == []
    assert _after_switch(out.flags, (ZERO_THEN_CATCHUP,)) == []
    np.testing.assert_allclose(out.smoothed_daily[7:-3], LEVEL, rtol=0.05)


@pytest.mark.parametrize("tail", [1, 3, 6, 12])
def test_an_unreported_tail_is_no_report_not_zero_deaths(tail: int) -> None:
    cum = _reports(140 + tail, 7, last_report=139)  # weekly reports, the last on day 139
    cum[140:] = cum[139]
    out = clean_cumulative(cum)
    assert out.pending == pytest.approx(LEVEL * tail, rel=0.05)
    np.testing.assert_allclose(out.smoothed_daily[-7:], LEVEL, rtol=0.05)
    kinds = (NO_REPORT, DUMP, ZERO_THEN_CATCHUP)
    assert [(f.index, f.kind) for f in _after_switch(out.flags, kinds)] == [(140, NO_REPORT)]
    assert out.reported_daily.sum() == pytest.approx(cum[-1] + out.pending)


def test_a_stopped_region_is_not_nowcast_forever() -> None:
    cum = _reports(100, 1)
    cum = np.concatenate([cum, np.full(40, cum[-1])])  # no report for 40 days
    out = clean_cumulative(cum)
    assert out.pending == 0
    assert out.smoothed_daily[-7:].max() < 1.0


def test_a_missed_week_in_a_weekly_cadence_is_flagged_once() -> None:
    cum = _reports(168, 7)  # reports on days 27, 34, ..., 153, 160, 167
    cum[125:132] = cum[124]  # the report of day 125 is missing: day 132 closes 14 days
    out = clean_cumulative(cum)
    kinds = (NO_REPORT, DUMP, ZERO_THEN_CATCHUP)
    assert [(f.index, f.kind) for f in _after_switch(out.flags, kinds)] == [
        (132, ZERO_THEN_CATCHUP)
    ]


def test_a_real_dump_in_a_weekly_cadence_is_still_a_dump() -> None:
    week = [0.0, 0, 0, 0, 0, 0, 7 * LEVEL]
    daily = np.concatenate([np.full(DAILY_DAYS, LEVEL), np.tile(week, 20)])
    daily[118] += 60 * LEVEL  # a backlog of two months on one weekly report
    out = clean_cumulative(np.cumsum(daily))
    assert [(f.index, f.kind) for f in out.flags if f.kind == DUMP] == [(118, DUMP)]


@lru_cache(maxsize=1)
def _stitched() -> pd.DataFrame:
    path = DATA / "csse" / "us_state_deaths_daily_stitched.csv.gz"
    return pd.read_csv(path, dtype={"location": str})


@pytest.mark.parametrize("location", ["12", "36", "48", "06", "US"])  # FL, NY, TX, CA, US
def test_real_2022_23_series_keep_their_reported_weekly_level(location: str) -> None:
    """Weekly sums of the smoothed series follow the reported ones, dumps are rare, and the
    last weeks are at the reported level (FL reported every other week by 2023, TX one big
    day a week, CA weekly, NY daily with gaps, the US summed from all of them)."""
    frame = _stitched()
    rows = frame[frame.location == location].sort_values("date")
    dates = pd.to_datetime(rows.date.to_numpy())
    out = clean_cumulative(rows.cum_deaths.to_numpy(np.float64))
    index = pd.DatetimeIndex(dates)
    recent = index >= pd.Timestamp("2022-01-02")
    smoothed = pd.Series(out.smoothed_daily[recent], index=index[recent]).resample("W-SAT").sum()
    reported = pd.Series(out.raw_daily[recent], index=index[recent]).resample("W-SAT").sum()
    assert smoothed.sum() == pytest.approx(reported.sum() + out.pending, rel=0.02)
    # Eight-week sums away from corrections and dumps (those move deaths to earlier weeks).
    moved = {dates[f.index] for f in out.flags if f.kind in ("decrease", DUMP)}
    for end in range(8, len(smoothed) - 1):
        weeks = smoothed.index[end - 8 : end]
        if any(
            weeks[0] - pd.Timedelta(days=35) <= d <= weeks[-1] + pd.Timedelta(days=35)
            for d in moved
        ):
            continue
        ratio = smoothed[weeks].sum() / max(reported[weeks].sum(), 1.0)
        assert 0.85 < ratio < 1.15, (location, weeks[-1], ratio)
    dumps = [
        f for f in out.flags if f.kind == DUMP and dates[f.index] >= pd.Timestamp("2022-01-01")
    ]
    assert len(dumps) <= 8, dumps
    last_month = out.raw_daily[-28:].sum() + out.pending
    assert out.smoothed_daily[-28:].sum() == pytest.approx(last_month, rel=0.35)
