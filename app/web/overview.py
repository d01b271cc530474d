"""The home page's table: every listed region with its published forecast at a glance."""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy.orm import Session

from app.core.targets import Target
from app.core.types import FloatArray
from app.services.fits import PublishedCache, forecast_rows
from app.services.records import Fit, Region
from app.services.regions import last_observed_all, list_regions, observed_series, region_by_code
from app.web.quantiles import Interval, by_target, interval

HORIZON_DAYS = 28  # "next 4 weeks"
SPARK_WEEKS = 12  # observed weeks drawn before the forecast in the sparkline
LEVEL_CHOICES = {"us": "US and US states", "country": "Countries"}


@dataclass(frozen=True, slots=True)
class Sparkline:
    """SVG polyline points (viewBox 0 0 120 32): observed, forecast median, 95% band."""

    observed: str
    median: str
    band: str


@dataclass(frozen=True, slots=True)
class OverviewRow:
    code: str
    name: str
    level: str
    last_date: date | None
    flags: int | None
    fit_id: int | None = None
    forecast_date: date | None = None
    next4: Interval | None = None
    trend: str = ""  # "up", "down", "flat" or "" (no forecast)
    spark: Sparkline | None = None


def by_name(region: Region) -> str:
    """Sort key: the shown name, ignoring case and accents ("Côte d'Ivoire" among the Cs)."""
    decomposed = unicodedata.normalize("NFKD", region.name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def listed_regions(session: Session, level: str) -> list[Region]:
    """The home page's rows in name order (the US first on its level)."""
    if level == "country":
        rows, _ = list_regions(session, "country", None, None, 1000, 0)
        return sorted(rows, key=by_name)
    us = region_by_code(session, "US")
    states, _ = list_regions(session, "state", "US", None, 1000, 0)
    return ([us] if us else []) + sorted(states, key=by_name)


def _trend(next4: float, last4: float) -> str:
    if next4 > 1.1 * last4 + 1:
        return "up"
    if next4 < 0.9 * last4 - 1:
        return "down"
    return "flat"


def _points(values: Sequence[float], start: int, total: int, top: float) -> str:
    step = 120 / max(total - 1, 1)
    return " ".join(
        f"{(start + i) * step:.1f},{31 - 30 * v / top:.1f}" for i, v in enumerate(values)
    )


def _sparkline(smoothed: FloatArray, end: int, days: Sequence[Interval]) -> Sparkline:
    """Daily deaths (smoothed) every 7th day up to ``end``, then the forecast days 7..28."""
    picks = [end - 7 * k for k in range(SPARK_WEEKS, -1, -1) if end - 7 * k >= 0]
    seen = [max(float(smoothed[i]), 0.0) for i in picks]
    ahead = [days[i] for i in range(6, min(len(days), HORIZON_DAYS), 7)]
    top = max([*seen, *(d.hi95 for d in ahead), 1.0])
    n = len(seen)
    total = n + len(ahead)
    median = [seen[-1], *(d.median for d in ahead)] if seen else []
    upper = [seen[-1], *(d.hi95 for d in ahead)] if seen else []
    lower = [seen[-1], *(max(d.lo95, 0.0) for d in ahead)] if seen else []
    band = _band(upper, lower, n - 1, total, top) if ahead and seen else ""
    return Sparkline(
        observed=_points(seen, 0, total, top),
        median=_points(median, n - 1, total, top) if ahead else "",
        band=band,
    )


def _band(upper: list[float], lower: list[float], start: int, total: int, top: float) -> str:
    top_edge = _points(upper, start, total, top).split()
    bottom_edge = _points(lower, start, total, top).split()
    return " ".join(top_edge + bottom_edge[::-1])


def _with_forecast(
    row: OverviewRow, fit: Fit, session: Session, smoothed: FloatArray, dates: list[date]
) -> OverviewRow:
    end = fit.data_end_date + timedelta(HORIZON_DAYS)
    grouped = by_target(forecast_rows(session, fit, [Target.INC_DAY, Target.CUM_DAY], end))
    daily = [interval(r) for r in grouped.get(Target.INC_DAY, [])]
    cumulative = grouped.get(Target.CUM_DAY, [])
    if len(cumulative) < HORIZON_DAYS or not daily:
        return row
    first = cumulative[0].target_date
    next4 = interval(cumulative[HORIZON_DAYS - 1]).shifted(fit.last_cumulative)
    stop = min((first - dates[0]).days, len(smoothed)) if dates else 0
    last4 = float(np.sum(smoothed[max(stop - HORIZON_DAYS, 0) : stop])) if stop > 0 else 0.0
    spark = _sparkline(smoothed, stop - 1, daily) if stop > 0 else None
    return OverviewRow(
        code=row.code,
        name=row.name,
        level=row.level,
        last_date=row.last_date,
        flags=row.flags,
        fit_id=fit.id,
        forecast_date=fit.forecast_date,
        next4=next4,
        trend=_trend(next4.median, last4),
        spark=spark,
    )


# Rows per level: the cleaning of every listed series (about 40 ms a region) is redone only
# when new data or a new forecast arrives.
_ROWS: PublishedCache[list[OverviewRow]] = PublishedCache(size=16)


def overview(session: Session, level: str) -> list[OverviewRow]:
    """Rows for the listed regions; forecasts only where one is published."""
    return _ROWS.get(session, level, lambda state: _rows(session, state.published, level))


def _rows(session: Session, published: dict[int, Fit], level: str) -> list[OverviewRow]:
    last_dates = last_observed_all(session, "deaths")
    out: list[OverviewRow] = []
    for region in listed_regions(session, level):
        last = last_dates.get(region.id)
        if last is None:
            out.append(OverviewRow(region.code, region.name, region.level, None, None))
            continue
        obs = observed_series(session, region, "deaths", None)
        row = OverviewRow(region.code, region.name, region.level, last, len(obs.cleaned.flags))
        fit = published.get(region.id)
        if fit is not None:
            row = _with_forecast(row, fit, session, obs.cleaned.smoothed_daily, obs.dates)
        out.append(row)
    return out
