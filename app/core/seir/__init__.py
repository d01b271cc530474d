"""SEIR core: vectorised YYG simulator, grid-search fit and weighted ensemble forecasts.

Public API::

    simulate(params, constants, n_days, *, death_edge_quirk=False) -> Simulation
    Grid(values, fixed, seed, randomize)  # sklearn ParameterGrid order, grid_hash
    fit(cumulative_deaths, start_date, constants, grid=None, settings=None, seed=0,
        *, region=None) -> FitResult
    fit_rt(cumulative_deaths, start_date, constants, settings=None, rt=None) -> FitResult
    forecast(fit_result, horizon_days=62, cases=None) -> Forecast  # cases: CaseSeries
    region_constants_for(code, population, first_death, ...) -> RegionConstants
"""

from app.core.seir.cases import CaseSeries, CaseSignal
from app.core.seir.fit import FitResult, FitSettings, fit
from app.core.seir.forecast import Forecast, forecast
from app.core.seir.grid import Grid
from app.core.seir.params import ParamBatch, RegionConstants
from app.core.seir.quantiles import QUANTILE_LEVELS
from app.core.seir.regions import region_constants_for
from app.core.seir.rt_model import RtSettings, fit_rt
from app.core.seir.search_space import default_grid
from app.core.seir.simulator import Simulation, simulate
from app.core.seir.versions import MODEL_RT, MODEL_YYG_2020

__all__ = [
    "MODEL_RT",
    "MODEL_YYG_2020",
    "QUANTILE_LEVELS",
    "CaseSeries",
    "CaseSignal",
    "FitResult",
    "FitSettings",
    "Forecast",
    "Grid",
    "ParamBatch",
    "RegionConstants",
    "RtSettings",
    "Simulation",
    "default_grid",
    "fit",
    "fit_rt",
    "forecast",
    "region_constants_for",
    "simulate",
]
