"""Ensemble weights from past scores and weighted quantile averaging."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.ensemble import combine_log_quantiles, combine_quantiles, score_weights


def test_better_components_get_more_weight() -> None:
    weights = score_weights(np.array([10.0, 20.0, 40.0]), 100, power=1.0, min_rows=10)
    np.testing.assert_allclose(weights, np.array([4.0, 2.0, 1.0]) / 7.0)


def test_too_few_past_rows_give_equal_weights() -> None:
    weights = score_weights(np.array([10.0, 20.0]), 3, power=2.0, min_rows=10)
    np.testing.assert_array_equal(weights, [0.5, 0.5])


def test_a_component_without_scores_gets_the_mean_weight() -> None:
    weights = score_weights(np.array([10.0, np.nan, 10.0]), 50, power=1.0, min_rows=10)
    np.testing.assert_allclose(weights, [1 / 3, 1 / 3, 1 / 3])


def test_a_perfect_component_does_not_divide_by_zero() -> None:
    weights = score_weights(np.array([0.0, 5.0]), 50, power=2.0, min_rows=10)
    assert np.all(np.isfinite(weights)) and weights[0] > 0.99


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="power"):
        score_weights(np.array([1.0]), 50, power=-1.0, min_rows=1)
    with pytest.raises(ValueError, match="weights"):
        combine_quantiles(np.ones((2, 1, 3)), np.array([0.7, 0.7]))


def test_quantile_average_is_weighted_and_monotone() -> None:
    a = np.array([[[0.0, 10.0, 20.0]]])
    b = np.array([[[10.0, 10.5, 11.0]]])
    combined = combine_quantiles(np.concatenate([a, b]), np.array([0.25, 0.75]))
    np.testing.assert_allclose(combined, [[7.5, 10.375, 13.25]])
    assert np.all(np.diff(combined, axis=-1) >= 0)


def test_log_quantile_average_is_the_weighted_geometric_mean_of_counts() -> None:
    a = np.array([[[0.0, 9.0, 99.0]]])
    b = np.array([[[0.0, 99.0, 999.0]]])
    w = np.array([0.5, 0.5])
    combined = combine_log_quantiles(np.concatenate([a, b]), w)
    # exp(mean(log(q + 1))) - 1: sqrt(10 x 100) - 1, sqrt(100 x 1000) - 1
    np.testing.assert_allclose(combined, [[0.0, np.sqrt(1000.0) - 1, np.sqrt(1e5) - 1]])
    assert np.all(combined <= combine_quantiles(np.concatenate([a, b]), w) + 1e-9)
    same = combine_log_quantiles(np.concatenate([b, b]), np.array([0.3, 0.7]))
    np.testing.assert_allclose(same, b[0])
    negative = combine_log_quantiles(np.array([[[-5.0, 3.0]], [[-1.0, 3.0]]]), w)
    np.testing.assert_allclose(negative, [[0.0, 3.0]])


def test_log_quantile_average_refuses_bad_weights() -> None:
    with pytest.raises(ValueError, match="weights"):
        combine_log_quantiles(np.ones((2, 1, 3)), np.array([0.9, 0.9]))
