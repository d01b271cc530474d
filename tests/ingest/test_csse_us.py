"""The CSSE US county file: counties, odd rows and their sums to states and the US."""

import numpy as np

from app.ingest.csse_us import parse_csse_us
from tests.factories import csse_us_county_csv


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
