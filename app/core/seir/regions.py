"""Region defaults as data (SEIR_MODEL.md 1.5, 1.7-1.9 and the 2020-10-04 best_params files).

Nothing here branches on a region name: the per-region constants are the rows of
``data/regions.csv``, keyed by postal code (``"US"`` is the whole country), read once at
first use; ``data/README.md`` gives the source of every column. The per-region starting
values (reopen date, initial IFR, rate of inflection, daily imports, lockdown fatigue) are
the fixed or mean values of the original's 2020-10-04 fits; they are centres of the default
grid, not fitted results of this project. The IFR overrides (CT, MA, ND, RI) and the one
region whose post-reopening R is not capped (WI) are columns of the same table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import TypeVar

from app.core.seir.params import RegionConstants

FIRST_DATE_OFFSET_DAYS = 24
"""Simulation day 0 = first reported death minus 24 days (SEIR_MODEL.md 1.1, verified)."""
US_2020_FALL_START = date(2020, 8, 8)
"""FALL_START_DATE_NORTH 2020-09-22 minus the US shift of 45 days (1.7)."""
US_2020_IFR_FALL_START = date(2020, 8, 23)
"""2020-09-22 minus 30 days: start of the 1.002/day IFR increase (1.8)."""
TABLE = "regions.csv"
"""The table, in ``app/core/seir/data/`` (package data)."""
COLUMNS = (
    "code",
    "fips",
    "name",
    "population",
    "reopen_date",
    "mortality_rate",
    "rate_of_inflection",
    "daily_imports",
    "lockdown_fatigue",
    "ifr_min_mult",
    "ifr_daily_mult",
    "cap_post_reopen_r",
)


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
        ifr_override: (ifr_min_mult, ifr_daily_mult) of the original's per-state IFR
            overrides (1.8); None: the ``RegionConstants`` defaults.
        cap_post_reopen_r: post_r = min(reopen_r, equilibrium R) (1.7; False for WI).
    """

    fips: str
    name: str
    population: int
    reopen_date: date
    mortality_rate: float
    rate_of_inflection: float
    daily_imports: float
    lockdown_fatigue: float
    ifr_override: tuple[float, float] | None = None
    cap_post_reopen_r: bool = True


def parse_regions(text: str, source: str = TABLE) -> dict[str, RegionRow]:
    """Postal code -> row of a region table in CSV (the columns of ``COLUMNS``, in order).

    Raises:
        ValueError: naming ``source``, the line and the column of the first bad value.
    """
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ValueError(f"{source}: expected the columns {','.join(COLUMNS)}")
    rows: dict[str, RegionRow] = {}
    for raw in reader:
        where = f"{source} line {reader.line_num}"
        if None in raw or None in raw.values():
            raise ValueError(f"{where}: expected {len(COLUMNS)} values")
        try:
            code, row = _row(raw)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        if code in rows:
            raise ValueError(f"{where}: region {code!r} appears twice")
        rows[code] = row
    return rows


def _row(raw: dict[str, str]) -> tuple[str, RegionRow]:
    """The code and row of one CSV record (all columns present)."""
    code = _text(raw, "code")
    override = _override(raw)
    cap = raw["cap_post_reopen_r"].strip()
    if cap not in ("true", "false"):
        raise ValueError(f"column cap_post_reopen_r: expected true or false, got {cap!r}")
    row = RegionRow(
        fips=_text(raw, "fips"),
        name=_text(raw, "name"),
        population=int(_number(raw, "population", integer=True)),
        reopen_date=_date(raw, "reopen_date"),
        mortality_rate=_number(raw, "mortality_rate"),
        rate_of_inflection=_number(raw, "rate_of_inflection"),
        daily_imports=_number(raw, "daily_imports"),
        lockdown_fatigue=_number(raw, "lockdown_fatigue"),
        ifr_override=override,
        cap_post_reopen_r=cap == "true",
    )
    return code, row


def _text(raw: dict[str, str], column: str) -> str:
    value = raw[column].strip()
    if not value:
        raise ValueError(f"column {column}: empty")
    return value


def _number(raw: dict[str, str], column: str, *, integer: bool = False) -> float:
    """A positive, finite number (an integer if ``integer``)."""
    text = raw[column].strip()
    try:
        value = float(int(text)) if integer else float(text)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise ValueError(f"column {column}: expected {kind}, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise ValueError(f"column {column}: expected a positive number, got {text!r}")
    return value


def _date(raw: dict[str, str], column: str) -> date:
    text = raw[column].strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"column {column}: expected a YYYY-MM-DD date, got {text!r}") from None


def _override(raw: dict[str, str]) -> tuple[float, float] | None:
    """Both IFR override columns, or neither (empty: the constants' defaults)."""
    given = [bool(raw[c].strip()) for c in ("ifr_min_mult", "ifr_daily_mult")]
    if not any(given):
        return None
    if not all(given):
        raise ValueError("columns ifr_min_mult and ifr_daily_mult: give both or neither")
    return _number(raw, "ifr_min_mult"), _number(raw, "ifr_daily_mult")


@cache
def region_table() -> dict[str, RegionRow]:
    """The shipped table ``data/regions.csv``, read and checked once."""
    text = (resources.files("app.core.seir") / "data" / TABLE).read_text(encoding="utf-8")
    return parse_regions(text)


@cache
def _fips_to_code() -> dict[str, str]:
    return {row.fips: code for code, row in region_table().items()}


_V = TypeVar("_V")


class _Loaded(Mapping[str, _V]):
    """A read-only mapping that reads its contents at first use, not at import."""

    def __init__(self, load: Callable[[], Mapping[str, _V]]) -> None:
        self._load = load

    def __getitem__(self, key: str) -> _V:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


REGIONS: Mapping[str, RegionRow] = _Loaded(region_table)
"""Postal code -> row, in the table's order."""
FIPS_TO_CODE: Mapping[str, str] = _Loaded(_fips_to_code)
"""Two-digit FIPS code (``"US"`` for the country) -> postal code."""


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
        cap_post_reopen_r=row.cap_post_reopen_r if row else True,
    )
    if row is not None and row.ifr_override is not None:
        min_mult, daily = row.ifr_override
        constants = replace(constants, ifr_min_mult=min_mult, ifr_daily_mult=daily)
    if fall_wave_2020:
        constants = replace(
            constants, fall_start=US_2020_FALL_START, ifr_fall_start=US_2020_IFR_FALL_START
        )
    return constants
