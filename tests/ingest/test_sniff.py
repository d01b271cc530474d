"""Format sniffing, series inference and `parse` on a real CSSE states file (no database)."""

from datetime import date

import pytest

from app.errors import AppError
from app.ingest.sniff import FileFormat, Series, infer_series, parse, sniff_format
from tests.factories import SHARED_DATA

CSSE = SHARED_DATA / "csse"


def test_state_file_matches_known_values() -> None:
    text = (CSSE / "time_series_covid19_deaths_US_states_from_daily_reports.csv").read_text()
    parsed = parse(text, FileFormat.AUTO, "deaths.csv", None)
    block = parsed.blocks[0]
    ny = block.keys.index("US-NY")
    assert block.values[ny, block.dates.index(date(2020, 6, 1))] == 29771
    assert len(block.keys) == 57  # 56 states and territories + US


def test_format_is_sniffed_from_the_header_and_series_from_the_name() -> None:
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
