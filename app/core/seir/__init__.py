"""SEIR core: vectorised YYG simulator, grid-search fit and weighted ensemble forecasts."""

from app.core.seir.params import ParamBatch, RegionConstants
from app.core.seir.regions import region_constants_for
from app.core.seir.simulator import Simulation, simulate

__all__ = [
    "ParamBatch",
    "RegionConstants",
    "Simulation",
    "region_constants_for",
    "simulate",
]
