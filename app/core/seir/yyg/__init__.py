"""The 2020 YYG model ``yyg-2020.1`` (SEIR_MODEL.md sections 1-4).

``schedules`` (R, IFR, undetected deaths, imports per day) -> ``simulator`` (the vectorised
renewal simulator, golden-tested against the original) -> ``search_space`` (the default
grid and its data-driven inflection days) -> ``fit`` (grid search, selection, weights).
"""

from app.core.seir.yyg.fit import fit
from app.core.seir.yyg.search_space import default_grid
from app.core.seir.yyg.simulator import Simulation, simulate

__all__ = ["Simulation", "default_grid", "fit", "simulate"]
