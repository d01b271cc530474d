"""Field types every response shares: UTC timestamps, forecast values without float noise."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

DECIMALS = 3  # deaths and R to a thousandth: 19.499999999997115 is 19.5


def to_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns: they are UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def rounded(value: float) -> float:
    return round(value, DECIMALS) + 0.0  # + 0.0: no -0.0


UtcDatetime = Annotated[
    datetime,
    AfterValidator(to_utc),
    Field(description="UTC, ISO 8601 with Z", examples=["2023-03-10T06:00:00Z"]),
]
Rounded = Annotated[float, AfterValidator(rounded)]
