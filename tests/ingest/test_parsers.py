"""Parsers on real CSSE files and on small hand-made ones (no database)."""

import gzip
import math
from datetime import date

import numpy as np
import pytest

from app.errors import AppError
from app.ingest.csse_us import parse_csse_us
from app.ingest.decode import to_text, unpack
from app.ingest.long import parse_long
from app.ingest.sniff import FileFormat, Series, infer_series, parse, sniff_format
from tests.conftest import SHARED_DATA
from tests.factories import csse_us_county_csv, long_csv

CSSE = SHARED_DATA / "csse"


def _block(parsed: object, code: str) -> tuple[int, np.ndarray]:
    for block in parsed.blocks:  # type: ignore[attr-defined]
        if code in block.keys:
            return block.keys.index(code), block.values
    raise AssertionError(code)


def test_county_file_aggregates_to_states_and_us_with_odd_rows() -> None:
    parsed = parse_csse_us(csse_us_county_csv(), "deaths")
    codes = {r.code: r for r in parsed.regions}
    assert codes["US-36061"].level == "county"
    assert codes["US-90036"].level == "other" and codes["US-90036"].parent_code == "US-NY"
    assert codes["US-80036"].level == "other"
    assert codes["US-MI-XX-MICHIGAN-DEPARTMENT-OF-CORRECTIONS-MDOC"].parent_code == "US-MI"
    assert codes["US-XX-DIAMOND-PRINCESS"].parent_code == "US"
    i, values = _block(parsed, "US-NY")
    assert values[i].tolist() == [1, 3, 5, 9, 13]  # county + Unassigned + Out of NY
    i, values = _block(parsed, "US-MI")
    assert values[i].tolist() == [0, 1, 2, 2, 2]
    i, values = _block(parsed, "US")
    assert values[i].tolist() == [1, 4, 7, 12, 16]  # every row, the ship included


def test_state_file_matches_known_values() -> None:
    text = (CSSE / "time_series_covid19_deaths_US_states_from_daily_reports.csv").read_text()
    parsed = parse(text, FileFormat.AUTO, "deaths.csv", None)
    block = parsed.blocks[0]
    ny = block.keys.index("US-NY")
    assert block.values[ny, block.dates.index(date(2020, 6, 1))] == 29771
    assert len(block.keys) == 57  # 56 states and territories + US


def test_long_file_keeps_unresolved_keys_and_lines() -> None:
    parsed = parse_long(
        long_csv([("2020-03-01", "NY", 1), ("2020-03-02", "NY", 3), ("2020-03-01", "36", 2)])
    )
    block = parsed.blocks[0]
    assert not block.resolved and block.keys == ["36", "NY"]
    assert block.lines == [4, 2]
    assert math.isnan(block.values[0, 1])


def test_sniffing_and_series_inference() -> None:
    assert (
        sniff_format("Province/State,Country/Region,Lat,Long,1/22/20\n") is FileFormat.CSSE_GLOBAL
    )
    assert sniff_format("UID,Province_State,Country_Region,1/22/20\n") is FileFormat.CSSE_US
    assert sniff_format("date,location,cum_deaths\n") is FileFormat.LONG
    assert (
        sniff_format("Province_State,Country_Region,Last_Update,Deaths\n") is FileFormat.CSSE_DAILY
    )
    assert infer_series("time_series_covid19_confirmed_US.csv", None) is Series.CASES
    with pytest.raises(AppError, match="deaths or cases"):
        infer_series("upload.csv", None)


def test_gzip_round_trip_and_truncation() -> None:
    data = gzip.compress(b"date,location,cum_deaths\n2020-03-01,NY,1\n", mtime=0)
    assert to_text(unpack(data, 10_000)).startswith("date")
    with pytest.raises(AppError, match="truncated"):
        unpack(data[: len(data) // 2], 10_000)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Province/State,Country/Region,Lat,Long\n,France,0,0\n", "no date columns"),
        (
            "Province/State,Country/Region,Lat,Long,1/22/20,1/35/20\n,France,0,0,1,2\n",
            "bad date columns",
        ),
        (
            "Province/State,Country/Region,Lat,Long,1/22/20,1/22/20\n,France,0,0,1,2\n",
            "bad date columns",
        ),
        ("Province/State,Country/Region,Lat,Long,1/22/20\n,Atlantis,0,0,1\n", "bad rows"),
        ("Province/State,Country/Region,Lat,Long,1/22/20\n,France,0,0,x\n", "bad rows"),
        ("Province/State,Country/Region,Lat,Long,1/22/20\n,France,0,0,-4\n", "bad rows"),
        (
            "Province/State,Country/Region,Lat,Long,1/22/20\n,France,0,0,1\n,France,0,0,1\n",
            "bad rows",
        ),
    ],
)
def test_global_file_errors_name_the_place(text: str, message: str) -> None:
    with pytest.raises(AppError, match=message) as info:
        parse(text, FileFormat.AUTO, "deaths.csv", None)
    assert info.value.status == 422
    assert info.value.problems, "each error names its line or column"
