"""The post-2020 model ``seircast-rt.1`` (docs/MODEL.md): a free recent R on the renewal core.

``renewal`` (infections back-calculated from deaths, the renewal equation over a window,
expected deaths) -> ``fit`` (the (R level, trend) grid, its losses and weights).
"""

from app.core.seir.rt.fit import RtSettings, fit_rt

__all__ = ["RtSettings", "fit_rt"]
