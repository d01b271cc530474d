"""Grid-search fit of the 2020 model to reported deaths (SEIR_MODEL.md sections 2 and 4).

1. **Smoothing.** ``app.core.cleaning.clean_cumulative``: corrections and dumps are
   redistributed backwards, zero-report days share the next report ("0 then 300 becomes
   150, 150"), then a centred 7-day mean (trailing week at the end), total preserved.
2. **Loss.** ``L_k = sum_t w_t (D_k[t] - y[t])^2`` over the fit window (from the first
   death, or the last ``fit_window_days``), with ``y`` the smoothed daily deaths, ``D_k`` the
   simulated reported deaths of set k and recency weights
   ``w_t = max(min_recency_weight, recency_decay^(T - 1 - t))`` (T = number of observed days;
   defaults 0.93 and no floor).
3. **Selection.** Invalid sets are dropped; per candidate inflection day the best
   ``max(min_keep, ceil(keep_fraction x n_day))`` sets are kept (7.5%, at least 20).
4. **Weights.** ``omega_k = L_k^(-weight_power)`` (p = 1.5), normalised to sum to 1.
5. The kept sets are simulated to ``horizon_days`` past the last observation; their
   trajectories and weights are what ``forecast`` uses.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from app.core.cleaning import clean_cumulative
from app.core.seir.grid import Grid
from app.core.seir.objective import loss_weights, losses_of, recency_weights, select
from app.core.seir.params import ParamBatch, RegionConstants
from app.core.seir.result import FitResult
from app.core.seir.settings import FitSettings
from app.core.seir.versions import MODEL_YYG_2020
from app.core.seir.yyg.search_space import (
    DEFAULT_VALUES,
    calibrate_imports,
    default_grid,
    inflection_candidates,
)
from app.core.seir.yyg.simulator import simulate, simulate_reported_deaths
from app.core.types import BoolArray, FloatArray, IntArray


def fit(
    cumulative_deaths: FloatArray,
    start_date: date,
    constants: RegionConstants,
    grid: Grid | None = None,
    settings: FitSettings | None = None,
    seed: int = 0,
    *,
    region: str | None = None,
) -> FitResult:
    """Fit the 2020 model to cumulative deaths by grid search.

    Args:
        cumulative_deaths: Float (n_obs,), cumulative reported deaths from ``start_date``.
        start_date: Date of the first observation.
        constants: Region constants (population, dates, IFR settings).
        grid: Parameter grid (default: ``default_grid`` for ``region`` with ``seed``).
        settings: Fit settings (default ``FitSettings()``).
        seed: Seed of the default grid's randomised parameters.
        region: Region code for the default grid's per-region centres.

    Returns:
        FitResult with losses, kept sets, weights and their trajectories.
    """
    settings = settings or FitSettings()
    cleaned = clean_cumulative(cumulative_deaths, window=settings.smoothing_window)
    smoothed = cleaned.smoothed_daily
    offset = (start_date - constants.first_date).days
    n_obs = cumulative_deaths.shape[0]
    n_sim = offset + n_obs
    if n_sim <= 22 or offset + 1 > n_sim:
        raise ValueError("observations must extend more than 22 days past constants.first_date")
    window = _fit_window(smoothed, offset, settings)
    weights = recency_weights(n_obs, settings.recency_decay, settings.min_recency_weight)
    if grid is None:
        grid = _default_grid(smoothed, start_date, constants, settings, seed, region)
        if settings.calibrate_imports:
            grid = calibrate_imports(grid, constants, smoothed, offset, window, weights)
    batch = grid.batch(constants)
    losses, valid = _grid_losses(
        batch, constants, settings, n_sim, smoothed[window], weights[window], offset + window
    )
    groups = grid.unravel(np.arange(grid.size)).get("inflection_day", np.zeros(grid.size, int))
    kept = select(losses, valid, groups, settings.keep_fraction, settings.min_keep)
    full = simulate(
        batch.take(kept),
        constants,
        n_sim + settings.horizon_days,
        death_edge_quirk=settings.death_edge_quirk,
    )
    return FitResult(
        model_version=MODEL_YYG_2020,
        grid_hash=grid.grid_hash,
        constants=constants,
        settings=settings,
        start_date=start_date,
        forecast_date=start_date + timedelta(days=n_obs),
        best_index=int(kept[0]),
        best_params=grid.params(int(kept[0])),
        losses=losses,
        valid=valid,
        kept_indices=kept,
        weights=loss_weights(losses[kept], settings.weight_power),
        observed_cumulative=np.cumsum(cleaned.reported_daily),
        reported_daily=cleaned.reported_daily,
        smoothed_daily=smoothed,
        sim_start=n_sim,
        reported_deaths=full.reported_deaths,
        new_infections=full.new_infections,
        r_effective=full.r_effective,
        grid=grid,
    )


def _default_grid(
    smoothed: FloatArray,
    start_date: date,
    constants: RegionConstants,
    settings: FitSettings,
    seed: int,
    region: str | None,
) -> Grid:
    """``default_grid`` on the data's inflection candidates with the settings' values."""
    days = inflection_candidates(smoothed, start_date, constants.first_date)
    return default_grid(
        region or "",
        constants.population,
        days,
        seed=seed,
        use_region_centres=settings.use_region_centres,
        values=_values(settings),
        equilibrium_r_centre=settings.equilibrium_r_centre,
    )


def _grid_losses(
    batch: ParamBatch,
    constants: RegionConstants,
    settings: FitSettings,
    n_sim: int,
    observed: FloatArray,
    weights: FloatArray,
    rows: IntArray,
) -> tuple[FloatArray, BoolArray]:
    """Every set's weighted loss on the observed days (simulated days ``rows``, a contiguous
    range) and validity; invalid sets lose ``inf``."""
    reported, valid = simulate_reported_deaths(
        batch,
        constants,
        n_sim,
        death_edge_quirk=settings.death_edge_quirk,
        chunk_size=settings.chunk_size,
    )
    with np.errstate(all="ignore"):
        losses = losses_of(reported[int(rows[0]) : int(rows[-1]) + 1], observed, weights)
    losses[~valid] = np.inf
    return losses, valid & np.isfinite(losses)


def _values(settings: FitSettings) -> dict[str, tuple[float, ...]]:
    """Searched values of the default grid with the settings' overrides."""
    values = dict(DEFAULT_VALUES)
    values.update(dict(settings.grid_values or ()))
    return values


def _fit_window(smoothed: FloatArray, offset: int, settings: FitSettings) -> IntArray:
    """Observation indices in the loss, int (n_fit,): from the first death and day 0."""
    positive = np.flatnonzero(smoothed > 0)
    first = int(positive[0]) if positive.size else smoothed.size - 1
    first = max(first, -offset)
    if settings.fit_window_days is not None:
        first = max(first, smoothed.size - settings.fit_window_days)
    last = max(smoothed.size - settings.skip_last_days, first + 1)
    window: IntArray = np.arange(min(first, smoothed.size - 1), min(last, smoothed.size))
    return window
