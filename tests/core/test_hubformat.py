import gzip
from datetime import date
from pathlib import Path

import pytest

from app.core.hubformat import (
    LOCATIONS,
    QUANTILES_23,
    TARGETS,
    HubParseResult,
    HubRow,
    parse_hub_bytes,
    parse_hub_csv,
    write_hub_csv,
)
from app.core.hubtypes import COUNTRY_LOCATIONS, HUB_LOCATIONS

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "forecast_hub"
HEADER = "forecast_date,target,target_end_date,location,location_name,type,quantile,value"
# 2020-05-04 is a Monday: 1 wk ahead ends Saturday 2020-05-09, 2 wk ahead 2020-05-16.
GOOD = [
    "2020-05-04,1 wk ahead inc death,2020-05-09,06,California,point,NA,500",
    "2020-05-04,1 wk ahead inc death,2020-05-09,06,California,quantile,0.025,400",
    "2020-05-04,1 wk ahead inc death,2020-05-09,06,California,quantile,0.5,500",
    "2020-05-04,1 wk ahead inc death,2020-05-09,06,California,quantile,0.975,650.5",
    "2020-05-04,2 wk ahead cum death,2020-05-16,US,US,quantile,0.5,80000",
]


def _text(lines: list[str], header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


def _one_error(result: HubParseResult, line: int, column: str | None, words: str) -> None:
    assert [(e.line, e.column) for e in result.errors] == [(line, column)], result.errors
    assert words in result.errors[0].message


def test_levels_are_symmetric_and_locations_and_targets_complete() -> None:
    assert len(QUANTILES_23) == 23 and QUANTILES_23[11] == 0.5
    assert all(
        abs(a + b - 1) < 1e-12 for a, b in zip(QUANTILES_23, QUANTILES_23[::-1], strict=True)
    )
    assert len(LOCATIONS) == 57 and "US" in LOCATIONS and "03" not in LOCATIONS
    assert "8 wk ahead cum death" in TARGETS and len(TARGETS) == 16


def test_good_file_parses() -> None:
    result = parse_hub_csv(_text(GOOD))
    assert result.ok and len(result.rows) == 5
    assert result.rows[0] == HubRow(
        date(2020, 5, 4), "1 wk ahead inc death", 1, "inc", date(2020, 5, 9), "06", "point",
        None, 500.0,
    )  # fmt: skip
    assert result.rows[4].kind == "cum" and result.rows[4].horizon_weeks == 2


def test_written_rows_parse_back_unchanged() -> None:
    rows = parse_hub_csv(_text(GOOD)).rows
    again = parse_hub_csv(write_hub_csv(rows))
    assert again.ok and again.rows == rows


def test_country_locations_are_195_iso2_codes() -> None:
    assert len(COUNTRY_LOCATIONS) == 195 and len(set(COUNTRY_LOCATIONS)) == 195
    assert all(len(c) == 2 and c.isalpha() and c.isupper() for c in COUNTRY_LOCATIONS)
    assert {"FR", "DE", "GB", "CA", "BR"} <= set(COUNTRY_LOCATIONS)
    assert not {"US", "UK", "EU", "AQ", "PR", "ZZ"} & set(COUNTRY_LOCATIONS)
    assert set(LOCATIONS) | set(COUNTRY_LOCATIONS) == HUB_LOCATIONS and len(HUB_LOCATIONS) == 252


def _country_rows(location: str, made: str = "2020-06-01", end: str = "2020-06-06") -> list[str]:
    """A full 1 wk ahead inc death forecast: the point row and the 23 quantiles (made up)."""
    target = f"{made},1 wk ahead inc death,{end},{location},{location}"
    values = [100 + 10 * i for i in range(len(QUANTILES_23))]
    return [f"{target},point,NA,{values[11]}"] + [
        f"{target},quantile,{q},{v}" for q, v in zip(QUANTILES_23, values, strict=True)
    ]


def test_country_rows_parse() -> None:
    result = parse_hub_csv(_text([*GOOD, *_country_rows("FR"), *_country_rows("DE")]))
    assert result.ok, result.errors[:3]
    countries = [r for r in result.rows if r.location in ("FR", "DE")]
    assert len(countries) == 48 and {r.location for r in countries} == {"FR", "DE"}
    assert countries[0] == HubRow(
        date(2020, 6, 1), "1 wk ahead inc death", 1, "inc", date(2020, 6, 6), "FR", "point",
        None, 210.0,
    )  # fmt: skip
    assert [r.quantile for r in countries[1:24]] == list(QUANTILES_23)


def test_written_country_rows_parse_back_unchanged() -> None:
    rows = parse_hub_csv(_text(_country_rows("GB") + _country_rows("US"))).rows
    text = write_hub_csv(rows)
    assert ",GB,point,NA,210.0\n" in text
    again = parse_hub_csv(text)
    assert again.ok and again.rows == rows and len(rows) == 48


@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("ZZ", "unknown location 'ZZ'"),  # two letters, but no country
        ("XX", "ISO 3166-1 alpha-2"),
        ("UK", "unknown location 'UK'"),  # the United Kingdom is GB
        ("EU", "unknown location 'EU'"),
        ("AQ", "unknown location 'AQ'"),  # in the registry, but not a country
        ("fr", "did you mean 'FR'?"),
        ("CA-ON", "unknown location 'CA-ON'"),  # provinces have no hub location
        ("US-36061", "unknown location"),  # nor counties
        ("FRA", "unknown location"),
    ],
)
def test_unknown_country_location_is_an_error_at_its_line(location: str, words: str) -> None:
    bad = _country_rows(location)[3]
    result = parse_hub_csv(_text([*GOOD[:2], bad, *GOOD[2:], *_country_rows("FR")]))
    _one_error(result, 4, "location", words)
    assert len(result.rows) == 5 + 24


@pytest.mark.parametrize(
    ("header", "column", "words"),
    [
        (HEADER.replace(",value", ""), "value", "missing column"),
        (HEADER + ",extra", "extra", "unknown column"),
        (HEADER.replace("location_name", "target"), "target", "duplicate column"),
    ],
)
def test_bad_header_is_an_error_at_line_one_naming_the_column(
    header: str, column: str, words: str
) -> None:
    _one_error(parse_hub_csv(_text([], header)), 1, column, words)


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("2020-13-04,1 wk ahead inc death,2020-05-09,06,CA,point,NA,5", "forecast_date", "date"),
        ("2020-05-04,1 wk ahead inc death,9 May 2020,06,CA,point,NA,5", "target_end_date", "date"),
        ("2020-05-04,1 wk ahead inc case,2020-05-09,06,CA,point,NA,5", "target", "unknown target"),
        ("2020-05-04,9 wk ahead inc death,2020-07-04,06,CA,point,NA,5", "target", "unknown target"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,6,CA,point,NA,5", "location", "'06'"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,03,CA,point,NA,5", "location", "unknown"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,06,CA,mean,NA,5", "type", "'point' or"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,06,CA,quantile,NA,5", "quantile", "allowed"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,06,CA,quantile,,5", "quantile", "allowed"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,06,CA,point,0.5,5", "quantile", "NA"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,06,CA,quantile,0.33,5", "quantile", "0.33"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,06,CA,point,NA,many", "value", "number"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,06,CA,point,NA,-1", "value", ">= 0"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,06,CA,point,NA,NaN", "value", "finite"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,06,CA,point,NA,inf", "value", "finite"),
        ("2020-05-04,2 wk ahead inc death,2020-05-09,06,CA,point,NA,5", "target_end_date", "05-16"),
        ("2020-05-05,1 wk ahead inc death,2020-05-09,06,CA,point,NA,5", "target_end_date", "05-16"),
        ("2020-05-04,1 wk ahead inc death,2020-05-09,06,CA,point,NA", None, "expected 8 fields"),
    ],
)
def test_bad_row_reported_at_its_line(row: str, column: str | None, words: str) -> None:
    result = parse_hub_csv(_text([*GOOD[:2], row, *GOOD[2:]]))
    _one_error(result, 4, column, words)  # header = 1, two good rows, then the bad one
    assert len(result.rows) == 5


def test_duplicate_row_names_the_first_line() -> None:
    result = parse_hub_csv(_text([*GOOD, GOOD[2].replace(",500", ",501")]))
    _one_error(result, 7, None, "first at line 4")


def test_quantiles_must_not_decrease() -> None:
    bad = GOOD[3].replace("650.5", "450")  # q0.975 = 450 < q0.5 = 500
    result = parse_hub_csv(_text([*GOOD[:3], bad]))
    _one_error(result, 5, "value", "decrease")


def test_quoted_newline_keeps_file_line_numbers() -> None:
    quoted = GOOD[0].replace("California", '"Cali\nfornia"')
    result = parse_hub_csv(_text([quoted, GOOD[1].replace("0.025", "0.3333")]))
    _one_error(result, 4, "quantile", "0.3333")  # the quoted row spans lines 2-3


def test_empty_or_header_only_file_is_an_error() -> None:
    _one_error(parse_hub_csv(""), 1, None, "empty file")
    _one_error(parse_hub_csv("\n\n"), 1, None, "empty file")
    _one_error(parse_hub_csv(HEADER + "\n"), 1, None, "no forecast rows")


def test_bytes_with_bom_or_gzip_parse_and_bad_encodings_are_errors() -> None:
    raw = _text(GOOD).encode()
    assert parse_hub_bytes(b"\xef\xbb\xbf" + raw).ok
    assert parse_hub_bytes(gzip.compress(raw)).rows == parse_hub_csv(_text(GOOD)).rows
    latin1 = _text([*GOOD[:2], GOOD[2].replace("California", "Califórnia")]).encode("latin-1")
    _one_error(parse_hub_bytes(latin1), 4, None, "not UTF-8")
    _one_error(parse_hub_bytes(b"\x1f\x8b\x08garbage"), 1, None, "corrupt gzip")


def test_reference_date_files_parse_and_check_target_end_dates() -> None:
    header = "reference_date,target,target_end_date,location,type,quantile,value"
    good = "2020-05-02,2 wk ahead inc death,2020-05-16,36,quantile,0.5,100"
    result = parse_hub_csv(_text([good], header))
    assert result.ok and result.date_column == "reference_date"
    assert result.rows[0].forecast_date == date(2020, 5, 2)
    bad = good.replace("2020-05-16", "2020-05-23")  # reference_date + 7*2 = 2020-05-16
    _one_error(parse_hub_csv(_text([bad], header)), 2, "target_end_date", "2020-05-16")


def _real_files() -> list[Path]:
    return sorted(
        [
            *(DATA / "forecasts" / "YYG-ParamSearch").glob("*.csv"),
            *(DATA / "forecasts" / "COVIDhub-ensemble").glob("*.csv"),
            *(DATA / "viz_weekly_inc_death").glob("*.csv.gz"),
        ]
    )


def test_real_files_are_found() -> None:
    assert len(_real_files()) == 19 + 11 + 4


@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.name)
def test_real_hub_files_parse_without_errors(path: Path) -> None:
    result = parse_hub_bytes(path.read_bytes())
    assert result.errors == []
    n_lines = (
        len(gzip.decompress(path.read_bytes()).splitlines())
        if path.suffix == ".gz"
        else (len(path.read_bytes().splitlines()))
    )
    assert len(result.rows) == n_lines - 1
