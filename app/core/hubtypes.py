"""Forecast Hub CSV vocabulary: quantile levels, targets, locations, and the row types
(``app/core/hubformat.py`` parses and writes them)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

QUANTILES_23: tuple[float, ...] = (
    0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5,
    0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.975, 0.99,
)  # fmt: skip
MAX_WEEKS = 8
TARGETS: tuple[str, ...] = tuple(
    f"{n} wk ahead {kind} death" for kind in ("inc", "cum") for n in range(1, MAX_WEEKS + 1)
)
# 50 states + DC (2-digit FIPS), the five inhabited territories (AS, GU, MP, PR, VI), and US.
LOCATIONS: tuple[str, ...] = (
    "01", "02", "04", "05", "06", "08", "09", "10", "11", "12", "13", "15", "16", "17", "18",
    "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33",
    "34", "35", "36", "37", "38", "39", "40", "41", "42", "44", "45", "46", "47", "48", "49",
    "50", "51", "53", "54", "55", "56", "60", "66", "69", "72", "78", "US",
)  # fmt: skip
HEADER: tuple[str, ...] = (
    "forecast_date", "target", "target_end_date", "location", "type", "quantile", "value",
)  # fmt: skip

Kind = Literal["inc", "cum"]
RowType = Literal["point", "quantile"]


@dataclass(frozen=True, slots=True)
class HubRow:
    """One forecast value; ``quantile`` is None for point rows."""

    forecast_date: date
    target: str
    horizon_weeks: int
    kind: Kind
    target_end_date: date
    location: str
    type: RowType
    quantile: float | None
    value: float


@dataclass(frozen=True, slots=True)
class HubError:
    """A problem at a 1-based file line (header = 1); ``column`` is None for whole-row issues."""

    line: int
    column: str | None
    message: str


@dataclass(slots=True)
class HubParseResult:
    """Valid rows, and every error found; the file is acceptable only when ``errors`` is empty."""

    rows: list[HubRow] = field(default_factory=list)
    errors: list[HubError] = field(default_factory=list)
    date_column: str = "forecast_date"

    @property
    def ok(self) -> bool:
        """True when the file has no errors."""
        return not self.errors
