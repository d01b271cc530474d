"""Weights and interval factors learned from past forecasts (``app.core.online_ensemble``)."""

import numpy as np
import pytest

from app.core.online_ensemble import (
    OnlineSettings,
    PastForecasts,
    interval_factors,
    learn_weights,
    plan,
    stacking_weights,
)
from app.core.scoring import interval_coverage
from app.core.seir import QUANTILE_LEVELS

LEVELS = QUANTILE_LEVELS
PRIOR = {"good": 0.2, "bad": 0.8}


def _normal_quantiles(center: np.ndarray, sd: float) -> np.ndarray:
    from scipy.stats import norm

    values: np.ndarray = center[:, None] + sd * norm.ppf(LEVELS)[None, :]
    return values


def _past(n: int, good_sd: float = 10.0, seed: int = 1) -> PastForecasts:
    """``good`` is centred on the truth's mean with its spread; ``bad`` is 60 too high."""
    rng = np.random.default_rng(seed)
    truth = 100.0 + rng.normal(0.0, 10.0, n)
    center = np.full(n, 100.0)
    quantiles = np.stack([_normal_quantiles(center, good_sd), _normal_quantiles(center + 60, 10)])
    horizon = np.tile(np.arange(1, 5), n // 4 + 1)[:n]
    return PastForecasts(("good", "bad"), LEVELS, horizon, truth, quantiles)


def test_shapes_are_checked() -> None:
    past = _past(8)
    with pytest.raises(ValueError, match="need horizon and truth"):
        PastForecasts(("good",), LEVELS, past.horizon, past.truth, past.quantiles)
    with pytest.raises(ValueError, match="horizons must be >= 1"):
        PastForecasts(past.components, LEVELS, past.horizon - 1, past.truth, past.quantiles)
    with pytest.raises(ValueError, match="prior weights"):
        OnlineSettings(prior={"good": 0.5, "bad": 0.6})


def test_few_rows_give_the_prior() -> None:
    settings = OnlineSettings(prior=PRIOR, min_rows=50)
    assert learn_weights(_past(40), settings) == PRIOR
    empty = PastForecasts.empty(("good", "bad"), LEVELS)
    chosen = plan(empty, settings, 3)
    assert chosen.weights == PRIOR and chosen.rows == 0
    np.testing.assert_array_equal(chosen.factors, np.ones((3, 11)))


def test_the_better_component_gains_weight_as_rows_accumulate() -> None:
    settings = OnlineSettings(prior=PRIOR, min_rows=50, shrink_rows=400)
    some, many = learn_weights(_past(100), settings), learn_weights(_past(4000), settings)
    assert PRIOR["good"] < some["good"] < many["good"] and many["good"] > 0.85
    assert sum(many.values()) == pytest.approx(1.0)
    # no shrinkage: the learned weights alone
    sharp = learn_weights(_past(100), OnlineSettings(prior=PRIOR, shrink_rows=0))
    assert sharp["good"] > many["good"]


def test_too_narrow_past_intervals_are_widened_per_horizon() -> None:
    past = _past(800, good_sd=4.0)  # the truth's sd is 10: the intervals miss often
    only_good = {"good": 1.0, "bad": 0.0}
    factors = interval_factors(past, only_good, 4, min_rows=100)
    assert factors.shape == (4, 11) and np.all(np.median(factors, axis=1) > 1.8)  # sd 10 vs 4
    combined = past.quantiles[0]
    from app.core.calibration import apply_widening

    widened = apply_widening(LEVELS, combined, factors[0])
    before = interval_coverage(past.truth, LEVELS, combined, 0.95).mean()
    after = interval_coverage(past.truth, LEVELS, widened, 0.95).mean()
    assert before < 0.7 and 0.9 <= after <= 1.0


def test_a_horizon_with_too_few_rows_takes_the_previous_ones_factors() -> None:
    past = _past(800, good_sd=4.0)
    keep = past.horizon <= 2
    short = PastForecasts(
        past.components, LEVELS, past.horizon[keep], past.truth[keep], past.quantiles[:, keep]
    )
    factors = interval_factors(short, {"good": 1.0, "bad": 0.0}, 4, min_rows=100)
    np.testing.assert_array_equal(factors[2], factors[1])
    np.testing.assert_array_equal(factors[3], factors[1])
    assert not np.allclose(factors[1], 1.0)


def test_no_calibration_gives_factors_of_one() -> None:
    chosen = plan(_past(800, 4.0), OnlineSettings(prior=PRIOR, calibrate=False), 2)
    np.testing.assert_array_equal(chosen.factors, np.ones((2, 11)))
    assert chosen.rows == 800 and chosen.weights["good"] > PRIOR["good"]


def test_each_row_counts_relative_to_its_level() -> None:
    """A country's rows do not outweigh its states': ``big`` is right on 100 rows of 10,000
    deaths and 50% off on 900 rows of 20; ``small`` is 10% off on the large rows and right on
    the small ones. In deaths ``big`` errs less; relative to each row's level ``small`` does."""
    level = np.r_[np.full(100, 10_000.0), np.full(900, 20.0)]
    big = _normal_quantiles(np.r_[level[:100], level[100:] * 1.5], 1.0)
    small = _normal_quantiles(np.r_[level[:100] * 1.1, level[100:]], 1.0)
    past = PastForecasts(
        ("big", "small"), LEVELS, np.ones(1000, np.int64), level, np.stack([big, small])
    )
    weights = stacking_weights(past)
    assert weights[1] > 0.9 and weights.sum() == pytest.approx(1.0)


def test_stacking_learns_the_weights_of_the_geometric_combination() -> None:
    """The truth is drawn from the weighted geometric average (0.3, 0.7) of two components'
    quantile functions (N(100, 10) and N(300, 30)): stacking finds 0.3 (the arithmetic
    average matching the same median would need 0.42)."""
    from scipy.stats import norm

    rng = np.random.default_rng(5)
    n = 4000
    u = rng.uniform(0.005, 0.995, n)
    low, high = 100.0 + 10.0 * norm.ppf(u), 300.0 + 30.0 * norm.ppf(u)
    truth = np.exp(0.3 * np.log(low + 1.0) + 0.7 * np.log(high + 1.0)) - 1.0
    quantiles = np.stack(
        [_normal_quantiles(np.full(n, 100.0), 10.0), _normal_quantiles(np.full(n, 300.0), 30.0)]
    )
    past = PastForecasts(("low", "high"), LEVELS, np.ones(n, np.int64), truth, quantiles)
    weights = stacking_weights(past)
    assert weights[0] == pytest.approx(0.3, abs=0.03)
