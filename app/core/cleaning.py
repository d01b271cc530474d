"""Cleaning of cumulative death counts: flags reporting artifacts and builds a smooth series.

Used by the observations endpoint (flags and both series) and by the SEIR fit (smoothed
daily deaths). All arrays are float arrays of shape (n_days,), deaths or deaths/day.

Rules (each a keyword of ``clean_cumulative`` with the default in brackets):

1. **Missing values.** NaN (or infinite) cumulative values mean "no report that day": they
   are forward filled (leading ones become 0), so the next report carries the catch-up.
   ``raw_daily[0] = cumulative[0]`` (everything before the series counts on day 0), so
   ``raw_daily.sum() == cumulative[-1]``.
2. **Decreases** (``kind="decrease"``). A negative daily value is a correction of deaths
   counted earlier (e.g. NY 2020-04-12, -3,395 at the JHU seam). It is removed from the
   preceding ``backfill_days`` [28] days in proportion to their counts (all earlier days if
   that is not enough), and the day itself becomes 0.
3. **Zero then catch-up** (``kind="zero_then_catchup"``). A run of at most ``max_gap`` [6]
   zero days after the first death, followed by a positive day, is treated as unreported:
   the catch-up value is spread evenly over the zero run and the catch-up day ("0 then 300
   becomes 150 and 150"). It is flagged when the typical level (median of the
   ``window`` days before the run) is at least 1/day, i.e. when zeros are unusual, and the
   catch-up is at least 1.5 x that level.
4. **Dumps** (``kind="dump"``). A day above ``dump_factor`` [3] x the median of the
   ``2 * window`` surrounding days and at least ``dump_min`` [20] above it (e.g. NY
   2020-04-16, +3,263, probable deaths) is a backlog: the excess over the median is spread
   over the preceding ``backfill_days`` days in proportion to their counts.
5. **Smoothing.** A 7-day (``window``) mean: centred, with zeros before day 0, and the
   trailing full week for the last days (so no weekday is over-weighted at the end, at
   the cost of up to 3 days of lag). The result is rescaled to preserve the total (the
   factor differs from 1 only by the edge effects, typically < 1%).

The smoothed series is non-negative and sums to ``cumulative[-1]`` (when that is >= 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.types import BoolArray, FloatArray

DECREASE = "decrease"
ZERO_THEN_CATCHUP = "zero_then_catchup"
DUMP = "dump"


@dataclass(frozen=True, slots=True)
class Flag:
    """One reporting artifact.

    Attributes:
        index: Day index into the series.
        kind: ``"decrease"``, ``"zero_then_catchup"`` or ``"dump"``.
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
        smoothed_daily: Float (n_days,), cleaned and smoothed deaths/day, >= 0.
        flags: Artifacts found, ordered by day index.
    """

    raw_daily: FloatArray
    smoothed_daily: FloatArray
    flags: tuple[Flag, ...]


def clean_cumulative(
    cumulative: FloatArray,
    *,
    window: int = 7,
    max_gap: int = 6,
    dump_factor: float = 3.0,
    dump_min: float = 20.0,
    backfill_days: int = 28,
) -> CleanedSeries:
    """Flag artifacts in a cumulative death series and return raw and smoothed daily deaths.

    Args:
        cumulative: Float (n_days,), cumulative deaths; NaN = no report that day.
        window: Smoothing window and median context, days.
        max_gap: Longest zero run treated as unreported, days.
        dump_factor: A dump exceeds this multiple of the local median.
        dump_min: ... and exceeds the local median by at least this many deaths.
        backfill_days: Days before a correction or dump over which it is redistributed.

    Returns:
        CleanedSeries with raw_daily and smoothed_daily of shape (n_days,) and the flags.
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    cum = forward_fill(np.asarray(cumulative, dtype=np.float64))
    raw = np.diff(cum, prepend=0.0)
    daily = raw.copy()
    flags = _remove_decreases(daily, backfill_days)
    flags += _spread_catchups(daily, raw == 0, max_gap, window)
    flags += _spread_dumps(daily, window, dump_factor, dump_min, backfill_days)
    smoothed = _window_mean(daily, window)
    total, current = daily.sum(), smoothed.sum()
    if current > 0:
        smoothed *= total / current
    flags.sort(key=lambda f: f.index)
    return CleanedSeries(raw_daily=raw, smoothed_daily=smoothed, flags=tuple(flags))


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


def _spread_catchups(daily: FloatArray, zero: BoolArray, max_gap: int, window: int) -> list[Flag]:
    flags: list[Flag] = []
    positive = np.flatnonzero(daily > 0)
    if positive.size == 0:
        return flags
    i = int(positive[0]) + 1
    while i < daily.size:
        if not zero[i]:
            i += 1
            continue
        end = i
        while end < daily.size and zero[end]:
            end += 1
        gap = end - i
        if end < daily.size and gap <= max_gap and daily[end] > 0:
            value = float(daily[end])
            typical = float(np.median(daily[max(0, i - window) : i]))
            daily[i : end + 1] = value / (gap + 1)
            if typical >= 1.0 and value >= 1.5 * typical:
                reason = f"{gap} day(s) without reports, then {value:,.0f} (spread over {gap + 1})"
                flags.append(Flag(end, ZERO_THEN_CATCHUP, reason))
        i = end + 1
    return flags


def _context_medians(daily: FloatArray, window: int) -> FloatArray:
    """Median of the ``window`` days before and after each day (NaN where fewer than
    ``window`` such days exist), float array of shape (n_days,)."""
    padded = np.pad(daily, window, constant_values=np.nan)
    rows = np.lib.stride_tricks.sliding_window_view(padded, 2 * window + 1)
    context = np.delete(rows, window, axis=1)
    enough = np.count_nonzero(~np.isnan(context), axis=1) >= window
    medians = np.full(daily.size, np.nan)
    if np.any(enough):
        medians[enough] = np.nanmedian(context[enough], axis=1)
    return medians


def _spread_dumps(
    daily: FloatArray, window: int, factor: float, minimum: float, backfill_days: int
) -> list[Flag]:
    """Days in order; the medians are recomputed (vectorised) only after a dump is spread,
    since spreading changes the days the next medians see."""
    flags = []
    start = 0
    while start < daily.size:
        median = _context_medians(daily, window)[start:]
        with np.errstate(invalid="ignore"):
            hit = (daily[start:] > factor * median) & (daily[start:] - median >= minimum)
        found = np.flatnonzero(hit)
        if found.size == 0:
            break
        i = start + int(found[0])
        typical, excess = float(median[i - start]), float(daily[i] - median[i - start])
        reason = f"{daily[i]:,.0f} reported vs typical {typical:,.0f} (backlog dump)"
        flags.append(Flag(i, DUMP, reason))
        daily[i] = typical
        _take_back(daily, i, excess, backfill_days)
        start = i + 1
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
