"""Fixtures of the core tests: a fit of the synthetic region (``synthetic.py``)."""

from __future__ import annotations

import pytest

from app.core.seir import FitResult, FitSettings, fit
from tests.core.seir.synthetic import CONSTANTS, GRID, observed


@pytest.fixture(scope="module")
def fitted() -> FitResult:
    """The 2020 model fitted to TRUTH with noise (seed 1) on GRID."""
    settings = FitSettings(keep_fraction=0.1, min_keep=5, drift_sd=0.02, nb_dispersion=30.0)
    return fit(observed(seed=1), CONSTANTS.first_date, CONSTANTS, GRID, settings)
