"""Deaths implied by reported cases: the leading signal the death-only SEIR fit cannot see.

Reported deaths lag infections by about four weeks; reported cases lag them by about one.
When cases turn (the summer 2020 wave rose in cases weeks before deaths did), the deaths of
the next weeks are largely written in the cases already reported. The case signal is

    deaths(t) = ratio x cases(t - lag_days)

with ``cases`` the cleaned, smoothed daily cases (``app.core.cleaning``, the same rules as
deaths), ``ratio`` the recent deaths per lagged case (sum of the last ``ratio_days`` smoothed
deaths over the sum of the cases ``lag_days`` earlier), and cases beyond the last report
extrapolated with their growth rate of the last week (times ``growth_power``, clipped to
+-10%/day). ``forecast`` tilts the SEIR ensemble towards it (``FitSettings.case_weight``).

All arrays are float64; cases and deaths are counts per day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from app.core.cleaning import clean_cumulative, forward_fill
from app.core.types import FloatArray

MAX_DAILY_GROWTH = 0.1
MAX_STALE_DAYS = 7  # the case series may end up to a week before the death series


@dataclass(frozen=True, slots=True)
class CaseSeries:
    """Reported cumulative cases of the region being forecast.

    Attributes:
        start_date: Date of ``cumulative[0]``.
        cumulative: Float (n_days,), cumulative confirmed cases; NaN = no report that day.
    """

    start_date: date
    cumulative: FloatArray


@dataclass(frozen=True, slots=True)
class CaseSignal:
    """Case-implied daily deaths on the forecast days.

    Attributes:
        daily_deaths: Float (horizon_days,), deaths/day from the forecast date on.
        ratio: Deaths per case ``lag_days`` earlier, over the last ``ratio_days``.
        lag_days: Days from a reported case to a reported death.
        growth: Daily log growth used to extend the cases past their last report.
        last_case_date: Date of the last case report used.
    """

    daily_deaths: FloatArray
    ratio: float
    lag_days: int
    growth: float
    last_case_date: date


def case_signal(
    cases: CaseSeries,
    smoothed_deaths: FloatArray,
    forecast_date: date,
    horizon_days: int,
    *,
    lag_days: int,
    ratio_days: int,
    growth_power: float,
    window: int = 7,
) -> CaseSignal | None:
    """Case-implied deaths for ``horizon_days`` days from ``forecast_date``.

    Args:
        cases: Reported cumulative cases (may start and end on other days than the deaths).
        smoothed_deaths: Float (n_days,), smoothed daily deaths ending the day before
            ``forecast_date``.
        forecast_date: First forecast day.
        horizon_days: Number of forecast days.
        lag_days: Days from a reported case to a reported death.
        ratio_days: Days over which the deaths-per-case ratio is measured.
        growth_power: Multiplier of the last week's case growth used to extend the cases.
        window: Smoothing window of the cases, days.

    Returns:
        The signal, or None when the cases cannot inform the forecast (see
        ``usable_cases``), or there are no deaths in the ratio window.
    """
    usable = usable_cases(cases, forecast_date, lag_days + ratio_days, window)
    if usable is None or smoothed_deaths.size < ratio_days:
        return None
    smoothed, keep, stale = usable
    # index of day t (0 = forecast_date) in the case series: keep + stale + t
    first_ratio_case = keep + stale - ratio_days - lag_days
    lagged = _extended(smoothed, stale, growth_power)
    deaths_sum = float(smoothed_deaths[-ratio_days:].sum())
    cases_sum = float(lagged[first_ratio_case : first_ratio_case + ratio_days].sum())
    if deaths_sum <= 0 or cases_sum <= 0 or not np.isfinite(deaths_sum + cases_sum):
        return None
    ratio = deaths_sum / cases_sum
    future = keep + stale - lag_days + np.arange(horizon_days)
    extended = _extended(smoothed, int(future.max()) + 1 - keep, growth_power)
    return CaseSignal(
        daily_deaths=ratio * extended[future],
        ratio=ratio,
        lag_days=lag_days,
        growth=_growth(smoothed, growth_power),
        last_case_date=cases.start_date + timedelta(days=keep - 1),
    )


def usable_cases(
    cases: CaseSeries, forecast_date: date, needed_days: int, window: int = 7
) -> tuple[FloatArray, int, int] | None:
    """Smoothed daily cases up to the last report before ``forecast_date``, if usable.

    The series is cut before ``forecast_date`` (never read later) and at its last change:
    a total repeated day after day is no report (CSSE repeats the last total when a state
    stops reporting or reports weekly). Returns ``(smoothed, keep, stale)``: the smoothed
    cases of the first ``keep`` days and the number of days from the last report to the day
    before ``forecast_date``; or None when the series ends more than ``MAX_STALE_DAYS``
    early, covers fewer than ``needed_days`` days, or smooths to 0 on any of its last
    ``needed_days`` days, or has fewer than one report a week over those days (FL's
    fortnightly case reports of 2023: the 21-day ratio and the 17-day lag then compare lumps
    of different reports). Weekly reports are spread over their week by the cleaning.
    """
    last_needed = forecast_date - timedelta(days=1)
    keep = min(cases.cumulative.size, (last_needed - cases.start_date).days + 1)
    if keep <= 0:
        return None
    reported = forward_fill(np.asarray(cases.cumulative[:keep], dtype=np.float64))
    changed = np.flatnonzero(np.diff(reported, prepend=0.0) != 0)
    keep = int(changed[-1]) + 1 if changed.size else 0
    stale = (last_needed - cases.start_date).days + 1 - keep
    if stale > MAX_STALE_DAYS or keep - needed_days + stale < 0 or keep < 8:
        return None
    if _reports_per_week(reported[:keep], needed_days) < 1.0:
        return None
    smoothed = clean_cumulative(cases.cumulative[:keep], window=window).smoothed_daily
    if np.any(smoothed[max(0, keep + stale - needed_days) :] <= 0):
        return None
    return smoothed, keep, stale


def _reports_per_week(reported: FloatArray, days: int) -> float:
    """Case reports (changes of the total) per week over the last ``days`` days."""
    recent = np.diff(reported[-(days + 1) :])
    return 7.0 * np.count_nonzero(recent != 0) / max(recent.size, 1)


def _growth(smoothed: FloatArray, growth_power: float) -> float:
    """Daily log growth of the last week's smoothed cases, times ``growth_power``."""
    now, before = float(smoothed[-1]), float(smoothed[-8])
    if now <= 0 or before <= 0:
        return 0.0
    rate = np.log(now / before) / 7.0 * growth_power
    return float(np.clip(rate, -MAX_DAILY_GROWTH, MAX_DAILY_GROWTH))


def _extended(smoothed: FloatArray, extra_days: int, growth_power: float) -> FloatArray:
    """The smoothed cases followed by ``extra_days`` days extrapolated at the recent growth."""
    if extra_days <= 0:
        return smoothed
    steps = np.arange(1, extra_days + 1, dtype=np.float64)
    tail = smoothed[-1] * np.exp(_growth(smoothed, growth_power) * steps)
    return np.concatenate([smoothed, tail])
