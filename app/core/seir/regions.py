"""Region defaults as data (SEIR_MODEL.md 1.5, 1.7-1.9 and the 2020-10-04 best_params files).

Nothing here branches on a region name: ``REGIONS`` is a table keyed by postal code (``"US"``
is the whole country), ``IFR_OVERRIDES`` the original's per-state IFR floor and daily
multiplier, ``UNCAPPED_POST_REOPEN_R`` the regions that use the equilibrium R directly.
The per-region starting values (reopen date, initial IFR, rate of inflection, daily imports,
lockdown fatigue) are the fixed or mean values of the original's 2020-10-04 fits; they are
centres of the default grid, not fitted results of this project.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from app.core.seir.params import RegionConstants

FIRST_DATE_OFFSET_DAYS = 24
"""Simulation day 0 = first reported death minus 24 days (SEIR_MODEL.md 1.1, verified)."""
US_2020_FALL_START = date(2020, 8, 8)
"""FALL_START_DATE_NORTH 2020-09-22 minus the US shift of 45 days (1.7)."""
US_2020_IFR_FALL_START = date(2020, 8, 23)
"""2020-09-22 minus 30 days: start of the 1.002/day IFR increase (1.8)."""


@dataclass(frozen=True, slots=True)
class RegionRow:
    """One row of the region table.

    Attributes:
        fips: Two-digit state FIPS code (``"US"`` for the country), as in the Forecast Hub.
        name: Location name as in JHU CSSE.
        population: People (CSSE lookup table, as in the best_params files).
        reopen_date: Reopening date used by the original (NYT reopening map; June 1 if none).
        mortality_rate: Initial IFR of the original's fits (fraction).
        rate_of_inflection: Centre of the randomised R0 -> lockdown steepness (per day).
        daily_imports: Centre of the randomised daily imports (people/day).
        lockdown_fatigue: Lockdown-fatigue multiplier.
    """

    fips: str
    name: str
    population: int
    reopen_date: date
    mortality_rate: float
    rate_of_inflection: float
    daily_imports: float
    lockdown_fatigue: float


REGIONS: dict[str, RegionRow] = {
    "AK": RegionRow(
        "02", "Alaska", 731545, date.fromisoformat("2020-04-24"), 0.005, 0.33, 18.7, 1.0
    ),
    "AL": RegionRow(
        "01", "Alabama", 4903185, date.fromisoformat("2020-05-11"), 0.0075, 0.307, 114.5, 1.0
    ),
    "US": RegionRow(
        "US", "US", 331814684, date.fromisoformat("2020-05-10"), 0.01, 0.352, 1089.9, 1.0
    ),
    "AR": RegionRow(
        "05", "Arkansas", 3017825, date.fromisoformat("2020-05-11"), 0.0085, 0.295, 26.5, 1.0
    ),
    "AZ": RegionRow(
        "04", "Arizona", 7278717, date.fromisoformat("2020-05-11"), 0.011, 0.25, 107.0, 1.0
    ),
    "CA": RegionRow(
        "06", "California", 39512223, date.fromisoformat("2020-06-01"), 0.01, 0.292, 162.1, 1.0
    ),
    "CO": RegionRow(
        "08", "Colorado", 5758736, date.fromisoformat("2020-05-15"), 0.01, 0.295, 353.7, 1.0
    ),
    "CT": RegionRow(
        "09", "Connecticut", 3565287, date.fromisoformat("2020-06-01"), 0.025, 0.317, 424.7, 1.0
    ),
    "DC": RegionRow(
        "11",
        "District of Columbia",
        705749,
        date.fromisoformat("2020-06-08"),
        0.01,
        0.307,
        73.7,
        1.0,
    ),
    "DE": RegionRow(
        "10", "Delaware", 973764, date.fromisoformat("2020-06-01"), 0.0085, 0.3, 82.7, 1.0
    ),
    "FL": RegionRow(
        "12", "Florida", 21477737, date.fromisoformat("2020-05-04"), 0.0125, 0.298, 163.0, 1.0
    ),
    "GA": RegionRow(
        "13", "Georgia", 10617423, date.fromisoformat("2020-04-27"), 0.01, 0.313, 144.8, 1.0
    ),
    "GU": RegionRow(
        "66", "Guam", 165718, date.fromisoformat("2020-06-01"), 0.0075, 0.322, 6.9, 1.0
    ),
    "HI": RegionRow(
        "15", "Hawaii", 1415872, date.fromisoformat("2020-06-01"), 0.0075, 0.32, 24.0, 1.0
    ),
    "IA": RegionRow(
        "19", "Iowa", 3155070, date.fromisoformat("2020-05-15"), 0.0065, 0.252, 78.4, 1.0
    ),
    "ID": RegionRow(
        "16", "Idaho", 1787065, date.fromisoformat("2020-05-16"), 0.005, 0.318, 56.8, 1.0
    ),
    "IL": RegionRow(
        "17", "Illinois", 12671821, date.fromisoformat("2020-06-01"), 0.01, 0.246, 351.5, 0.95
    ),
    "IN": RegionRow(
        "18", "Indiana", 6732219, date.fromisoformat("2020-05-11"), 0.01, 0.302, 216.6, 1.0
    ),
    "KS": RegionRow(
        "20", "Kansas", 2913314, date.fromisoformat("2020-05-04"), 0.005, 0.308, 68.3, 1.0
    ),
    "KY": RegionRow(
        "21", "Kentucky", 4467673, date.fromisoformat("2020-05-22"), 0.0075, 0.321, 75.6, 1.0
    ),
    "LA": RegionRow(
        "22", "Louisiana", 4648794, date.fromisoformat("2020-05-15"), 0.013, 0.336, 527.3, 1.0
    ),
    "MA": RegionRow(
        "25", "Massachusetts", 6949503, date.fromisoformat("2020-06-06"), 0.0125, 0.341, 662.4, 1.0
    ),
    "MD": RegionRow(
        "24", "Maryland", 6045680, date.fromisoformat("2020-06-01"), 0.0085, 0.316, 258.4, 1.0
    ),
    "ME": RegionRow(
        "23", "Maine", 1344212, date.fromisoformat("2020-06-01"), 0.01, 0.327, 32.5, 1.0
    ),
    "MI": RegionRow(
        "26", "Michigan", 9986857, date.fromisoformat("2020-06-08"), 0.011, 0.33, 966.7, 1.0
    ),
    "MN": RegionRow(
        "27", "Minnesota", 5639632, date.fromisoformat("2020-06-01"), 0.0075, 0.298, 57.1, 1.0
    ),
    "MO": RegionRow(
        "29", "Missouri", 6137428, date.fromisoformat("2020-05-15"), 0.0075, 0.317, 155.2, 1.0
    ),
    "MP": RegionRow(
        "69",
        "Northern Mariana Islands",
        55194,
        date.fromisoformat("2020-06-01"),
        0.01,
        0.313,
        1.6,
        1.0,
    ),
    "MS": RegionRow(
        "28", "Mississippi", 2976149, date.fromisoformat("2020-05-07"), 0.0135, 0.248, 54.2, 1.0
    ),
    "MT": RegionRow(
        "30", "Montana", 1068778, date.fromisoformat("2020-05-04"), 0.01, 0.309, 17.8, 1.0
    ),
    "NC": RegionRow(
        "37",
        "North Carolina",
        10488084,
        date.fromisoformat("2020-05-08"),
        0.0075,
        0.316,
        128.7,
        1.0,
    ),
    "ND": RegionRow(
        "38", "North Dakota", 762062, date.fromisoformat("2020-05-01"), 0.005, 0.247, 20.9, 1.0
    ),
    "NE": RegionRow(
        "31", "Nebraska", 1934408, date.fromisoformat("2020-05-04"), 0.005, 0.244, 48.6, 1.0
    ),
    "NH": RegionRow(
        "33", "New Hampshire", 1359711, date.fromisoformat("2020-05-18"), 0.0125, 0.246, 26.3, 1.0
    ),
    "NJ": RegionRow(
        "34", "New Jersey", 8882190, date.fromisoformat("2020-06-15"), 0.014, 0.323, 540.1, 1.025
    ),
    "NM": RegionRow(
        "35", "New Mexico", 2096829, date.fromisoformat("2020-06-01"), 0.011, 0.25, 64.1, 1.0
    ),
    "NV": RegionRow(
        "32", "Nevada", 3080156, date.fromisoformat("2020-05-15"), 0.0085, 0.312, 73.9, 1.0
    ),
    "NY": RegionRow(
        "36", "New York", 19453561, date.fromisoformat("2020-06-01"), 0.0125, 0.461, 1157.7, 1.1
    ),
    "OH": RegionRow(
        "39", "Ohio", 11689100, date.fromisoformat("2020-05-21"), 0.0115, 0.296, 265.4, 1.0
    ),
    "OK": RegionRow(
        "40", "Oklahoma", 3956971, date.fromisoformat("2020-05-01"), 0.0065, 0.32, 171.9, 1.0
    ),
    "OR": RegionRow(
        "41", "Oregon", 4217737, date.fromisoformat("2020-05-25"), 0.0075, 0.308, 32.7, 1.0
    ),
    "PA": RegionRow(
        "42", "Pennsylvania", 12801989, date.fromisoformat("2020-06-05"), 0.0125, 0.312, 258.6, 1.0
    ),
    "PR": RegionRow(
        "72", "Puerto Rico", 3193694, date.fromisoformat("2020-06-01"), 0.0065, 0.316, 36.5, 1.0
    ),
    "RI": RegionRow(
        "44", "Rhode Island", 1059361, date.fromisoformat("2020-05-25"), 0.01, 0.294, 157.7, 1.0
    ),
    "SC": RegionRow(
        "45", "South Carolina", 5148714, date.fromisoformat("2020-05-11"), 0.01, 0.301, 45.9, 1.0
    ),
    "SD": RegionRow(
        "46", "South Dakota", 884659, date.fromisoformat("2020-05-01"), 0.005, 0.247, 23.0, 1.0
    ),
    "TN": RegionRow(
        "47", "Tennessee", 6833174, date.fromisoformat("2020-05-01"), 0.005, 0.295, 109.1, 1.0
    ),
    "TX": RegionRow(
        "48", "Texas", 28995881, date.fromisoformat("2020-05-01"), 0.009, 0.303, 242.5, 1.0
    ),
    "UT": RegionRow("49", "Utah", 3205958, date.fromisoformat("2020-05-16"), 0.004, 0.3, 30.1, 1.0),
    "VA": RegionRow(
        "51", "Virginia", 8535519, date.fromisoformat("2020-06-01"), 0.0085, 0.297, 111.2, 1.0
    ),
    "VI": RegionRow(
        "78", "Virgin Islands", 104914, date.fromisoformat("2020-06-01"), 0.0075, 0.301, 10.1, 1.0
    ),
    "VT": RegionRow(
        "50", "Vermont", 623989, date.fromisoformat("2020-06-01"), 0.01, 0.31, 23.4, 1.0
    ),
    "WA": RegionRow(
        "53", "Washington", 7614893, date.fromisoformat("2020-06-01"), 0.0075, 0.322, 125.4, 1.05
    ),
    "WI": RegionRow(
        "55", "Wisconsin", 5822434, date.fromisoformat("2020-05-14"), 0.0075, 0.323, 163.3, 1.0
    ),
    "WV": RegionRow(
        "54", "West Virginia", 1792147, date.fromisoformat("2020-05-04"), 0.012, 0.335, 32.8, 1.0
    ),
    "WY": RegionRow(
        "56", "Wyoming", 578759, date.fromisoformat("2020-05-01"), 0.005, 0.312, 27.4, 1.0
    ),
}

IFR_OVERRIDES: dict[str, tuple[float, float]] = {
    "CT": (0.15, 0.99),
    "MA": (0.5, 0.995),
    "ND": (0.6, 0.995),
    "RI": (0.4, 0.995),
}
"""Region -> (ifr_min_mult, ifr_daily_mult) (SEIR_MODEL.md 1.8)."""
UNCAPPED_POST_REOPEN_R: frozenset[str] = frozenset({"WI"})
"""Regions whose post-reopening R is the equilibrium R itself, not min(reopen R, it) (1.7)."""
FIPS_TO_CODE: dict[str, str] = {row.fips: code for code, row in REGIONS.items()}


def region_constants_for(
    code: str,
    population: float | None = None,
    first_death: date | None = None,
    *,
    first_date: date | None = None,
    reopen_date: date | None = None,
    fall_wave_2020: bool = True,
) -> RegionConstants:
    """Default ``RegionConstants`` for a region code (postal code or ``"US"``).

    Args:
        code: Postal code such as ``"NY"``; unknown codes get the US-state defaults.
        population: People; defaults to the table value (required for unknown codes).
        first_death: Date of the first reported death; day 0 is 24 days earlier.
        first_date: Explicit day 0 (overrides ``first_death``).
        reopen_date: Explicit reopening date (defaults to the table, else day 0 + 120 days).
        fall_wave_2020: Apply the original's 2020 US fall R and IFR increases.

    Returns:
        The constants of the 2020 model for that region.
    """
    row = REGIONS.get(code)
    if population is None:
        if row is None:
            raise ValueError(f"unknown region {code!r}: population is required")
        population = row.population
    if first_date is None:
        if first_death is None:
            raise ValueError("give first_death or first_date")
        first_date = first_death - timedelta(days=FIRST_DATE_OFFSET_DAYS)
    if reopen_date is None:
        reopen_date = row.reopen_date if row else first_date + timedelta(days=120)
    constants = RegionConstants(
        population=float(population),
        first_date=first_date,
        reopen_date=reopen_date,
        cap_post_reopen_r=code not in UNCAPPED_POST_REOPEN_R,
    )
    if code in IFR_OVERRIDES:
        min_mult, daily = IFR_OVERRIDES[code]
        constants = replace(constants, ifr_min_mult=min_mult, ifr_daily_mult=daily)
    if fall_wave_2020:
        constants = replace(
            constants, fall_start=US_2020_FALL_START, ifr_fall_start=US_2020_IFR_FALL_START
        )
    return constants
