"""Post-2020 model ``seircast-rt.1``: the renewal core with a free recent R and trend.

The 2020 model's one-lockdown / one-reopening / fixed-fall schedule cannot describe 2021+
epidemics. This model keeps the same kernels and immunity term but lets the data of the last
``window_days`` choose R; the earlier epidemic only sets the immunity level
(``app.core.seir.rt.renewal``: back-calculated infections, then the renewal equation):

1. **R.** From ``t0 = T - window_days`` (T = number of observed days) the renewal equation
   runs for K sets of (R level, trend):
   ``R(t) = r_level * exp(trend * (min(t, T) - t0))`` (the trend stops at the last
   observation).
2. **Fit.** Loss, selection (best fraction, at least ``min_keep``) and loss^-p weights as
   in the 2020 model's fit; the result is a ``FitResult`` so ``forecast`` applies unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from app.core.cleaning import clean_cumulative
from app.core.seir import kernels as kn
from app.core.seir.grid import Grid
from app.core.seir.objective import loss_weights, losses_of, recency_weights
from app.core.seir.params import RegionConstants
from app.core.seir.result import FitResult
from app.core.seir.rt.renewal import back_calculate, expected_deaths, simulate_window
from app.core.seir.settings import FitSettings
from app.core.seir.versions import MODEL_RT
from app.core.types import FloatArray


@dataclass(frozen=True, slots=True)
class RtSettings:
    """Settings of the post-2020 model.

    Attributes:
        window_days: Days at the end simulated with free R (56; 42 before the case signal:
            56 scored 0.539 vs 0.592 on the 2020 tuning dates together with growth 0.5).
        ifr: Infection fatality rate used for back-calculation and deaths (0.005).
        immunity_mult: Exponent of the susceptible fraction (0.5, as the 2020 US model).
        r_levels: Candidate R at the window start.
        trends: Candidate daily log-trends of R until the last observation.
        deconvolution_iterations: Richardson-Lucy iterations (30).
        sporadic_deaths: Deaths/day that imported infections alone would cause
            (imports = sporadic_deaths / ifr per day in the window; 0.02, about one death
            in 50 days). It lets a region with no recent deaths (whose back-calculated
            history is zero) fit a sudden new death and keeps its intervals honest (a small
            chance of a death rather than exactly 0); negligible for a state.
        growth_power: Replaces ``FitSettings.growth_power`` in the result's settings (0.5:
            projected growth is damped, more than declines; this model's free trend
            overshoots: on the 2020 tuning dates 0.8 scored 0.82 vs 0.99 undamped deaths
            only, and with cases 0.5 / 0.6 / 0.8 / 1.0 scored 0.541 / 0.552 / 0.592 / 0.671
            (42-day window); None: keep).
    """

    window_days: int = 56
    ifr: float = 0.005
    immunity_mult: float = 0.5
    r_levels: tuple[float, ...] = tuple(np.round(np.arange(0.5, 2.001, 0.025), 3))
    trends: tuple[float, ...] = tuple(np.round(np.arange(-0.015, 0.01501, 0.0025), 4))
    deconvolution_iterations: int = 30
    sporadic_deaths: float = 0.02
    growth_power: float | None = 0.5


def fit_rt(
    cumulative_deaths: FloatArray,
    start_date: date,
    constants: RegionConstants,
    settings: FitSettings | None = None,
    rt: RtSettings | None = None,
) -> FitResult:
    """Fit the post-2020 model (any date); same inputs and result type as ``fit``."""
    settings, rt = settings or FitSettings(), rt or RtSettings()
    if rt.growth_power is not None:
        settings = replace(settings, growth_power=rt.growth_power)
    cleaned = clean_cumulative(cumulative_deaths, window=settings.smoothing_window)
    y = cleaned.smoothed_daily
    n_obs = y.size
    t0 = max(kn.SEED_DAYS, n_obs - rt.window_days)
    grid = Grid(values={"r_level": rt.r_levels, "trend": rt.trends}, randomize=False)
    inf, reff, deaths = _trajectories(grid, y, t0, constants, settings.horizon_days, rt)
    window = np.arange(t0, n_obs)
    weights = recency_weights(n_obs, settings.recency_decay, settings.min_recency_weight)
    losses = losses_of(deaths[window], y[window], weights[window])
    n_keep = min(
        grid.size, max(settings.min_keep, int(np.ceil(settings.keep_fraction * grid.size)))
    )
    kept = np.argsort(losses, kind="stable")[:n_keep]
    return FitResult(
        model_version=MODEL_RT,
        grid_hash=grid.grid_hash,
        constants=replace(constants, first_date=start_date),
        settings=settings,
        start_date=start_date,
        forecast_date=start_date + timedelta(days=n_obs),
        best_index=int(kept[0]),
        best_params=grid.params(int(kept[0])),
        losses=losses,
        valid=np.isfinite(losses),
        kept_indices=kept,
        weights=loss_weights(losses[kept], settings.weight_power),
        observed_cumulative=np.cumsum(cleaned.reported_daily),
        reported_daily=cleaned.reported_daily,
        smoothed_daily=y,
        sim_start=n_obs,
        reported_deaths=deaths[:, kept],
        new_infections=inf[:, kept],
        r_effective=reff[:, kept],
        grid=grid,
    )


def _trajectories(
    grid: Grid, y: FloatArray, t0: int, constants: RegionConstants, horizon: int, rt: RtSettings
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Infections, R_eff and expected deaths (n_days, n_sets) of every (level, trend) set:
    the infections before ``t0`` back-calculated from the smoothed deaths ``y``, R from t0
    on ``level x exp(trend x days)`` (held after the last observation)."""
    n_obs = y.size
    pos = grid.unravel(np.arange(grid.size))
    level = np.asarray(rt.r_levels)[pos["r_level"]]
    trend = np.asarray(rt.trends)[pos["trend"]]
    days = np.minimum(np.arange(t0, n_obs + horizon), n_obs) - t0
    r = level * np.exp(np.outer(days, trend))
    history = back_calculate(y, rt.ifr, rt.deconvolution_iterations)[:t0]
    imports = rt.sporadic_deaths / rt.ifr
    inf, reff = simulate_window(history, r, constants.population, rt.immunity_mult, imports)
    return inf, reff, expected_deaths(inf, rt.ifr)
