"""The long format: keys are kept as written and every value keeps its line."""

import math

from app.ingest.long import parse_long
from tests.factories import long_csv


def test_long_file_keeps_unresolved_keys_and_lines() -> None:
    parsed = parse_long(
        long_csv([("2020-03-01", "NY", 1), ("2020-03-02", "NY", 3), ("2020-03-01", "36", 2)])
    )
    block = parsed.blocks[0]
    assert not block.resolved and block.keys == ["36", "NY"]
    assert block.lines == [4, 2]
    assert math.isnan(block.values[0, 1])
