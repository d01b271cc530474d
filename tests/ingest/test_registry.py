"""Consistency checks for the bundled region tables in ``app/ingest/data/``.

The tables are checked against the real JHU CSSE files in the shared data folder: every
``Country/Region`` and every ``(Country/Region, Province/State)`` pair of the global deaths file
must have exactly one row, and the 56 US states/territories must match the US states file.
"""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "app" / "ingest" / "data"
SHARED_CSSE = REPO_ROOT.parent / "shared" / "data" / "csse"
GLOBAL_DEATHS = SHARED_CSSE / "time_series_covid19_deaths_global.csv"
US_STATES_DEATHS = SHARED_CSSE / "time_series_covid19_deaths_US_states_from_daily_reports.csv"

# Country `US`; subdivision `US-NY`, `AU-NSW`, `CN-HB`; county `US-36061`; user-assigned codes for
# rows that are not ISO regions: `XX-MS-ZAANDAM`, `CA-XX-GRAND-PRINCESS`, `CN-XX-UNKNOWN`.
CODE_RE = re.compile(
    r"^(?:[A-Z]{2}(?:-(?:[A-Z0-9]{1,3}|[0-9]{5}))?|(?:[A-Z]{2}-)?XX(?:-[A-Z0-9]+)+)$"
)
USER_ASSIGNED_RE = re.compile(r"^(?:[A-Z]{2}-)?XX(?:-[A-Z0-9]+)+$")
ALPHA2_RE = re.compile(r"^[A-Z]{2}$")

US_STATES_HEADER = ["fips", "usps", "name", "code", "kind", "population"]
COUNTRIES_HEADER = ["csse_name", "code", "name", "population", "kind"]
PROVINCES_HEADER = ["csse_country", "csse_province", "code", "name", "kind", "parent"]

Row = dict[str, str]


def _read(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        header = list(reader.fieldnames or [])
    return header, rows


def _table(name: str, header: list[str]) -> list[Row]:
    got_header, rows = _read(DATA_DIR / name)
    assert got_header == header, f"{name}: header {got_header}"
    for i, row in enumerate(rows, start=2):
        assert None not in row, f"{name} line {i}: too many fields"
        assert all(isinstance(v, str) for v in row.values()), f"{name} line {i}: missing fields"
        assert all(v == v.strip() for v in row.values()), f"{name} line {i}: stray whitespace"
    return rows


@pytest.fixture(scope="module")
def us_states() -> list[Row]:
    return _table("us_states.csv", US_STATES_HEADER)


@pytest.fixture(scope="module")
def countries() -> list[Row]:
    return _table("countries.csv", COUNTRIES_HEADER)


@pytest.fixture(scope="module")
def provinces() -> list[Row]:
    return _table("provinces.csv", PROVINCES_HEADER)


@pytest.fixture(scope="module")
def global_pairs() -> list[tuple[str, str]]:
    if not GLOBAL_DEATHS.exists():
        pytest.skip(f"shared CSSE data not available: {GLOBAL_DEATHS}")
    with GLOBAL_DEATHS.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header[:2] == ["Province/State", "Country/Region"]
        return [(row[1], row[0]) for row in reader]


@pytest.fixture(scope="module")
def csse_us_states() -> list[Row]:
    if not US_STATES_DEATHS.exists():
        pytest.skip(f"shared CSSE data not available: {US_STATES_DEATHS}")
    return _read(US_STATES_DEATHS)[1]


def _duplicates(values: list[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)


def _is_population(text: str) -> bool:
    return text == "" or (text.isdigit() and not text.startswith("0") and int(text) > 0)


def test_every_csse_country_has_exactly_one_row(
    countries: list[Row], global_pairs: list[tuple[str, str]]
) -> None:
    names = [r["csse_name"] for r in countries]
    assert _duplicates(names) == []
    assert set(names) == {country for country, _ in global_pairs}


def test_every_csse_province_has_exactly_one_row(
    provinces: list[Row], global_pairs: list[tuple[str, str]]
) -> None:
    keys = [f"{r['csse_country']}|{r['csse_province']}" for r in provinces]
    assert _duplicates(keys) == []
    assert all(r["csse_province"] for r in provinces)
    expected = [f"{country}|{province}" for country, province in global_pairs if province]
    assert _duplicates(expected) == []
    assert set(keys) == set(expected)


def test_codes_unique_within_and_across_tables(
    us_states: list[Row], countries: list[Row], provinces: list[Row]
) -> None:
    for table in (us_states, countries, provinces):
        assert _duplicates([r["code"] for r in table]) == []
    every = [r["code"] for r in (*us_states, *countries, *provinces)]
    assert _duplicates(every) == []


@pytest.mark.parametrize(
    "code",
    [
        "US",
        "AQ",
        "US-NY",
        "AU-NSW",
        "CN-HB",
        "US-36061",
        "XX-MS-ZAANDAM",
        "XX-SUMMER-OLYMPICS-2020",
        "CA-XX-GRAND-PRINCESS",
        "CN-XX-UNKNOWN",
    ],
)
def test_code_pattern_accepts_well_formed_codes(code: str) -> None:
    assert CODE_RE.match(code)


@pytest.mark.parametrize(
    "code",
    ["", "us", "USA", "US-", "US-NYCX", "US-3606", "XX-", "CA-XX-", "CA--X", "US-NY-", "U-S"],
)
def test_code_pattern_rejects_malformed_codes(code: str) -> None:
    assert not CODE_RE.match(code)


def test_every_table_code_is_well_formed(
    us_states: list[Row], countries: list[Row], provinces: list[Row]
) -> None:
    bad = [r["code"] for r in (*us_states, *countries, *provinces) if not CODE_RE.match(r["code"])]
    assert bad == []


def test_countries_have_iso2_or_user_assigned_codes(countries: list[Row]) -> None:
    for r in countries:
        assert r["name"], r
        assert r["kind"] in ("country", "other"), r
        if r["kind"] == "country":
            assert ALPHA2_RE.match(r["code"]), r
        else:
            assert r["code"] == "AQ" or USER_ASSIGNED_RE.match(r["code"]), r
    by_name = {r["csse_name"]: r["code"] for r in countries}
    assert by_name["US"] == "US"
    assert by_name["Korea, South"] == "KR"
    assert by_name["Taiwan*"] == "TW"
    assert by_name["Kosovo"] == "XK"


def test_provinces_have_codes_under_their_parent_country(
    countries: list[Row], provinces: list[Row]
) -> None:
    country_code = {r["csse_name"]: r["code"] for r in countries}
    for r in provinces:
        parent = r["parent"]
        assert r["name"], r
        assert parent == country_code[r["csse_country"]], r
        if r["kind"] == "state":
            assert re.match(rf"^{parent}-[A-Z0-9]{{1,3}}$", r["code"]), r
        elif r["kind"] == "territory":
            assert ALPHA2_RE.match(r["code"]) and r["code"] != parent, r
        else:
            assert r["kind"] == "other", r
            assert r["code"].startswith(f"{parent}-XX-"), r


def test_us_states_match_csse(us_states: list[Row], csse_us_states: list[Row]) -> None:
    assert len(us_states) == 56
    assert len(csse_us_states) == 56
    ours = {r["fips"]: r for r in us_states}
    theirs = {r["FIPS"]: r for r in csse_us_states}
    assert set(ours) == set(theirs)
    for fips, r in ours.items():
        src = theirs[fips]
        assert re.match(r"^[0-9]{2}$", fips), r
        assert r["name"] == src["Province_State"], r
        assert r["population"] == str(int(src["Population"])), r
        assert ALPHA2_RE.match(r["usps"]), r
        assert r["code"] == f"US-{r['usps']}", r
        if src["iso2"] != "US":  # territories carry their own ISO alpha-2 in CSSE
            assert r["usps"] == src["iso2"], r
    assert _duplicates([r["usps"] for r in us_states]) == []
    kinds = Counter(r["kind"] for r in us_states)
    assert kinds == {"state": 50, "district": 1, "territory": 5}
    assert {r["usps"] for r in us_states if r["kind"] == "territory"} == {
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
    }
    assert ours["11"]["usps"] == "DC" and ours["11"]["kind"] == "district"
    assert ours["36"]["usps"] == "NY" and ours["36"]["name"] == "New York"


def test_populations_are_positive_or_empty(us_states: list[Row], countries: list[Row]) -> None:
    bad = [r for r in (*us_states, *countries) if not _is_population(r["population"])]
    assert bad == []
    assert all(r["population"] for r in us_states)


def test_us_population_is_sum_of_states(us_states: list[Row], countries: list[Row]) -> None:
    us = next(r for r in countries if r["csse_name"] == "US")
    assert int(us["population"]) == sum(int(r["population"]) for r in us_states)
