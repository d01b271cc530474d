"""Long id lists in ``IN (...)`` queries, a bounded number at a time."""

from collections.abc import Iterable, Sequence
from typing import Any

CHUNK = 500  # items per query: well under SQLite's and PostgreSQL's parameter limits


def chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    """``items`` in consecutive slices of at most ``CHUNK``."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
