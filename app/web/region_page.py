"""The region page: observed series, published forecast, past fits and provenance, plus the
compact chart payload embedded in the page as JSON (drawn by static/app.js)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.core.cleaning import Flag
from app.core.targets import Target
from app.services.fits import earlier_fits, forecast_rows, published_fit, release_of
from app.services.records import Fit, ForecastRow, Region, Release
from app.services.regions import ObservedSeries, find_region, observed_series
from app.web.quantiles import Interval, by_target, columns, interval

PAST_FITS = 4  # earlier forecasts overlaid on what happened


@dataclass(frozen=True, slots=True)
class WeekRow:
    week_end: date
    incident: Interval
    cumulative: Interval


@dataclass(frozen=True, slots=True)
class DatedFlag:
    date: date
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class RegionPage:
    region: Region
    last_date: date | None
    fit: Fit | None
    release: Release | None
    weeks: list[WeekRow]
    flags: list[DatedFlag]
    past: list[Fit]
    chart: dict[str, Any]


def _observed_payload(obs: ObservedSeries) -> dict[str, Any]:
    if not obs.dates:
        return {"start": None, "raw": [], "smooth": [], "cum": []}
    return {
        "start": obs.dates[0].isoformat(),
        "raw": [round(float(v)) for v in obs.cleaned.raw_daily],
        "smooth": [round(float(v), 1) for v in obs.cleaned.smoothed_daily],
        "cum": [round(float(v)) for v in obs.cumulative],
    }


def _forecast_payload(grouped: dict[str, list[ForecastRow]]) -> dict[str, Any] | None:
    daily = grouped.get(Target.INC_DAY, [])
    if not daily:
        return None
    payload: dict[str, Any] = {"start": daily[0].target_date.isoformat()}
    for key, target, digits in (
        ("daily", Target.INC_DAY, 1),
        ("cum", Target.CUM_DAY, 0),
        ("rt", Target.RT_DAY, 3),
    ):
        payload[key] = columns(grouped.get(target, []), digits) if grouped.get(target) else None
    return payload


def _past_payload(session: Session, past: list[Fit]) -> list[dict[str, Any]]:
    out = []
    for fit in past:
        rows = list(forecast_rows(session, fit, [Target.INC_DAY]))
        if rows:
            out.append(
                {
                    "fit": fit.id,
                    "forecast_date": fit.forecast_date.isoformat(),
                    "start": rows[0].target_date.isoformat(),
                    "median": columns(rows, 1)["0.5"],
                }
            )
    return out


def _weeks(grouped: dict[str, list[ForecastRow]]) -> list[WeekRow]:
    cum = {r.target_date: r for r in grouped.get(Target.CUM_WEEK, [])}
    return [
        WeekRow(r.target_date, interval(r), interval(cum[r.target_date]))
        for r in grouped.get(Target.INC_WEEK, [])
        if r.target_date in cum
    ]


def _flags(obs: ObservedSeries) -> list[DatedFlag]:
    flags: tuple[Flag, ...] = obs.cleaned.flags
    return [DatedFlag(obs.dates[f.index], f.kind, f.reason) for f in flags][::-1]


def region_page(session: Session, code: str) -> RegionPage:
    """Everything the page shows; raises the 404 ``AppError`` of ``find_region``."""
    region = find_region(session, code)
    obs = observed_series(session, region, "deaths", None)
    fit = published_fit(session, region)
    grouped: dict[str, list[ForecastRow]] = {}
    release = None
    past: list[Fit] = []
    if fit is not None:
        targets = [Target.INC_DAY, Target.CUM_DAY, Target.RT_DAY, Target.INC_WEEK, Target.CUM_WEEK]
        grouped = by_target(forecast_rows(session, fit, targets))
        release = release_of(session, fit)
        earlier = earlier_fits(session, region, PAST_FITS + 8)
        past = [f for f in earlier if f.data_end_date < fit.data_end_date][:PAST_FITS]
    chart = {
        "region": region.code,
        "observed": _observed_payload(obs),
        "forecast": _forecast_payload(grouped),
        "past": _past_payload(session, past),
    }
    return RegionPage(
        region=region,
        last_date=obs.dates[-1] if obs.dates else None,
        fit=fit,
        release=release,
        weeks=_weeks(grouped),
        flags=_flags(obs),
        past=past,
        chart=chart,
    )
