import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.calibration import (
    CALIBRATION_VERSION,
    apply_widening,
    nonconformity,
    widening_factors,
    widening_factors_by_horizon,
)
from app.core.hubtypes import QUANTILES_5
from app.core.scoring import interval_coverage

LEVELS_5 = np.array(QUANTILES_5)
ROW = np.array([0.0, 5.0, 10.0, 15.0, 20.0])  # median 10; 50% [5, 15]; 95% [0, 20]


def test_version_is_named() -> None:
    assert CALIBRATION_VERSION.startswith("conformal-widening-")


def test_nonconformity_is_the_distance_from_the_median_in_half_widths() -> None:
    y = np.array([20.0, 7.0, 10.0, 40.0])
    got = nonconformity(y, LEVELS_5, np.tile(ROW, (4, 1)))
    # columns: 95% interval (half-width 10), 50% interval (half-width 5)
    # y=20: 10/10 = 1, 10/5 = 2; y=7: 3/10 = 0.3, 3/5 = 0.6; y=10: 0, 0; y=40: 3, 6
    expected = np.array([[1.0, 2.0], [0.3, 0.6], [0.0, 0.0], [3.0, 6.0]])
    assert np.allclose(got, expected)


def test_zero_width_interval_scores_inf_unless_hit() -> None:
    point = np.full((2, 5), 10.0)
    got = nonconformity(np.array([10.0, 11.0]), LEVELS_5, point)
    assert got[0].tolist() == [0.0, 0.0] and np.isinf(got[1]).all()


def test_widening_factor_is_conformal_rank() -> None:
    # 50% interval half-width 5 around 10; truths give scores 0.5, 1, 1.5, 2, 3 (n = 5).
    # rank ceil((5 + 1) * 0.5) = 3 -> third smallest = 1.5.
    # 95% interval: rank ceil(6 * 0.95) = 6 > 5 -> too few forecasts -> max_factor.
    y = 10.0 + 5.0 * np.array([2.0, 0.5, 3.0, 1.0, 1.5])
    values = np.tile(ROW, (5, 1))
    got = widening_factors(y, LEVELS_5, values, min_factor=0.0, max_factor=4.0)
    assert got.tolist() == pytest.approx([4.0, 1.5])
    assert widening_factors(y[:0], LEVELS_5, values[:0]).tolist() == [1.0, 1.0]


def test_widen_only_by_default() -> None:
    y = np.full(30, 10.0)  # every truth at the median: scores 0
    got = widening_factors(y, LEVELS_5, np.tile(ROW, (30, 1)))
    assert got.tolist() == [1.0, 1.0]
    narrowed = widening_factors(y, LEVELS_5, np.tile(ROW, (30, 1)), min_factor=0.0)
    assert narrowed.tolist() == [0.0, 0.0]


def test_widening_scales_intervals_about_the_median_and_keeps_them_nested() -> None:
    # factor 2: 95% [0, 20] -> [10 - 20, 10 + 20] = [-10 -> floor 0, 30]; 50% -> [0, 20]
    assert apply_widening(LEVELS_5, ROW, 2.0).tolist() == [0.0, 0.0, 10.0, 20.0, 30.0]
    assert apply_widening(LEVELS_5, ROW, 1.0).tolist() == ROW.tolist()
    # 50% interval widened by 3 ([-5, 25]) passes the 95% one ([0, 20]): the 95% interval
    # is pushed out to [-5, 25] too, the 50% one keeps its widening
    got = apply_widening(LEVELS_5, ROW, np.array([1.0, 3.0]), floor=-math.inf)
    assert got.tolist() == [-5.0, -5.0, 10.0, 25.0, 25.0]
    assert ROW.tolist() == [0.0, 5.0, 10.0, 15.0, 20.0]  # input untouched
    with pytest.raises(ValueError, match=">= 0"):
        apply_widening(LEVELS_5, ROW, -1.0)


def test_widening_factors_are_computed_per_horizon() -> None:
    horizon = np.array([1, 1, 1, 2, 2, 2], dtype=np.int64)
    y = np.array([10.0, 12.0, 8.0, 30.0, 40.0, 25.0])
    values = np.tile(ROW, (6, 1))
    got = widening_factors_by_horizon(horizon, y, LEVELS_5, values, 3, max_factor=50.0)
    assert got.shape == (3, 2)
    # horizon 1, 50%: scores sorted 0, 0.4, 0.4; rank ceil(4*0.5) = 2 -> 0.4 -> clipped to 1
    # horizon 2, 50%: scores 3, 4, 6 sorted; rank 2 -> 4
    assert got[:, 1].tolist() == pytest.approx([1.0, 4.0, 1.0])
    assert got[2].tolist() == [1.0, 1.0]  # no forecasts at horizon 3


@pytest.mark.parametrize(
    ("levels", "words"),
    [([0.25, 0.75], "odd-sized"), ([0.1, 0.5, 0.8], "symmetric"), ([0.25, 0.5, 0.75, 0.9], "odd")],
)
def test_even_sized_or_asymmetric_levels_are_refused(levels: list[float], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        apply_widening(np.array(levels), np.zeros(len(levels)), 1.0)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(min_value=-500, max_value=500), min_size=1, max_size=60),
    st.floats(min_value=1.0, max_value=50.0),
)
def test_property_calibrated_coverage_on_past_forecasts(errors: list[float], scale: float) -> None:
    # After widening, the 50% interval covers at least 50% of the forecasts it was fit on
    # (the split-conformal rank guarantees ceil((n+1)/2)/n >= 0.5), and quantiles stay sorted.
    n = len(errors)
    values = 100.0 + scale * np.tile(np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), (n, 1))
    y = 100.0 + np.array(errors)
    factors = widening_factors(y, LEVELS_5, values, min_factor=0.0, max_factor=1e6)
    widened = apply_widening(LEVELS_5, values, factors, floor=-math.inf)
    assert np.all(np.diff(widened, axis=1) >= 0)
    assert interval_coverage(y, LEVELS_5, widened, 0.5).mean() >= 0.5
    # the 95% guarantee needs n >= 19 (rank ceil(0.95 (n + 1)) <= n), else max_factor
    assert interval_coverage(y, LEVELS_5, widened, 0.95).mean() >= 0.95


def test_too_few_past_forecasts_leave_the_intervals_alone() -> None:
    y = np.array([40.0] * 30)  # every past forecast missed far above: factors would be > 1
    values = np.tile(ROW, (30, 1))
    assert np.all(widening_factors(y, LEVELS_5, values, min_rows=10) > 1)
    np.testing.assert_array_equal(widening_factors(y, LEVELS_5, values, min_rows=31), 1.0)
    by_h = widening_factors_by_horizon(
        np.array([1] * 20 + [2] * 10), y, LEVELS_5, values, 2, min_rows=15
    )
    assert np.all(by_h[0] > 1) and np.all(by_h[1] == 1.0)
