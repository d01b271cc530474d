"""The region table as data: the shipped CSV holds what the code held, and bad rows fail clearly."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

import pytest

from app.core.seir import RegionConstants, region_constants_for
from app.core.seir.regions import (
    COLUMNS,
    FIPS_TO_CODE,
    REGIONS,
    US_2020_FALL_START,
    US_2020_IFR_FALL_START,
    RegionRow,
    parse_regions,
    region_table,
)

REPO = Path(__file__).resolve().parents[3]
# The 50 states, DC, GU, MP, PR, VI and the country, in the order of the former code table.
# fmt: off
CODES = [
    "AK", "AL", "US", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI", "IA",
    "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP", "MS", "MT",
    "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR", "RI", "SC",
    "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY",
]
# fmt: on
HEADER = ",".join(COLUMNS)
NY = "NY,36,New York,19453561,2020-06-01,0.0125,0.461,1157.7,1.1,,,true"


def test_every_region_of_the_former_table_in_its_order() -> None:
    assert list(REGIONS) == CODES
    assert len(FIPS_TO_CODE) == len(CODES)
    assert FIPS_TO_CODE["36"] == "NY" and FIPS_TO_CODE["US"] == "US"
    assert FIPS_TO_CODE["11"] == "DC" and FIPS_TO_CODE["78"] == "VI"


def test_known_rows_equal_the_former_code_values() -> None:
    assert REGIONS["NY"] == RegionRow(
        "36", "New York", 19453561, date(2020, 6, 1), 0.0125, 0.461, 1157.7, 1.1
    )
    assert REGIONS["US"] == RegionRow(
        "US", "US", 331814684, date(2020, 5, 10), 0.01, 0.352, 1089.9, 1.0
    )
    assert REGIONS["DC"].name == "District of Columbia"
    assert REGIONS["NJ"].lockdown_fatigue == 1.025 and REGIONS["IL"].lockdown_fatigue == 0.95
    assert REGIONS["UT"].mortality_rate == 0.004 and REGIONS["MP"].daily_imports == 1.6
    assert isinstance(REGIONS["AK"].population, int)


def test_ifr_overrides_and_the_uncapped_region() -> None:
    overrides = {code: row.ifr_override for code, row in REGIONS.items() if row.ifr_override}
    assert overrides == {
        "CT": (0.15, 0.99),
        "MA": (0.5, 0.995),
        "ND": (0.6, 0.995),
        "RI": (0.4, 0.995),
    }
    assert [code for code, row in REGIONS.items() if not row.cap_post_reopen_r] == ["WI"]


def test_constants_for_table_and_unknown_regions() -> None:
    first_death = date(2020, 3, 10)
    base = RegionConstants(
        population=3565287.0,
        first_date=date(2020, 2, 15),
        reopen_date=date(2020, 6, 1),
        fall_start=US_2020_FALL_START,
        ifr_fall_start=US_2020_IFR_FALL_START,
    )
    ct = region_constants_for("CT", first_death=first_death)
    assert ct == replace(base, ifr_min_mult=0.15, ifr_daily_mult=0.99)
    wi = region_constants_for("WI", first_death=first_death)
    assert not wi.cap_post_reopen_r and wi.ifr_min_mult == 0.3 and wi.population == 5822434.0
    other = region_constants_for("XX", 1000.0, first_death, fall_wave_2020=False)
    assert other == RegionConstants(
        population=1000.0, first_date=date(2020, 2, 15), reopen_date=date(2020, 6, 14)
    )
    with pytest.raises(ValueError, match="unknown region 'XX': population is required"):
        region_constants_for("XX", first_death=first_death)


def test_table_is_read_once() -> None:
    assert region_table() is region_table()


def test_the_table_is_package_data() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["app"]
    assert any(fnmatch("core/seir/data/regions.csv", p) for p in patterns)
    assert (REPO / "app" / "core" / "seir" / "data" / "README.md").is_file()


def test_parses_a_well_formed_table() -> None:
    ct = "CT,09,Connecticut,3565287,2020-06-01,0.025,0.317,424.7,1.0,0.15,0.99,true"
    text = f"{HEADER}\n{NY}\n{ct}\n"
    rows = parse_regions(text)
    assert list(rows) == ["NY", "CT"]
    assert rows["NY"] == REGIONS["NY"] and rows["CT"] == REGIONS["CT"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (NY.replace("19453561", "19.4e6"), "line 2: column population: expected an integer"),
        (NY.replace("0.461", "fast"), "line 2: column rate_of_inflection: expected a number"),
        (NY.replace("0.0125", "-0.01"), "line 2: column mortality_rate: expected a positive"),
        (NY.replace("2020-06-01", "06/01/2020"), "line 2: column reopen_date: expected a YYYY"),
        (NY.replace(",,,true", ",0.5,,true"), "line 2: columns ifr_min_mult and ifr_daily_mult"),
        (NY.replace(",true", ",yes"), "line 2: column cap_post_reopen_r: expected true or false"),
        (NY.replace("New York", ""), "line 2: column name: empty"),
        (NY.rsplit(",", 1)[0], "line 2: expected 12 values"),
        (NY + ",extra", "line 2: expected 12 values"),
        (f"{NY}\n{NY}", "line 3: region 'NY' appears twice"),
    ],
)
def test_a_malformed_row_names_its_line_and_column(row: str, message: str) -> None:
    with pytest.raises(ValueError, match=rf"^regions\.csv {message}"):
        parse_regions(f"{HEADER}\n{row}\n")


def test_a_wrong_header_is_refused() -> None:
    header = HEADER.replace("population,", "people,")
    with pytest.raises(
        ValueError, match=r"^my\.csv: expected the columns code,fips,name,population"
    ):
        parse_regions(f"{header}\n{NY}\n", source="my.csv")
