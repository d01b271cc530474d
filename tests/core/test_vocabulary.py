"""The names defined once: quantile levels, forecast targets and hub target names."""

import numpy as np

from app.core.hubtypes import QUANTILES_5, QUANTILES_23, TARGETS, hub_target
from app.core.seir import QUANTILE_LEVELS
from app.core.targets import DAY_TARGETS, HUB_KINDS, WEEK_TARGETS, Target


def test_the_23_hub_levels() -> None:
    assert len(QUANTILES_23) == 23 and tuple(sorted(QUANTILES_23)) == QUANTILES_23
    assert QUANTILES_23[:2] == (0.01, 0.025) and QUANTILES_23[-2:] == (0.975, 0.99)
    middle = np.round(np.arange(0.05, 0.951, 0.05), 3).tolist()
    assert list(QUANTILES_23[2:-2]) == middle
    np.testing.assert_array_equal(QUANTILE_LEVELS, np.array(QUANTILES_23))


def test_the_5_viz_levels_are_hub_levels() -> None:
    assert QUANTILES_5 == (0.025, 0.25, 0.5, 0.75, 0.975)
    assert set(QUANTILES_5) <= set(QUANTILES_23)


def test_target_names() -> None:
    assert [t.value for t in Target] == [
        "inc_day",
        "cum_day",
        "inc_week",
        "cum_week",
        "infections_day",
        "rt_day",
    ]
    assert (Target.INC_DAY, Target.CUM_DAY, *HUB_KINDS) == DAY_TARGETS + WEEK_TARGETS
    assert hub_target(1, "inc") == "1 wk ahead inc death" == TARGETS[0]
    assert TARGETS[-1] == "8 wk ahead cum death" and len(TARGETS) == 16
