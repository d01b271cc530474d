import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.hubformat import QUANTILES_23
from app.core.hubtypes import QUANTILES_5
from app.core.scoring import (
    METRIC,
    METRICS,
    PRIMARY,
    Aggregate,
    Better,
    absolute_error,
    common_levels,
    interval_coverage,
    on_levels,
    relative_wis,
    score_forecasts,
    summarize,
    weighted_interval_score,
    wis_components,
)
from app.core.types import FloatArray
from app.db.eval_models import Score

LEVELS_5 = np.array(QUANTILES_5)
LEVELS_23 = np.array(QUANTILES_23)
VALUES_5 = np.array([[0.0, 5.0, 10.0, 15.0, 20.0]])


def _wis1(y: float, levels: FloatArray, row: FloatArray) -> float:
    return float(weighted_interval_score(np.array([y]), levels, row.reshape(1, -1))[0])


def test_wis_of_truth_inside_the_intervals_matches_the_hand_sum() -> None:
    # K = 2 intervals, weight 1/(K + 1/2) = 1/2.5; y = 12, median 10.
    # median term 0.5*|12-10| = 1
    # alpha=0.05 [0, 20]: IS = 20, alpha/2*IS = 0.025*20 = 0.5
    # alpha=0.5 [5, 15]: IS = 10, alpha/2*IS = 0.25*10 = 2.5
    # WIS = (1 + 0.5 + 2.5)/2.5 = 1.6; dispersion (0.5+2.5)/2.5 = 1.2; under 1/2.5 = 0.4
    parts = wis_components(np.array([12.0]), LEVELS_5, VALUES_5)
    assert parts.total[0] == pytest.approx(1.6)
    assert parts.dispersion[0] == pytest.approx(1.2)
    assert parts.underprediction[0] == pytest.approx(0.4)
    assert parts.overprediction[0] == 0.0


def test_wis_of_truth_above_every_quantile_is_mostly_underprediction() -> None:
    # y = 30: median term 0.5*20 = 10
    # alpha=0.05: IS = 20 + (2/0.05)*(30-20) = 420, *0.025 = 10.5
    # alpha=0.5:  IS = 10 + (2/0.5)*(30-15) = 70, *0.25 = 17.5
    # WIS = (10 + 10.5 + 17.5)/2.5 = 15.2; under = (10 + 10 + 15)/2.5 = 14
    parts = wis_components(np.array([30.0]), LEVELS_5, VALUES_5)
    assert parts.total[0] == pytest.approx(15.2)
    assert parts.underprediction[0] == pytest.approx(14.0)
    assert parts.dispersion[0] == pytest.approx(1.2)


def test_wis_of_truth_below_the_50_interval_is_overprediction() -> None:
    # y = 2: median term 0.5*8 = 4; alpha=0.05: inside, 0.5
    # alpha=0.5: IS = 10 + 4*(5-2) = 22, *0.25 = 5.5; WIS = (4 + 0.5 + 5.5)/2.5 = 4
    # over = (4 + 3)/2.5 = 2.8
    parts = wis_components(np.array([2.0]), LEVELS_5, VALUES_5)
    assert parts.total[0] == pytest.approx(4.0)
    assert parts.overprediction[0] == pytest.approx(2.8)


def test_wis_of_23_uniform_quantiles_matches_the_hand_sum() -> None:
    # q(tau) = 100*tau (Uniform(0, 100)); K = 11, weight 1/11.5.
    # y = 50: median term 0; interval tau: alpha/2*IS = tau*100*(1-2 tau):
    # .98 + 2.375 + 4.5 + 8 + 10.5 + 12 + 12.5 + 12 + 10.5 + 8 + 4.5 = 85.855 -> 85.855/11.5
    values = 100.0 * LEVELS_23
    assert _wis1(50.0, LEVELS_23, values) == pytest.approx(85.855 / 11.5)
    # y = 100: median 0.5*50 = 25; interval tau: 100 tau(1-2tau) + (100 - 100(1-tau)) * 1
    # = 200 tau (1 - tau): 2*(.99 + 2.4375 + 4.75 + 9 + 12.75 + 16 + 18.75 + 21 + 22.75 + 24
    # + 24.75) = 314.355 -> (25 + 314.355)/11.5 = 29.50913...
    assert _wis1(100.0, LEVELS_23, values) == pytest.approx(339.355 / 11.5)


def test_median_only_is_absolute_error() -> None:
    # K = 0: WIS = 1/0.5 * 0.5*|y - m| = |y - m|
    assert _wis1(7.0, np.array([0.5]), np.array([3.0])) == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("levels", "shape", "message"),
    [
        ([0.1, 0.5, 0.8], (1, 3), "symmetric"),
        ([0.25, 0.75], (1, 2), "median"),
        ([0.5, 0.25, 0.75], (1, 3), "increasing"),
        ([0.25, 0.5, 0.75], (2, 3), "shape mismatch"),
        ([0.0, 0.5, 1.0], (1, 3), "inside"),
    ],
)
def test_bad_levels_or_shapes_are_refused(
    levels: list[float], shape: tuple[int, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        weighted_interval_score(np.array([1.0]), np.array(levels), np.zeros(shape))


def test_nan_rejected() -> None:
    with pytest.raises(ValueError, match="finite"):
        weighted_interval_score(np.array([np.nan]), LEVELS_5, VALUES_5)


def _pinball_wis(y: float, levels: FloatArray, row: FloatArray) -> float:
    # Independent formula: WIS = 2/(2K+1) * sum_tau pinball_tau(y - q_tau)
    loss = sum(
        (y - q) * (tau - float(y < q)) for tau, q in zip(levels.tolist(), row.tolist(), strict=True)
    )
    return 2.0 * float(loss) / levels.size


values_23 = st.lists(
    st.floats(min_value=0, max_value=1e5, allow_nan=False), min_size=23, max_size=23
).map(sorted)
truths = st.floats(min_value=0, max_value=2e5, allow_nan=False)


@given(values_23, truths)
def test_property_matches_pinball_and_non_negative(row: list[float], y: float) -> None:
    arr = np.array(row)
    wis = _wis1(y, LEVELS_23, arr)
    assert wis >= 0.0
    assert wis == pytest.approx(_pinball_wis(y, LEVELS_23, arr), rel=1e-9, abs=1e-6)
    parts = wis_components(np.array([y]), LEVELS_23, arr.reshape(1, -1))
    assert min(parts.dispersion[0], parts.underprediction[0], parts.overprediction[0]) >= 0.0


@given(truths)
def test_property_zero_when_all_quantiles_equal_truth(y: float) -> None:
    assert _wis1(y, LEVELS_23, np.full(23, y)) == pytest.approx(0.0, abs=1e-9)


@given(truths, st.floats(min_value=0, max_value=1e4), st.floats(min_value=0, max_value=1e4))
def test_property_point_forecast_monotone_in_distance(c: float, d1: float, d2: float) -> None:
    # For a point mass at c every quantile is c and WIS = |y - c| exactly.
    near, far = sorted((d1, d2))
    w_near = _wis1(c + near, LEVELS_5, np.full(5, c))
    w_far = _wis1(c + far, LEVELS_5, np.full(5, c))
    assert w_near <= w_far + 1e-9
    assert w_far == pytest.approx(far, rel=1e-9, abs=1e-9)


@given(truths, truths)
def test_property_single_median_equals_absolute_error(y: float, m: float) -> None:
    wis = _wis1(y, np.array([0.5]), np.array([m]))
    ae = absolute_error(np.array([y]), np.array([m]))[0]
    assert wis == pytest.approx(ae, rel=1e-12, abs=1e-9)


def test_interval_coverage_counts_the_ends_and_needs_a_central_level() -> None:
    y = np.array([0.0, 4.0, 5.0, 15.0, 16.0, 21.0])
    values = np.repeat(VALUES_5, 6, axis=0)
    # 50% interval [5, 15], 95% interval [0, 20]; ends count as covered
    assert interval_coverage(y, LEVELS_5, values, 0.5).tolist() == [0, 0, 1, 1, 0, 0]
    assert interval_coverage(y, LEVELS_5, values, 0.95).tolist() == [1, 1, 1, 1, 1, 0]
    with pytest.raises(ValueError, match=r"0\.05"):
        interval_coverage(y, LEVELS_5, values, 0.9)
    with pytest.raises(ValueError, match="central"):
        interval_coverage(y, LEVELS_5, values, 1.0)


def test_absolute_error_is_elementwise_and_checks_shapes() -> None:
    assert absolute_error(np.array([1.0, 5.0]), np.array([3.0, 2.0])).tolist() == [2.0, 3.0]
    with pytest.raises(ValueError, match="shape"):
        absolute_error(np.array([1.0]), np.array([1.0, 2.0]))


def test_relative_wis_is_the_ratio_of_means() -> None:
    # mean(2, 4) / mean(1, 3) = 3 / 2
    assert relative_wis(np.array([2.0, 4.0]), np.array([1.0, 3.0])) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="undefined"):
        relative_wis(np.array([1.0]), np.array([0.0]))
    with pytest.raises(ValueError, match="1-d"):
        relative_wis(np.array([1.0]), np.array([1.0, 2.0]))


def test_registry_scores_each_forecast_on_its_levels() -> None:
    # The three known answers above: WIS 1.6, 15.2, 4; medians 10 against 12, 30, 2.
    y = np.array([12.0, 30.0, 2.0])
    scores = score_forecasts(y, LEVELS_5, np.repeat(VALUES_5, 3, axis=0))
    assert set(scores) == {m.name for m in METRICS}
    assert scores["wis"] == pytest.approx([1.6, 15.2, 4.0])
    assert scores["relative_wis"] == pytest.approx([1.6, 15.2, 4.0])  # divided when aggregated
    assert scores["mae"] == pytest.approx([2.0, 20.0, 8.0])
    assert np.asarray(scores["coverage_50"]).tolist() == [True, False, False]
    assert np.asarray(scores["coverage_95"]).tolist() == [True, False, True]
    summary = summarize(scores, None)
    assert summary["wis"] == pytest.approx(20.8 / 3) and summary["mae"] == pytest.approx(10.0)
    assert summary["coverage_50"] == pytest.approx(1 / 3)
    assert summary["coverage_95"] == pytest.approx(2 / 3)
    assert summary["relative_wis"] is None  # no baseline to divide by


def test_registry_ratio_to_the_baseline() -> None:
    y = np.array([12.0, 30.0])
    model = score_forecasts(y, LEVELS_5, np.repeat(VALUES_5, 2, axis=0))
    point = score_forecasts(y, LEVELS_5, np.full((2, 5), 10.0))  # WIS |y - 10|: 2 and 20
    assert summarize(model, point)["relative_wis"] == pytest.approx((1.6 + 15.2) / 22.0)
    assert summarize(model, model)["relative_wis"] == 1.0
    exact = score_forecasts(y, LEVELS_5, np.repeat(y[:, None], 5, axis=1))
    assert summarize(model, exact)["relative_wis"] is None  # baseline WIS 0: undefined


def test_registry_metric_missing_its_levels_is_none() -> None:
    levels = np.array([0.025, 0.5, 0.975])
    scores = score_forecasts(np.array([5.0]), levels, np.array([[0.0, 10.0, 20.0]]))
    assert scores["coverage_50"] is None and np.asarray(scores["coverage_95"]).tolist() == [True]
    summary = summarize(scores, scores)
    assert summary["coverage_50"] is None and summary["relative_wis"] == 1.0
    assert [m.name for m in METRICS if m.optional] == ["relative_wis", "coverage_50", "coverage_95"]


def test_registry_declarations() -> None:
    names = [m.name for m in METRICS]
    assert len(set(names)) == len(names) and all(len(n) <= 16 for n in names)  # alert.metric
    assert METRIC[PRIMARY].better is Better.LOWER and METRIC[PRIMARY].aggregate is Aggregate.MEAN
    columns = {m.column for m in METRICS if m.column is not None}
    assert columns == {"wis", "abs_error", "cov50", "cov95"} <= set(Score.__table__.columns.keys())


def test_common_levels_and_values_on_them() -> None:
    sets = [list(QUANTILES_23), [0.025, 0.25, 0.5, 0.75, 0.975], [0.025, 0.5, 0.975]]
    assert common_levels(sets) == [0.025, 0.5, 0.975]
    assert common_levels([[0.1 + 0.2, 0.5, 0.7]]) == [0.3, 0.5, 0.7]  # rounded to 1e-9
    assert common_levels([]) == []
    values = on_levels([(QUANTILES_23, [100 * q for q in QUANTILES_23])], [0.025, 0.5, 0.975])
    assert values.shape == (1, 3) and values[0].tolist() == pytest.approx([2.5, 50.0, 97.5])
    assert on_levels([], []).shape == (0, 0)
