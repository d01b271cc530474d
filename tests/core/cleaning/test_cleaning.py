"""Tests of the cleaning layer: flags, non-negativity, total preservation, real NY data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.core.cleaning import DECREASE, DUMP, ZERO_THEN_CATCHUP, clean_cumulative
from app.core.types import FloatArray

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


def _cum(daily: Sequence[float]) -> FloatArray:
    return np.cumsum(np.asarray(daily, dtype=np.float64))


def test_clean_series_is_unchanged_and_smooth() -> None:
    daily = [0, 0, 5, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]
    out = clean_cumulative(_cum(daily))
    assert out.flags == ()
    np.testing.assert_array_equal(out.raw_daily, daily)
    assert out.smoothed_daily.sum() == pytest.approx(sum(daily))
    np.testing.assert_allclose(out.smoothed_daily[6:], 10.0, rtol=0.01)


def test_raw_daily_starts_with_first_cumulative_value() -> None:
    out = clean_cumulative(np.array([4.0, 6.0, 9.0]))
    np.testing.assert_array_equal(out.raw_daily, [4.0, 2.0, 3.0])


def test_zero_then_catchup_is_spread_and_flagged() -> None:
    daily = [20.0] * 10 + [0.0, 60.0] + [20.0] * 10
    out = clean_cumulative(_cum(daily))
    assert [(f.index, f.kind) for f in out.flags] == [(11, ZERO_THEN_CATCHUP)]
    assert out.smoothed_daily.sum() == pytest.approx(sum(daily))
    assert np.all(np.abs(out.smoothed_daily[3:-3] - np.mean(daily[3:-3])) < 6)


def test_decrease_is_removed_from_earlier_days() -> None:
    daily = [10.0] * 20 + [-50.0] + [10.0] * 10
    out = clean_cumulative(_cum(daily))
    assert [(f.index, f.kind) for f in out.flags] == [(20, DECREASE)]
    assert "fell by 50" in out.flags[0].reason
    assert np.all(out.smoothed_daily >= 0)
    assert out.smoothed_daily.sum() == pytest.approx(sum(daily))


def test_single_day_dump_is_flagged_and_backfilled() -> None:
    daily = [100.0] * 30 + [900.0] + [100.0] * 10
    out = clean_cumulative(_cum(daily))
    assert [(f.index, f.kind) for f in out.flags] == [(30, DUMP)]
    assert out.smoothed_daily.max() < 200
    assert out.smoothed_daily.sum() == pytest.approx(sum(daily))


def test_small_counts_are_not_dumps() -> None:
    daily = [1.0, 0.0, 2.0, 1.0, 0.0, 9.0, 1.0, 0.0, 1.0, 2.0, 1.0, 1.0]
    assert all(f.kind != DUMP for f in clean_cumulative(_cum(daily)).flags)


def test_nan_means_no_report() -> None:
    cum = np.array([np.nan, 1.0, 3.0, np.nan, np.nan, 9.0, 10.0])
    out = clean_cumulative(cum)
    np.testing.assert_array_equal(out.raw_daily, [0.0, 1.0, 2.0, 0.0, 0.0, 6.0, 1.0])
    assert np.all(np.isfinite(out.smoothed_daily))
    assert out.smoothed_daily.sum() == pytest.approx(10.0)


def test_new_york_2020_seam_and_probable_deaths_dump() -> None:
    frame = pd.read_csv(
        DATA / "csse" / "us_state_deaths_daily_stitched.csv.gz", dtype={"location": str}
    )
    ny = frame[(frame.location == "36") & (frame.date < "2020-07-01")].sort_values("date")
    out = clean_cumulative(ny.cum_deaths.to_numpy(np.float64))
    days = ny.date.to_list()
    by_day = {date.fromisoformat(days[f.index]): f for f in out.flags}
    assert by_day[date(2020, 4, 12)].kind == DECREASE
    assert "3,395" in by_day[date(2020, 4, 12)].reason
    assert by_day[date(2020, 4, 16)].kind == DUMP
    assert np.all(out.smoothed_daily >= 0)
    assert out.smoothed_daily.sum() == pytest.approx(ny.cum_deaths.iloc[-1])
    april = out.smoothed_daily[days.index("2020-04-01") : days.index("2020-04-30")]
    assert april.max() < 1500
    assert np.all(np.abs(np.diff(april)) < 250)
