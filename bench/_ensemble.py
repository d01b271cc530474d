"""The online ensemble of the backtest components and the half-year window tables.

For each forecast Monday M the weights come from the components' own forecasts of the
``lookback`` weeks before M whose target week ended before M (Saturday M-2 at the latest),
scored against the weekly deaths as reported by then (the as-reported daily file; nothing
reported after M is read), pooled over states and horizons (``app.core.ensemble``).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
from _data import stitched

from app.core.calibration import LOOKBACK_WEEKS, apply_widening, recalibration_factors
from app.core.ensemble import combine_quantiles, score_weights
from app.core.scoring import weighted_interval_score

WINDOWS = (  # the five half-year windows of the tuning period (forecast Mondays)
    ("2020-05..06", date(2020, 5, 4), date(2020, 6, 29)),
    ("2020-07..12", date(2020, 7, 6), date(2020, 12, 28)),
    ("2021-01..06", date(2021, 1, 4), date(2021, 6, 28)),
    ("2021-07..12", date(2021, 7, 5), date(2021, 12, 27)),
    ("2022-01..06", date(2022, 1, 3), date(2022, 6, 27)),
)
AUTO_LAST_2020 = date(2020, 7, 1)  # auto: the 2020 model for data ending by 2020-06-30


@lru_cache(maxsize=1)
def reported_weekly() -> pd.DataFrame:
    """Weekly incident deaths as reported (location, target_end_date, reported)."""
    frame = stitched()[["date", "location", "cum_deaths"]].copy()
    frame["date"] = pd.to_datetime(frame.date)
    frame = frame.sort_values(["location", "date"])
    frame["inc"] = frame.groupby("location").cum_deaths.diff().fillna(frame.cum_deaths)
    weekly = frame.set_index("date").groupby("location").inc.resample("W-SAT").sum().reset_index()
    weekly["target_end_date"] = weekly.date.dt.strftime("%Y-%m-%d")
    return weekly.rename(columns={"inc": "reported"})[["location", "target_end_date", "reported"]]


def known_before(
    mondays: pd.Series, ends: pd.Series, monday: pd.Timestamp, weeks: int
) -> np.ndarray:
    """Rows forecast in the ``weeks`` before ``monday`` whose target week ended before it
    (by Saturday M-2: its deaths were reported by M)."""
    mask = (
        (mondays < monday)
        & (mondays >= monday - pd.Timedelta(weeks=weeks))
        & (ends <= monday - pd.Timedelta(days=2))
    )
    return mask.to_numpy()


def with_auto(ours: pd.DataFrame) -> pd.DataFrame:
    """Add ``auto``: what the service serves (the 2020 model to 2020-06-30, after it
    ``blend``: seircast-ensemble.2, the rt model pooled with the baseline)."""
    early = pd.to_datetime(ours.monday) <= pd.Timestamp(AUTO_LAST_2020)
    auto = ours[((ours.component == "default") & early) | ((ours.component == "blend") & ~early)]
    return pd.concat([ours, auto.assign(component="auto")], ignore_index=True)


def online_ensemble(
    ours: pd.DataFrame,
    components: list[str],
    qcols: list[str],
    levels: np.ndarray,
    *,
    power: float = 4.0,
    lookback_weeks: int = 6,
    min_rows: int = 50,
) -> tuple[pd.DataFrame, dict[str, list[float]]]:
    """The ensemble's rows (component ``ensemble``) and the weights used on each Monday."""
    key = ["monday", "location", "horizon", "target_end_date"]
    parts = [ours[ours.component == c].set_index(key)[qcols] for c in components]
    common = parts[0].index
    for part in parts[1:]:
        common = common.intersection(part.index)
    stacked = np.stack([p.loc[common].to_numpy(np.float64) for p in parts])
    rows = common.to_frame(index=False)
    truth = rows.merge(reported_weekly(), on=["location", "target_end_date"], how="left")
    mondays = pd.to_datetime(rows.monday)
    ends = pd.to_datetime(rows.target_end_date)
    out = np.empty(stacked.shape[1:])
    used: dict[str, list[float]] = {}
    for monday in sorted(set(rows.monday)):
        m = pd.Timestamp(monday)
        now = (mondays == m).to_numpy()
        past = known_before(mondays, ends, m, lookback_weeks) & np.isfinite(
            truth.reported.to_numpy()
        )
        y = truth.reported.to_numpy(np.float64)[past]
        wis = np.array(
            [
                weighted_interval_score(y, levels, s[past]).mean() if y.size else np.nan
                for s in stacked
            ]
        )
        weights = score_weights(wis, int(past.sum()), power=power, min_rows=min_rows)
        used[monday] = weights.round(3).tolist()
        out[now] = combine_quantiles(stacked[:, now], weights)
    frame = rows.assign(component="ensemble")
    frame[qcols] = out
    return frame, used


def window_of(monday: str) -> str | None:
    day = date.fromisoformat(monday)
    for name, first, last in WINDOWS:
        if first <= day <= last:
            return name
    return None


def window_mondays(stride: int) -> tuple[date, ...]:
    """Every ``stride``-th Monday of the five windows (the stride restarts in each)."""
    days: list[date] = []
    for _, first, last in WINDOWS:
        n = (last - first).days // 7 + 1
        days += [first + timedelta(days=7 * i) for i in range(0, n, stride)]
    return tuple(days)


def recalibrated(
    ours: pd.DataFrame, component: str, qcols: list[str], levels: np.ndarray
) -> pd.DataFrame:
    """``component`` recalibrated as backtest exports are (``conformal-widening-2``): per
    horizon, factors from its forecasts of the 8 weeks before each Monday whose week ended
    before it, against the deaths reported by then, pooled over the states."""
    rows = ours[ours.component == component].reset_index(drop=True)
    truth = rows.merge(reported_weekly(), on=["location", "target_end_date"], how="left")
    mondays, ends = pd.to_datetime(rows.monday), pd.to_datetime(rows.target_end_date)
    q, y, h = rows[qcols].to_numpy(np.float64), truth.reported.to_numpy(np.float64), rows.horizon
    out = q.copy()
    for monday in sorted(set(rows.monday)):
        m = pd.Timestamp(monday)
        past = known_before(mondays, ends, m, LOOKBACK_WEEKS) & np.isfinite(y)
        factors = recalibration_factors(h.to_numpy()[past], y[past], levels, q[past], 4)
        for horizon in range(1, 5):
            now = ((mondays == m) & (h == horizon)).to_numpy()
            out[now] = apply_widening(levels, q[now], factors[horizon - 1])
    frame = rows.assign(component=f"{component}-recalibrated")
    frame[qcols] = out
    return frame
