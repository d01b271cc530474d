"""The targets a fit stores forecast rows for (``forecast_row.target``): the names are defined
here only. Daily and epiweek (Sunday-Saturday, dated by its Saturday) incident and cumulative
deaths, daily new infections and the effective reproduction number."""

from enum import StrEnum

from app.core.hubtypes import Kind


class Target(StrEnum):
    INC_DAY = "inc_day"
    CUM_DAY = "cum_day"
    INC_WEEK = "inc_week"
    CUM_WEEK = "cum_week"
    INFECTIONS_DAY = "infections_day"
    RT_DAY = "rt_day"


DAY_TARGETS: tuple[Target, ...] = (Target.INC_DAY, Target.CUM_DAY)
WEEK_TARGETS: tuple[Target, ...] = (Target.INC_WEEK, Target.CUM_WEEK)
HUB_KINDS: dict[Target, Kind] = {Target.INC_WEEK: "inc", Target.CUM_WEEK: "cum"}
"""The weekly targets as Forecast Hub target kinds (``N wk ahead inc|cum death``)."""
