"""Settings of the fit and of the forecast corrections and spread (``FitSettings``)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CHUNK = 16384
"""Parameter sets simulated at once by default (``FitSettings.chunk_size``)."""


@dataclass(frozen=True, slots=True)
class FitSettings:
    """Every choice of the fit and of the forecast spread, with documented defaults.

    Attributes:
        smoothing_window: Days of the smoothing mean (7).
        fit_window_days: Fit only the last this many days (None: from the first death).
        recency_decay: Per-day decay of the loss weight going back in time (0.93).
        min_recency_weight: Floor of the loss weight (0: none; the original's
            MIN_ALPHA_RATIO is 0.1, which let the first-wave peak dominate the loss).
        keep_fraction: Fraction of sets kept per candidate inflection day (0.075).
        min_keep: Minimum sets kept per candidate inflection day (20).
        weight_power: Weights are loss^-weight_power (1.5, MODEL_WEIGHT_ERROR_POWER).
        horizon_days: Days simulated past the last observation for forecasting (70).
        death_edge_quirk: Reproduce the original's death-window edge alignment (False).
        chunk_size: Parameter sets per simulation chunk.
        n_samples: Sample paths drawn by ``forecast`` when noise is on (2000).
        drift_sd: Sd of a daily Gaussian random walk on log future deaths (0.04; 0: off).
        nb_dispersion: Negative-binomial size of daily deaths around each path (5; None:
            off). Both chosen on the 2020-05-04..08-31 backtest (docs/MODEL.md).
        seed: Seed of the forecast noise.
        use_region_centres: Default grid uses the region table's centres (imports, IFR,
            rate of inflection, fatigue; from the original's 2020-10-04 fits) when known.
        calibrate_imports: Rescale the default grid's imports centre with a pilot run.
        skip_last_days: Leave the last days (trailing-window smoothing) out of the loss (0).
        anchor_days: Rescale the forecast paths so that the ensemble's weighted mean of the
            last ``anchor_days`` fitted days matches the smoothed observations (3; 0: off;
            ratio clipped to [0.2, 5]).
        anchor_power: Exponent of that ratio (1: full level correction).
        trend_power: Each forecast path is ``D_k[T-1] (D_k[T-1+h] / D_k[T-1])^trend_power``
            (0.8; 1: the model's own trend; < 1 damps the projected growth or decline).
        growth_power: The exponent used instead where a path grows (ratio > 1; 1.0: only
            declines are damped; None: the same as ``trend_power``).
        equilibrium_r_centre: Centre of the default grid's post-reopening equilibrium R.
        case_weight: When ``forecast`` gets the region's reported cases, each path is
            multiplied by ``(case-implied deaths / ensemble mean)^case_weight`` on each
            forecast day (0.5; 0: deaths only). See ``app.core.seir.cases``.
        case_lag_days: Days from a reported case to a reported death (17).
        case_ratio_days: Days over which deaths per lagged case are measured (21).
        case_growth_power: Multiplier of the last week's case growth used to extend the
            cases past their last report (1.0).
        grid_values: Override of the default grid's searched values (None: defaults).
    """

    smoothing_window: int = 7
    fit_window_days: int | None = None
    recency_decay: float = 0.93
    min_recency_weight: float = 0.0
    keep_fraction: float = 0.075
    min_keep: int = 20
    weight_power: float = 1.5
    horizon_days: int = 70
    death_edge_quirk: bool = False
    chunk_size: int = DEFAULT_CHUNK
    n_samples: int = 2000
    drift_sd: float = 0.04
    nb_dispersion: float | None = 5.0
    seed: int = 0
    use_region_centres: bool = False
    skip_last_days: int = 0
    calibrate_imports: bool = True
    anchor_days: int = 3
    anchor_power: float = 1.0
    trend_power: float = 0.8
    growth_power: float | None = 1.0
    equilibrium_r_centre: float = 1.0
    case_weight: float = 0.5
    case_lag_days: int = 17
    case_ratio_days: int = 21
    case_growth_power: float = 1.0
    grid_values: tuple[tuple[str, tuple[float, ...]], ...] | None = None
