"""Renewal core of the post-2020 model: the delay kernel and back-calculation consistency."""

from __future__ import annotations

import numpy as np

from app.core.seir.rt.renewal import INFECTION_TO_REPORT, back_calculate


def test_kernel_is_a_distribution_with_the_documented_mean() -> None:
    assert (
        INFECTION_TO_REPORT.sum() == np.float64(1.0) or abs(INFECTION_TO_REPORT.sum() - 1) < 1e-12
    )
    mean = float(np.arange(INFECTION_TO_REPORT.size) @ INFECTION_TO_REPORT)
    assert 29.0 < mean < 30.0


def test_back_calculation_reproduces_constant_infections() -> None:
    infections = np.full(200, 1000.0)
    deaths = 0.005 * np.convolve(infections, INFECTION_TO_REPORT)[:200]
    back = back_calculate(deaths, 0.005, 30)
    np.testing.assert_allclose(back[70:140], 1000.0, rtol=0.02)
