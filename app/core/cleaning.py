"""Cleaning of cumulative death counts: flags reporting artifacts and builds a smooth series.

Used by the observations endpoint (flags and both series) and by the fits (smoothed daily
deaths, and the reported deaths by the day they happened). All arrays are float arrays of
shape (n_days,), deaths or deaths/day. The cadence rules are in ``app.core.cadence``.

Rules (each a keyword of ``clean_cumulative`` with the default in brackets):

1. **Missing values.** NaN (or infinite) cumulative values mean "no report that day": they
   are forward filled (leading ones become 0), so the next report carries the catch-up.
   ``raw_daily[0] = cumulative[0]`` (everything before the series counts on day 0), so
   ``raw_daily.sum() == cumulative[-1]``.
2. **Decreases** (``kind="decrease"``). A negative daily value is a correction of deaths
   counted earlier (e.g. NY 2020-04-12, -3,395 at the JHU seam). It is removed from the
   preceding ``backfill_days`` [28] days in proportion to their counts (all earlier days if
   that is not enough), and the day itself becomes 0.
3. **Reporting intervals** (``kind="zero_then_catchup"``). A repeated total is no report. A
   run of at most ``max_gap`` [20] such days followed by a report is one reporting interval:
   the report is spread evenly over it ("0 then 300 becomes 150 and 150"; a weekly report
   becomes a seventh a day; fortnightly reports are covered too). It is flagged only when
   the interval is over 1.5 x the region's long intervals (90th percentile, 56 days before) and the
   level is at least 1/day, so a weekly reporter's ordinary reports are not flagged.
4. **The unreported tail** (``kind="no_report"``). Repeated totals at the end (at most
   ``max_gap`` days) are deaths not reported yet: they get the reporting rate of the
   ``rate_days`` [28] days before the last report. ``pending`` is their sum (deaths that
   happened but will be reported after the last day).
5. **Dumps** (``kind="dump"``). A day above ``dump_factor`` [3] x the region's typical report
   (median of the weekly maxima of the 4 weeks before and after) and at least ``dump_min``
   [20] above it (e.g. NY 2020-04-16, +3,263, probable deaths) is a backlog: the excess is
   spread over the preceding ``backfill_days`` days in proportion to their counts. A region
   that reports once a week has weekly-sized typical reports, so its reports are not dumps.
6. **Smoothing.** A 7-day (``window``) mean: centred, with zeros before day 0, and the
   trailing full week for the last days (so no weekday is over-weighted at the end, at
   the cost of up to 3 days of lag). The result is rescaled to preserve the total (the
   factor differs from 1 only by the edge effects, typically < 1%).

The smoothed series is non-negative and sums to ``cumulative[-1] + pending`` (when that is
>= 0); its weekly sums follow the reported ones (a report spread over its interval, the
window mean moving at most three days across a week boundary).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.cadence import (
    find_dump,
    interval_lengths,
    is_unusual_gap,
    nowcast_tail,
    spread_intervals,
    tail_length,
    typical_reports,
)
from app.core.types import BoolArray, FloatArray, IntArray

DECREASE = "decrease"
ZERO_THEN_CATCHUP = "zero_then_catchup"
NO_REPORT = "no_report"
DUMP = "dump"
CADENCE_DAYS = 56


@dataclass(frozen=True, slots=True)
class Flag:
    """One reporting artifact.

    Attributes:
        index: Day index into the series.
        kind: ``"decrease"``, ``"zero_then_catchup"``, ``"no_report"`` or ``"dump"``.
        reason: Human-readable explanation, e.g. "cumulative fell by 3,395 (JHU correction)".
    """

    index: int
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class CleanedSeries:
    """Result of ``clean_cumulative``.

    Attributes:
        raw_daily: Float (n_days,), differences of the forward-filled cumulative series
            (deaths/day; may be negative), ``raw_daily[0] = cumulative[0]``.
        reported_daily: Float (n_days,), the raw daily deaths with each report spread over
            its reporting interval and the unreported tail filled (deaths by the day they
            were most likely counted; may be negative on corrections); sums to
            ``cumulative[-1] + pending``.
        smoothed_daily: Float (n_days,), cleaned and smoothed deaths/day, >= 0.
        pending: Deaths assumed on the unreported days at the end (>= 0).
        flags: Artifacts found, ordered by day index.
    """

    raw_daily: FloatArray
    reported_daily: FloatArray
    smoothed_daily: FloatArray
    pending: float
    flags: tuple[Flag, ...]


def clean_cumulative(
    cumulative: FloatArray,
    *,
    window: int = 7,
    max_gap: int = 20,
    dump_factor: float = 3.0,
    dump_min: float = 20.0,
    backfill_days: int = 28,
    rate_days: int = 28,
) -> CleanedSeries:
    """Flag artifacts in a cumulative death series and return raw and smoothed daily deaths.

    Args:
        cumulative: Float (n_days,), cumulative deaths; NaN = no report that day.
        window: Smoothing window, days.
        max_gap: Longest run of repeated totals treated as one reporting interval, days.
        dump_factor: A dump exceeds this multiple of the typical report.
        dump_min: ... and exceeds it by at least this many deaths.
        backfill_days: Days before a correction or dump over which it is redistributed.
        rate_days: Days before the last report whose rate fills the unreported tail.

    Returns:
        CleanedSeries with the daily series of shape (n_days,), ``pending`` and the flags.
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    cum = forward_fill(np.asarray(cumulative, dtype=np.float64))
    raw = np.diff(cum, prepend=0.0)
    stalled = raw == 0
    tail = tail_length(stalled, raw, max_gap)
    reported = raw.copy()
    spread_intervals(reported, stalled, max_gap)
    nowcast_tail(reported, tail, rate_days)
    daily = raw.copy()
    flags = _remove_decreases(daily, backfill_days)
    spread_flags, covered_by = _intervals(daily, stalled, max_gap, window)
    flags += spread_flags
    pending = nowcast_tail(daily, tail, rate_days)
    if tail:
        rate = pending / tail
        reason = f"{tail} day(s) without a report at the end: {rate:,.1f}/day assumed"
        flags.append(Flag(daily.size - tail, NO_REPORT, reason))
    flags += _spread_dumps(daily, covered_by, dump_factor, dump_min, backfill_days)
    smoothed = _window_mean(daily, window)
    total, current = daily.sum(), smoothed.sum()
    if current > 0:
        smoothed *= total / current
    flags.sort(key=lambda f: f.index)
    return CleanedSeries(
        raw_daily=raw,
        reported_daily=reported,
        smoothed_daily=smoothed,
        pending=pending,
        flags=tuple(flags),
    )


def forward_fill(cum: FloatArray) -> FloatArray:
    """Carry the last reported cumulative value over NaN/inf (leading ones become 0)."""
    ok = np.isfinite(cum)
    last = np.maximum.accumulate(np.where(ok, np.arange(cum.size), -1))
    filled: FloatArray = np.where(last >= 0, cum[np.maximum(last, 0)], 0.0)
    return filled


def _take_back(daily: FloatArray, end: int, amount: float, days: int) -> None:
    """Add ``amount`` (may be < 0) to the days before ``end`` in proportion to their counts.

    A positive amount goes to the last ``days`` days (evenly if they are all zero). A
    negative amount is taken from the last ``days`` days, or from all earlier days if those
    do not hold enough; counts never go below zero.
    """
    if end == 0:
        return
    start = max(0, end - days)
    mass = float(daily[start:end].sum())
    if amount > 0:
        if mass > 0:
            daily[start:end] *= 1.0 + amount / mass
        else:
            daily[start:end] += amount / (end - start)
        return
    if mass < -amount:
        start, mass = 0, float(daily[:end].sum())
    if mass > 0:
        daily[start:end] *= max(0.0, 1.0 + amount / mass)


def _remove_decreases(daily: FloatArray, backfill_days: int) -> list[Flag]:
    flags = []
    for i in np.flatnonzero(daily < 0):
        drop = float(-daily[i])
        flags.append(Flag(int(i), DECREASE, f"cumulative fell by {drop:,.0f} (JHU correction)"))
        daily[i] = 0.0
        _take_back(daily, int(i), -drop, backfill_days)
    return flags


def _intervals(
    daily: FloatArray, stalled: BoolArray, max_gap: int, window: int
) -> tuple[list[Flag], IntArray]:
    """Spread reports over their intervals; flag those unusual for the region's cadence.

    Returns the flags and, per day, the day of the report that covers it (int (n_days,)).
    """
    lengths = interval_lengths(stalled)
    covered_by = np.arange(daily.size)
    flags = []
    for interval in spread_intervals(daily, stalled, max_gap):
        i, gap, value = interval.end, interval.gap, interval.value
        covered_by[i - gap : i + 1] = i
        typical = float(np.median(daily[max(0, i - gap - window) : i - gap] if i - gap else [0]))
        if (
            typical >= 1.0
            and value >= 1.5 * typical
            and is_unusual_gap(lengths, i, gap, CADENCE_DAYS)
        ):
            reason = f"{gap} day(s) without reports, then {value:,.0f} (spread over {gap + 1})"
            flags.append(Flag(i, ZERO_THEN_CATCHUP, reason))
    return flags, covered_by


def _spread_dumps(
    daily: FloatArray, covered_by: IntArray, factor: float, minimum: float, backfill_days: int
) -> list[Flag]:
    """Reports in day order; a dump's whole reporting interval comes down to the typical
    report and its excess goes to the days before the interval. The typical reports are
    recomputed (vectorised) only after a dump, since spreading changes what later days see."""
    flags = []
    start = 0
    while start < daily.size:
        typical_all = typical_reports(daily)
        hit = find_dump(daily, typical_all, start, factor, minimum)
        if hit is None:
            break
        report = int(covered_by[hit])
        days = np.flatnonzero(covered_by == report)
        typical = typical_all[days]
        typical = np.where(np.isfinite(typical), typical, daily[days])
        excess = float((daily[days] - typical).sum())
        total = float(daily[days].sum())
        reason = f"{total:,.0f} reported vs typical {typical.sum():,.0f} (backlog dump)"
        flags.append(Flag(report, DUMP, reason))
        daily[days] = typical
        _take_back(daily, int(days[0]), excess, backfill_days)
        start = report + 1
    return flags


def _window_mean(daily: FloatArray, window: int) -> FloatArray:
    """Centred ``window``-day mean; zeros before day 0, the trailing full window at the end."""
    n = daily.size
    w = min(window, n)
    if w == 0:
        return daily.copy()
    half = (w - 1) // 2
    csum = np.concatenate([[0.0], np.cumsum(daily)])
    stop = np.minimum(np.arange(n) + w - half, n)
    start = np.maximum(stop - w, 0)
    mean: FloatArray = (csum[stop] - csum[start]) / w
    return mean
