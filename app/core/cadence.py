"""Reporting cadence: reports spread over their interval, the unreported tail, cadence-aware dumps.

CSSE repeats the last cumulative total on days a region does not report. From 2021 many
states report weekly, twice a week or fortnightly, so a repeated total is "no report yet",
not "no deaths". All arrays are float arrays of shape (n_days,), deaths/day.

* **Reporting intervals.** A run of at most ``max_gap`` repeated totals followed by a report
  is one reporting interval: the report is spread evenly over it ("0, 0, 0, 0, 0, 0, 70"
  becomes ten a day), so the weekly sums of the spread series are the reported ones.
* **The unreported tail.** Repeated totals at the end of the series (at most ``max_gap``
  days) are deaths not reported yet: they are filled with the recent reporting rate (the
  deaths reported over the last ``rate_days`` days up to the last report, per day). Their sum
  is ``pending``: deaths that happened but will be reported after the last observation.
* **Cadence.** The reporting interval of a day is the length of the interval its report
  closes; a catch-up is unusual only when its interval is over 1.5 x the 90th percentile of
  the intervals of the ``cadence_days`` before it (a weekend gap is usual for a region that
  skips weekends, a week for one that reports weekly).
* **Dumps against the region's own cadence.** The typical report of a day is the median,
  over the four weeks before and the four after, of each week's largest day. A region that
  reports one big day a week (TX in 2022: ~110 on one day, under 10 on the others) has big
  typical reports, so its weekly report is not a dump; a day over ``factor`` times the
  typical report (and ``minimum`` above it) is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.types import BoolArray, FloatArray

WEEK = 7
CONTEXT_WEEKS = 4


@dataclass(frozen=True, slots=True)
class Interval:
    """A report that closes ``gap`` unreported days: days ``end - gap .. end``."""

    end: int
    gap: int
    value: float


def spread_intervals(daily: FloatArray, stalled: BoolArray, max_gap: int) -> list[Interval]:
    """Spread each report over the stalled days before it (in place); the intervals spread.

    Args:
        daily: Float (n_days,), daily deaths (decreases already removed), changed in place.
        stalled: Bool (n_days,), True where the cumulative total was repeated (no report).
        max_gap: Longest run of stalled days a report may close.

    Returns:
        The intervals whose report was spread, in day order.
    """
    spread: list[Interval] = []
    positive = np.flatnonzero(daily > 0)
    if positive.size == 0:
        return spread
    i = int(positive[0]) + 1
    while i < daily.size:
        if not stalled[i]:
            i += 1
            continue
        end = i
        while end < daily.size and stalled[end]:
            end += 1
        gap = end - i
        if end < daily.size and gap <= max_gap and daily[end] > 0:
            value = float(daily[end])
            daily[i : end + 1] = value / (gap + 1)
            spread.append(Interval(end, gap, value))
        i = end + 1
    return spread


def tail_length(stalled: BoolArray, daily: FloatArray, max_gap: int) -> int:
    """Days after the last report that are stalled (0 if none, or more than ``max_gap``)."""
    reported = np.flatnonzero(~stalled & (daily > 0))
    if reported.size == 0:
        return 0
    tail = daily.size - 1 - int(reported[-1])
    return tail if tail <= max_gap else 0


def nowcast_tail(daily: FloatArray, tail: int, rate_days: int) -> float:
    """Fill the last ``tail`` days with the recent reporting rate (in place); their sum.

    Args:
        daily: Float (n_days,), spread daily deaths; the last ``tail`` days are unreported.
        tail: Number of unreported days at the end.
        rate_days: Days up to the last report over which the rate is taken.

    Returns:
        ``pending``: the deaths assumed on the unreported days.
    """
    if tail <= 0:
        return 0.0
    last = daily.size - tail
    recent = daily[max(0, last - rate_days) : last]
    rate = float(recent.mean()) if recent.size else 0.0
    daily[last:] = max(rate, 0.0)
    return max(rate, 0.0) * tail


def interval_lengths(stalled: BoolArray) -> FloatArray:
    """Float (n_days,): on a report day, the days its report closes (gap + 1); NaN elsewhere."""
    lengths = np.full(stalled.size, np.nan)
    reports = np.flatnonzero(~stalled)
    if reports.size:
        lengths[reports] = np.diff(reports, prepend=reports[0] - 1)
    return lengths


def is_unusual_gap(lengths: FloatArray, end: int, gap: int, cadence_days: int) -> bool:
    """Whether a report closing ``gap`` stalled days is over 1.5 x the region's long intervals
    (the 90th percentile of the intervals closed in the ``cadence_days`` before it)."""
    before = lengths[max(0, end - cadence_days) : end]
    before = before[np.isfinite(before)]
    usual = float(np.percentile(before, 90)) if before.size else 1.0
    return gap + 1 > 1.5 * usual


def typical_reports(daily: FloatArray) -> FloatArray:
    """Float (n_days,): median of the weekly maxima of the 4 weeks before and 4 after a day.

    NaN where fewer than 3 of those 8 weeks lie inside the series.
    """
    n = daily.size
    if n < WEEK:
        return np.full(n, np.nan)
    block_max = np.lib.stride_tricks.sliding_window_view(daily, WEEK).max(axis=1)
    days = np.arange(n)[:, None]
    offsets = np.array(
        [-WEEK * k for k in range(CONTEXT_WEEKS, 0, -1)]
        + [1 + WEEK * k for k in range(CONTEXT_WEEKS)]
    )
    starts = days + offsets[None, :]
    inside = (starts >= 0) & (starts + WEEK <= n)
    blocks = np.sort(np.where(inside, block_max[np.clip(starts, 0, block_max.size - 1)], np.inf))
    count = inside.sum(axis=1)  # the weeks inside sort first; the median of those
    rows = np.arange(n)
    lo, hi = blocks[rows, np.maximum(count - 1, 0) // 2], blocks[rows, count // 2]
    typical: FloatArray = np.where(count >= 3, 0.5 * (lo + hi), np.nan)
    return typical


def find_dump(
    daily: FloatArray, typical: FloatArray, start: int, factor: float, minimum: float
) -> int | None:
    """First day from ``start`` above ``factor`` x its typical report (and ``minimum`` above).

    ``typical``: float (n_days,), ``typical_reports(daily)``."""
    typical = typical[start:]
    with np.errstate(invalid="ignore"):
        hit = (daily[start:] > factor * typical) & (daily[start:] - typical >= minimum)
    found = np.flatnonzero(hit)
    return None if found.size == 0 else start + int(found[0])
