"""Daily-death sample paths of a fit: corrections, the case tilt and the forecast noise.

Every forecast target (``app.core.seir.forecast``) comes from these paths:

* corrections (``FitSettings``): each kept trajectory's future decline is damped towards its
  last fitted day, ``D[T-1] (D[T-1+h] / D[T-1])^trend_power`` (0.8 where the ratio is < 1;
  ``growth_power`` = 1 where it is > 1), then all are rescaled by
  the ratio of the smoothed observations to the ensemble's weighted mean over the last
  ``anchor_days`` (3) days (the level the data show now, clipped to [0.2, 5]);
* cases (when ``forecast`` gets the region's reported cases, ``app.core.seir.cases``): on
  each forecast day every path is multiplied by ``(case-implied deaths / ensemble mean)^w``
  (``case_weight`` w = 0.5, the ratio clipped to [0.2, 5]), so the forecast leans towards
  what the cases already reported imply (the noise below is unchanged);
* paths: without noise, the kept trajectories with their weights; with noise
  (``FitSettings.drift_sd`` or ``nb_dispersion``), ``n_samples`` paths drawn by weight, each
  multiplied by ``exp(W_h)`` (W a Gaussian random walk with daily sd ``drift_sd`` from the
  forecast date) and then observed with negative-binomial noise of size ``nb_dispersion``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.seir.cases import CaseSeries, CaseSignal, case_signal
from app.core.seir.result import FitResult
from app.core.types import FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class Noise:
    """The random draws of a fit's noisy paths, in the order ``sample_paths`` makes them.

    Forecasts from one fit with different case tilts (the rt components of
    ``app.core.learned_model``) share them: every draw but the Poisson's is independent of
    the paths' level (``gamma(k, m / k) = m / k x standard_gamma(k)``).

    Attributes:
        pick: Int (n_samples,), the trajectory each path follows (drawn by weight).
        drift: Float (horizon_days, n_samples), ``exp(W_h)``, or None without drift.
        gamma: Float (horizon_days, n_samples), standard gamma draws of shape
            ``nb_dispersion``, or None without negative-binomial noise.
        state: The generator's state after them (the Poisson draws start there).
    """

    pick: IntArray
    drift: FloatArray | None
    gamma: FloatArray | None
    state: Mapping[str, Any]


def draw_noise(fit: FitResult, horizon_days: int) -> Noise | None:
    """The random draws of ``fit``'s paths over ``horizon_days`` (None: its settings add no
    noise)."""
    s = fit.settings
    if s.drift_sd <= 0 and s.nb_dispersion is None:
        return None
    rng = np.random.Generator(np.random.PCG64(s.seed))
    pick = rng.choice(fit.weights.size, size=s.n_samples, p=fit.weights)
    shape = (horizon_days, s.n_samples)
    drift = None
    if s.drift_sd > 0:
        drift = np.exp(np.cumsum(rng.normal(0.0, s.drift_sd, size=shape), axis=0))
    gamma = None if s.nb_dispersion is None else rng.standard_gamma(s.nb_dispersion, size=shape)
    return Noise(pick, drift, gamma, rng.bit_generator.state)


def sample_paths(
    fit: FitResult,
    horizon_days: int,
    signal: CaseSignal | None = None,
    noise: Noise | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Daily-death sample paths (horizon_days, n_paths) and their weights (n_paths,).

    ``noise``: ``draw_noise(fit, horizon_days)``, drawn here when not given.
    """
    s = fit.settings
    future = fit.reported_deaths[fit.sim_start : fit.sim_start + horizon_days]
    growth = s.trend_power if s.growth_power is None else s.growth_power
    if s.trend_power != 1.0 or growth != 1.0:
        last = np.maximum(fit.reported_deaths[fit.sim_start - 1], 1e-12)
        ratio = np.maximum(future, 1e-12) / last
        future = last * ratio ** np.where(ratio > 1.0, growth, s.trend_power)
    if s.anchor_days > 0:
        future = future * _anchor(fit)
    if signal is not None:
        centre = np.maximum(future @ fit.weights, 1e-12)
        tilt = np.clip(signal.daily_deaths / centre, 0.2, 5.0) ** s.case_weight
        future = future * tilt[:, None]
    if noise is None:
        noise = draw_noise(fit, horizon_days)
    else:
        _check_noise(noise, fit, horizon_days)
    if noise is None:
        return future, fit.weights
    paths = future[:, noise.pick]
    if noise.drift is not None:
        paths = paths * noise.drift
    if noise.gamma is not None and s.nb_dispersion is not None:
        rng = np.random.Generator(np.random.PCG64())
        rng.bit_generator.state = noise.state
        rate = np.maximum(paths, 1e-12) / s.nb_dispersion * noise.gamma
        paths = rng.poisson(rate).astype(np.float64)
    return paths, np.full(s.n_samples, 1.0 / s.n_samples)


def _check_noise(noise: Noise, fit: FitResult, horizon_days: int) -> None:
    """Shared draws must be the fit's own: its weights, sample count, horizon and noise."""
    s = fit.settings
    shape = (horizon_days, s.n_samples)
    wanted = (s.drift_sd > 0, s.nb_dispersion is not None)
    given = (noise.drift is not None, noise.gamma is not None)
    sizes_ok = noise.pick.size == s.n_samples and int(noise.pick.max(initial=0)) < fit.weights.size
    shapes_ok = all(a is None or a.shape == shape for a in (noise.drift, noise.gamma))
    if wanted != given or not sizes_ok or not shapes_ok:
        raise ValueError(
            f"the draws do not match this fit's paths ({s.n_samples} samples, {horizon_days} "
            f"days, drift {s.drift_sd}, dispersion {s.nb_dispersion})"
        )


def _anchor(fit: FitResult) -> float:
    """Level correction: (observed / fitted) over the last ``anchor_days``, ^anchor_power."""
    d = fit.settings.anchor_days
    fitted = fit.reported_deaths[fit.sim_start - d : fit.sim_start] @ fit.weights
    observed = fit.smoothed_daily[-d:]
    total = float(fitted.sum())
    if total <= 0 or not np.isfinite(total):
        return 1.0
    ratio = float(observed.sum()) / total
    return float(np.clip(ratio, 0.2, 5.0) ** fit.settings.anchor_power)


def signal_for(fit: FitResult, horizon_days: int, cases: CaseSeries | None) -> CaseSignal | None:
    """The case signal ``sample_paths`` tilts towards, with the fit's settings (None: off)."""
    s = fit.settings
    if cases is None or s.case_weight <= 0:
        return None
    return case_signal(
        cases,
        fit.smoothed_daily,
        fit.forecast_date,
        horizon_days,
        lag_days=s.case_lag_days,
        ratio_days=s.case_ratio_days,
        growth_power=s.case_growth_power,
        window=s.smoothing_window,
    )
