"""Decoding uploaded bytes: gzip round trip and a truncated file."""

import pytest

from app.errors import AppError
from app.ingest.decode import decode_bytes, gzip_bytes


def test_gzip_round_trips_and_a_truncated_file_is_refused() -> None:
    data = gzip_bytes("date,location,cum_deaths\n2020-03-01,NY,1\n")
    assert decode_bytes(data, 10_000).startswith("date")
    with pytest.raises(AppError, match="truncated"):
        decode_bytes(data[: len(data) // 2], 10_000)
