"""Daily schedules of the 2020 model: R_t, IFR, undetected-death ratio and imports.

All schedules are day-major arrays of shape (n_days, n_sets) (SEIR_MODEL.md 1.3, 1.6-1.9):

* Transition sigmoid ``T(c, r, lo -> hi)(x) = (lo - hi) * z / (1 + z) + hi`` with
  ``z = exp(-r (x - c))``: ``lo`` far left, ``hi`` far right, midpoint ``c``.
* ``R[0] = R0``; for x >= 1 (mid1 = floor((infl + reopen) / 2), mid2 = reopen + k,
  post = reopen + 2k, k = rint(6 / REOPEN_INFLECTION)):
  x < mid1: ``T(infl, ROI, R0 -> LR)(x) * (1 + (LF - 1) logistic(0.2 (x - infl - 28)))``;
  mid1 <= x <= mid2: ``T(reopen, RI, LR*LF -> reopen_r)(x)``;
  x > mid2: ``T(post, RI, reopen_r -> post_r)(x)``;
  x > fall: times ``clip(FALL^(x - fall), 0.9, 1.35)``.
* ``IFR[t] = max(min_ifr, MR * mult[t])``, ``mult = max(min_mult, d^days_else * dr^days_reopen)``
  times ``1.002^(t - fall_ifr)`` after the IFR fall start.
* ``undetected[t] = max(floor, start - (start - floor) / days * t)``.
* ``imports(i) = D (1 - min(1, max(0, i - 9) / n))`` with a floor ``min(10, 0.1 D)``.
"""

from __future__ import annotations

import numpy as np

from app.core.seir.params import ParamBatch, RegionConstants
from app.core.types import BoolArray, FloatArray, IntArray

MAX_DAILY_R_CHANGE = 0.2
"""Sets whose R changes by more than 20% in a day after reopening are invalid (1.7)."""
POST_REOPEN_DAYS_NUMERATOR = 6.0
"""k = rint(6 / REOPEN_INFLECTION) days between reopening and post-reopening (1.7)."""
MIN_POST_REOPEN_DAYS, MAX_POST_REOPEN_DAYS = 10, 80
FATIGUE_RATE = 0.2
"""Steepness of the lockdown-fatigue sigmoid, per day (1.7)."""


def transition(
    x: FloatArray,
    centre: FloatArray,
    rate: FloatArray,
    low: FloatArray | float,
    high: FloatArray | float,
    out: FloatArray | None = None,
) -> FloatArray:
    """``T(centre, rate, low -> high)(x)`` for rows x (n_rows, 1) and sets (n_sets,).

    Computed as ``low - (low - high) / (1 + z)``, which equals the original
    ``(low - high) z / (1 + z) + high`` and stays finite when z overflows.

    Returns:
        Float array (n_rows, n_sets), written into ``out`` when given.
    """
    z = np.subtract(centre, x, out=out)
    z *= rate
    np.exp(z, out=z)
    z += 1.0
    np.divide(low - high, z, out=z)
    return np.subtract(low, z, out=z)


def reopen_index(p: ParamBatch, c: RegionConstants) -> IntArray:
    """Shifted reopen day index, int array (n_sets,): reopen + trunc(shift) + 15."""
    base = c.day_index(c.reopen_date) + c.reopen_shift_default_days
    return (base + np.trunc(p.reopen_shift_days)).astype(np.int64)


def _reopen_rs(p: ParamBatch, c: RegionConstants) -> tuple[FloatArray, FloatArray]:
    """R reached after reopening and the post-reopening R, each (n_sets,)."""
    reopen_r = p.reopen_r
    if c.floor_reopen_r_at_lockdown:
        reopen_r = np.where(p.lockdown_r0 < 1, np.maximum(p.lockdown_r0, p.reopen_r), p.reopen_r)
    post_r = p.post_reopen_equilibrium_r
    if c.cap_post_reopen_r:
        post_r = np.minimum(reopen_r, post_r)
    return reopen_r, post_r


def _lockdown(p: ParamBatch, c: RegionConstants, x: FloatArray, out: FloatArray) -> FloatArray:
    """Lockdown-phase R (with fatigue) on rows x (n_rows, 1) -> out (n_rows, n_sets)."""
    lock = transition(
        x, p.inflection_idx, p.rate_of_inflection, p.initial_r0, p.lockdown_r0, out=out
    )
    fatigue = p.lockdown_fatigue - 1.0
    has_fatigue = np.abs(fatigue) > 1e-9
    if np.any(has_fatigue):
        fatigue = np.where(has_fatigue, fatigue, 0.0)
        centre = p.inflection_idx + c.fatigue_delay_days
        lock *= transition(x, centre, np.full_like(centre, FATIGUE_RATE), 1.0, 1.0 + fatigue)
    return lock


def r_schedule(p: ParamBatch, c: RegionConstants, n_days: int) -> tuple[FloatArray, BoolArray]:
    """R before immunity, (n_days, n_sets), and the validity mask, bool (n_sets,).

    Each phase is evaluated only on the rows where some set is in that phase. A set is
    invalid (never an exception) when a guard of SEIR_MODEL.md 1.6/1.11 fails, when
    k = rint(6 / REOPEN_INFLECTION) is outside [10, 80], when the reopen date is not after
    the inflection day, or when R changes by more than 20% in a day after the shifted reopening.
    """
    x = np.arange(n_days, dtype=np.float64)[:, None]
    reopen = reopen_index(p, c)
    r = np.empty((n_days, p.n_sets))
    with np.errstate(all="ignore"):
        reopen_r, post_r = _reopen_rs(p, c)
        k = np.rint(POST_REOPEN_DAYS_NUMERATOR / p.reopen_inflection)
        mid1 = (p.inflection_idx.astype(np.int64) + reopen) // 2
        mid2 = reopen + np.nan_to_num(k).astype(np.int64)
        a1 = int(np.clip(mid1.max(), 0, n_days))
        b0, b1 = int(np.clip(mid1.min(), 0, n_days)), int(np.clip(mid2.max() + 1, 0, n_days))
        c0 = int(np.clip(mid2.min() + 1, 0, n_days))
        _lockdown(p, c, x[:a1], r[:a1])
        low = p.lockdown_r0 * p.lockdown_fatigue
        reop = transition(x[b0:b1], reopen.astype(np.float64), p.reopen_inflection, low, reopen_r)
        np.copyto(r[b0:b1], reop, where=x[b0:b1] >= mid1)
        centre = (reopen + 2 * k).astype(np.float64)
        post = transition(x[c0:], centre, p.reopen_inflection, reopen_r, post_r)
        np.copyto(r[c0:], post, where=x[c0:] > mid2)
        _apply_fall(r, p, c)
        r[0] = p.initial_r0
        too_fast = _too_fast(r, reopen)
    valid = _guards(p, c, k) & ~too_fast & np.all(np.isfinite(r), axis=0)
    return r, valid


def _apply_fall(r: FloatArray, p: ParamBatch, c: RegionConstants) -> None:
    """Multiply rows after the fall start by clip(FALL^(x - fall), min, max) in place."""
    if c.fall_start is None:
        return
    n_days = r.shape[0]
    fall = c.day_index(c.fall_start)
    first = max(fall + 1, 1)
    if first >= n_days:
        return
    steps = np.arange(first - fall, n_days - fall, dtype=np.float64)[:, None]
    mult = steps * np.log(p.fall_r_multiplier)
    np.exp(mult, out=mult)
    np.clip(mult, c.fall_mult_min, c.fall_mult_max, out=mult)
    r[first:] *= mult


def _too_fast(r: FloatArray, reopen: IntArray) -> BoolArray:
    """Sets whose R changes by more than 20% in a day after reopening, bool (n_sets,)."""
    n_days = r.shape[0]
    first = int(np.clip(reopen.min() + 1, 1, n_days))
    ratio = r[first:] / r[first - 1 : -1]
    bad = (ratio > 1.0 + MAX_DAILY_R_CHANGE) | (ratio < 1.0 - MAX_DAILY_R_CHANGE)
    bad &= np.arange(first, n_days)[:, None] > reopen
    too_fast: BoolArray = np.any(bad, axis=0)
    return too_fast


def _guards(p: ParamBatch, c: RegionConstants, k: FloatArray) -> BoolArray:
    """Hard guards of SEIR_MODEL.md 1.6 and 1.11, bool (n_sets,)."""
    reopen_r = np.where(p.lockdown_r0 < 1, np.maximum(p.lockdown_r0, p.reopen_r), p.reopen_r)
    if not c.floor_reopen_r_at_lockdown:
        reopen_r = p.reopen_r
    ok = (p.rate_of_inflection > 0) & (p.rate_of_inflection <= 1)
    ok &= (p.reopen_inflection > 0) & (p.reopen_inflection <= 1)
    ok &= (p.initial_r0 > 0) & (p.initial_r0 <= 10) & (p.lockdown_r0 >= 0)
    ok &= (p.lockdown_r0 <= 10) & (p.lockdown_r0 * p.lockdown_fatigue > 0)
    ok &= (p.lockdown_r0 * p.lockdown_fatigue <= 10) & (reopen_r > 0) & (reopen_r <= 10)
    ok &= (p.post_reopen_equilibrium_r > 0) & (p.post_reopen_equilibrium_r < 10)
    ok &= (p.lockdown_fatigue >= 0.5) & (p.lockdown_fatigue <= 1.5)
    ok &= (p.mortality_rate > 0) & (p.mortality_rate < 0.2) & (p.daily_imports >= 0)
    ok &= (k >= MIN_POST_REOPEN_DAYS) & (k <= MAX_POST_REOPEN_DAYS)
    ok &= (p.inflection_idx >= 0) & (p.inflection_idx < c.day_index(c.reopen_date))
    return ok


def ifr_multiplier_table(
    c: RegionConstants, n_days: int, reopen: IntArray
) -> tuple[FloatArray, IntArray]:
    """IFR multiplier per distinct reopen index: table (n_days, n_unique) and column (n_sets,)."""
    uniq, inverse = np.unique(reopen, return_inverse=True)
    t = np.arange(n_days)[:, None]
    base = np.maximum(0, t - c.ifr_decline_start_day)
    if c.ifr_reopen_acceleration:
        after = np.clip(t - (uniq[None, :] + c.ifr_reopen_lag_days), 0, c.ifr_reopen_max_days)
        rest = np.maximum(0, base - after)
        mult = c.ifr_daily_mult ** rest.astype(np.float64) * (
            c.ifr_reopen_daily_mult ** after.astype(np.float64)
        )
    else:
        mult = np.broadcast_to(c.ifr_daily_mult ** base.astype(np.float64), (n_days, uniq.size))
    mult = np.maximum(c.ifr_min_mult, mult)
    if c.ifr_fall_start is not None:
        start = c.day_index(c.ifr_fall_start)
        rise = c.ifr_fall_daily_mult ** np.maximum(0, t - start).astype(np.float64)
        mult = mult * rise
    return np.ascontiguousarray(mult), inverse.astype(np.int64)


def undetected_ratio(c: RegionConstants, n_days: int) -> FloatArray:
    """Fraction of true deaths never reported, float (n_days,)."""
    step = (c.undetected_start - c.undetected_floor) / c.undetected_days
    ratio: FloatArray = np.maximum(
        c.undetected_floor, c.undetected_start - step * np.arange(n_days)
    )
    return ratio


def import_factor(c: RegionConstants, n_days: int) -> FloatArray:
    """Imports relative to DAILY_IMPORTS, float (n_days,) (floor applied separately)."""
    flat = 10
    end_offset = n_days - min(n_days, c.days_with_imports)
    n_ = n_days - flat - end_offset + 1
    i = np.arange(n_days, dtype=np.float64)
    return 1.0 - np.minimum(1.0, np.maximum(0.0, i - flat + 1) / n_)
