"""Reading the few quantile levels the website shows out of stored forecast rows."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.core.hubtypes import QUANTILES_5
from app.services.forecasts import LEVELS
from app.services.records import ForecastRow

# The levels drawn and tabulated: 95% and 50% central intervals around the median.
SHOWN = QUANTILES_5
_AT = {level: LEVELS.index(level) for level in SHOWN}


@dataclass(frozen=True, slots=True)
class Interval:
    """Median with its 50% and 95% central intervals."""

    median: float
    lo50: float
    hi50: float
    lo95: float
    hi95: float

    def shifted(self, by: float) -> "Interval":
        return Interval(
            self.median - by, self.lo50 - by, self.hi50 - by, self.lo95 - by, self.hi95 - by
        )


def interval(row: ForecastRow) -> Interval:
    q = row.quantiles
    return Interval(
        median=q[_AT[0.5]],
        lo50=q[_AT[0.25]],
        hi50=q[_AT[0.75]],
        lo95=q[_AT[0.025]],
        hi95=q[_AT[0.975]],
    )


def by_target(rows: Sequence[ForecastRow]) -> dict[str, list[ForecastRow]]:
    """Rows grouped by target, each list in date order."""
    out: dict[str, list[ForecastRow]] = {}
    for row in sorted(rows, key=lambda r: (r.target, r.target_date)):
        out.setdefault(row.target, []).append(row)
    return out


def columns(rows: Sequence[ForecastRow], digits: int = 1) -> dict[str, list[float]]:
    """The shown levels as columns: ``{"0.025": [...], ..., "0.975": [...]}``, rounded."""
    return {str(level): [round(r.quantiles[_AT[level]], digits) for r in rows] for level in SHOWN}


def first_date(rows: Sequence[ForecastRow]) -> date | None:
    return rows[0].target_date if rows else None
