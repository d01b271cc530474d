"""A synthetic region shared by the fit, forecast and diagnostics tests."""

from datetime import date

from app.core.seir import RegionConstants
from app.core.seir.grid import Value

CONSTANTS = RegionConstants(
    population=5e6, first_date=date(2020, 2, 20), reopen_date=date(2020, 5, 15)
)
# Fixed parameters of the 2020 model that none of these tests searches.
FIXED: dict[str, Value] = {
    "rate_of_inflection": 0.3,
    "daily_imports": 50.0,
    "mortality_rate": 0.01,
    "lockdown_fatigue": 1.0,
    "reopen_inflection": 0.25,
    "post_reopen_equilibrium_r": 1.0,
    "fall_r_multiplier": 1.0,
}
