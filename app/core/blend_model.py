"""``seircast-ensemble.2``: the rt model pooled with the hub baseline (``auto`` from July 2020).

Components: ``seir`` (``fit_rt`` + its forecast paths with the case signal, or any other
``FitResult``) and ``baseline`` (COVIDhub-baseline on the weekly reported deaths,
``app.core.ensemble_model.baseline_paths``).

The forecast is the weighted mixture (linear pool) of the components' daily sample paths, so
every target (daily, weekly, incident, cumulative) comes from the same weighted paths, as in
``seircast-ensemble.1``; infections and R are the SEIR model's. The weights are fixed
(``BlendSettings.seir_weight``), chosen on the development windows 2020-07..2022-06
(docs/MODEL.md): per-region weights from a region's own recent past (``seircast-ensemble.1``)
were too noisy to beat the rt model alone, and weights pooled over all states' scores of the
last 6 weeks (bench/_ensemble.py) did no better than fixed ones. The baseline's share widens
the rt model's too-narrow intervals (95% coverage 0.82 in 2022-H1) and pulls its extrapolated
trends towards flat, where the rt model lost most (turning points).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.ensemble_model import baseline_paths, pooled_forecast
from app.core.seir import CaseSeries, FitResult, Forecast
from app.core.seir.forecast import history_of
from app.core.seir.paths import sample_paths, signal_for
from app.core.types import FloatArray

MODEL_BLEND = "seircast-ensemble.2"
COMPONENTS = ("seir", "baseline")


@dataclass(frozen=True, slots=True)
class BlendSettings:
    """Settings of the pooled forecast (chosen on the development windows, docs/MODEL.md).

    Attributes:
        seir_weight: Share of the SEIR model's paths in the mixture (the baseline has the
            rest).
        baseline_samples: Sample paths drawn from the baseline.
        seed: Seed of the baseline's samples.
    """

    seir_weight: float = 0.8
    baseline_samples: int = 2000
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.seir_weight <= 1.0:
            raise ValueError(f"seir_weight must be in [0, 1], got {self.seir_weight}")
        if self.baseline_samples < 1:
            raise ValueError(f"baseline_samples must be >= 1, got {self.baseline_samples}")

    def weights(self) -> dict[str, float]:
        """Each component's share; the baseline's rounded so that 0.8 gives 0.2, not 0.19999..."""
        return {"seir": self.seir_weight, "baseline": round(1.0 - self.seir_weight, 12)}


def blend_forecast(
    result: FitResult,
    horizon_days: int,
    cases: CaseSeries | None,
    blend: BlendSettings | None = None,
) -> Forecast:
    """The mixture of ``result``'s forecast paths and the baseline's, ``horizon_days`` days.

    Args:
        result: A fit of the SEIR model (``fit`` or ``fit_rt``) whose last day is D - 1.
        horizon_days: Forecast days (at most the fit's ``settings.horizon_days``).
        cases: The region's reported cumulative cases for the case signal, or None.
        blend: Weights and sampling (default ``BlendSettings()``).

    Returns:
        The pooled forecast, labelled ``MODEL_BLEND``.
    """
    blend = blend or BlendSettings()
    signal = signal_for(result, horizon_days, cases)
    shares = blend.weights()
    parts: dict[str, tuple[FloatArray, FloatArray]] = {}
    if shares["seir"] > 0:  # a component without a share is not even sampled
        parts["seir"] = sample_paths(result, horizon_days, signal)
    if shares["baseline"] > 0:
        n = blend.baseline_samples
        history = history_of(result)
        base = baseline_paths(history, result.forecast_date, horizon_days, n, blend.seed)
        parts["baseline"] = (base, np.full(n, 1.0 / n))
    used = signal if shares["seir"] > 0 else None
    return pooled_forecast(MODEL_BLEND, result, parts, shares, horizon_days, used)
