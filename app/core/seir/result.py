"""The outcome of a fit, the same for every model: what ``forecast`` needs and what is stored.

Both fits (``app.core.seir.yyg.fit`` and ``app.core.seir.rt.fit``) return a ``FitResult``: the
searched grid and its losses, the kept sets with their weights, the cleaned observations and
the kept sets' trajectories from simulation day 0 (``sim_start`` = the first forecast day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.seir.diagnostics import edge_warnings, kept_params
from app.core.seir.grid import Grid, Value
from app.core.seir.params import RegionConstants
from app.core.seir.settings import FitSettings
from app.core.types import BoolArray, FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class FitResult:
    """Outcome of ``fit`` (sklearn vocabulary) plus the trajectories needed to forecast.

    Attributes:
        model_version: Model version string.
        grid_hash: ``Grid.grid_hash`` of the searched grid.
        constants: Region constants used (day 0 = constants.first_date).
        settings: Fit settings used.
        start_date: Date of ``observed_cumulative[0]``.
        forecast_date: First day after the last observation.
        best_index: Grid index with the lowest loss among valid sets.
        best_params: All parameters of ``best_index``.
        losses: Float (n_sets,), weighted squared error, deaths^2; inf for invalid sets.
        valid: Bool (n_sets,).
        kept_indices: Int (n_kept,), grid indices kept, by increasing loss.
        weights: Float (n_kept,), sums to 1.
        observed_cumulative: Float (n_obs,), cumulative deaths: the input's, plus on the
            unreported days at the end the deaths assumed there (``CleanedSeries.pending``).
        reported_daily: Float (n_obs,), reported daily deaths, each report spread over its
            reporting interval, the unreported tail filled (``CleanedSeries``).
        smoothed_daily: Float (n_obs,), smoothed daily deaths fitted.
        sim_start: Simulation day index of ``forecast_date`` (first forecast day).
        reported_deaths: Float (n_sim_days, n_kept), deaths/day of the kept sets.
        new_infections: Float (n_sim_days, n_kept), infections/day.
        r_effective: Float (n_sim_days, n_kept), effective R.
        grid: The searched grid (``grid.params(i)`` for any index i).
    """

    model_version: str
    grid_hash: str
    constants: RegionConstants
    settings: FitSettings
    start_date: date
    forecast_date: date
    best_index: int
    best_params: dict[str, Value]
    losses: FloatArray
    valid: BoolArray
    kept_indices: IntArray
    weights: FloatArray
    observed_cumulative: FloatArray
    reported_daily: FloatArray
    smoothed_daily: FloatArray
    sim_start: int
    reported_deaths: FloatArray
    new_infections: FloatArray
    r_effective: FloatArray
    grid: Grid

    def kept_params(self) -> list[dict[str, Value]]:
        """One dict per kept set (order of ``kept_indices``): parameter name -> value
        (floats; dates as ``datetime.date``), searched, fixed and randomised."""
        return kept_params(self.grid, self.kept_indices)

    def edge_warnings(self) -> list[str]:
        """Human-readable warnings for searched parameters whose best or weighted-median
        kept value is the first or last value of its grid axis."""
        return edge_warnings(self.grid, self.kept_indices, self.weights)
