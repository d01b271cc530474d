"""What every parser produces: region records and blocks of cumulative series."""

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from app.core.types import FloatArray

SERIES = ("deaths", "cases")


@dataclass(frozen=True, slots=True)
class RegionRecord:
    """A region as described by a data file or the bundled registry tables."""

    code: str
    name: str
    level: str  # country | state | county | other
    kind: str  # country | state | district | territory | county | other
    parent_code: str | None = None
    population: int | None = None
    fips: str | None = None
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SeriesBlock:
    """Cumulative counts of one series.

    Attributes:
        series: ``deaths`` or ``cases``.
        keys: region codes (``resolved=True``) or location strings still to resolve, (n_keys,).
        dates: the column dates, strictly increasing, (n_dates,).
        values: float array of shape (n_keys, n_dates), people; NaN where the file has no value.
        lines: the file line each key was first read from, (n_keys,), for error messages.
        resolved: whether ``keys`` are already canonical region codes.
    """

    series: str
    keys: list[str]
    dates: list[date]
    values: FloatArray
    lines: list[int]
    resolved: bool = True

    def __post_init__(self) -> None:
        if self.values.shape != (len(self.keys), len(self.dates)):
            raise ValueError(f"values shape {self.values.shape} != keys x dates")


@dataclass(frozen=True, slots=True)
class ParsedFile:
    format: str
    rows_read: int
    blocks: list[SeriesBlock]
    regions: list[RegionRecord] = field(default_factory=list)

    @property
    def values_read(self) -> int:
        return int(sum(np.count_nonzero(~np.isnan(b.values)) for b in self.blocks))
