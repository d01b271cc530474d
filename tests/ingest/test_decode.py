"""Decoding uploaded bytes: gzip round trip and a truncated file."""

import gzip

import pytest

from app.errors import AppError
from app.ingest.decode import to_text, unpack


def test_gzip_round_trips_and_a_truncated_file_is_refused() -> None:
    data = gzip.compress(b"date,location,cum_deaths\n2020-03-01,NY,1\n", mtime=0)
    assert to_text(unpack(data, 10_000)).startswith("date")
    with pytest.raises(AppError, match="truncated"):
        unpack(data[: len(data) // 2], 10_000)
