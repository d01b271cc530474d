"""SEIR core: two models on shared kernels, grid, fit result and weighted ensemble forecasts.

Shared by both models: ``kernels`` (delay kernels, causal convolution), ``params`` (region
constants, parameter batches), ``grid`` (sklearn-ordered grid, seeded draws), ``objective``
(loss, selection, weights), ``settings``, ``result`` (``FitResult``), ``diagnostics``,
``regions`` (per-region constants read from ``data/regions.csv``), ``cases`` (the case
signal), ``paths`` and ``forecast`` (sample paths and every target), ``quantiles``.
One subpackage per model: ``yyg`` (``yyg-2020.1``) and ``rt`` (``seircast-rt.1``).

Public API::

    fit(cumulative_deaths, start_date, constants, grid=None, settings=None, seed=0,
        *, region=None) -> FitResult                        # yyg-2020.1
    fit_rt(cumulative_deaths, start_date, constants, settings=None, rt=None) -> FitResult
    forecast(fit_result, horizon_days=62, cases=None) -> Forecast  # cases: CaseSeries
    region_constants_for(code, population, first_death, ...) -> RegionConstants
    Grid(values, fixed, seed, randomize)  # sklearn ParameterGrid order, grid_hash

The 2020 simulator itself (``simulate``, ``default_grid``) is ``app.core.seir.yyg``'s.
"""

from app.core.seir.cases import CaseSeries, CaseSignal
from app.core.seir.forecast import Forecast, forecast
from app.core.seir.grid import Grid
from app.core.seir.params import RegionConstants
from app.core.seir.quantiles import QUANTILE_LEVELS
from app.core.seir.regions import region_constants_for
from app.core.seir.result import FitResult
from app.core.seir.rt import RtSettings, fit_rt
from app.core.seir.settings import FitSettings
from app.core.seir.versions import MODEL_RT, MODEL_YYG_2020
from app.core.seir.yyg import fit

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
    "RegionConstants",
    "RtSettings",
    "fit",
    "fit_rt",
    "forecast",
    "region_constants_for",
]
