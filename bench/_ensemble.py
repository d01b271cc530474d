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

from app.core.calibration import apply_widening
from app.core.ensemble import combine_log_quantiles
from app.core.learned_model import COMPONENTS
from app.core.online_ensemble import OnlineSettings, PastForecasts, plan

WINDOWS = (  # the five half-year windows of the tuning period (forecast Mondays)
    ("2020-05..06", date(2020, 5, 4), date(2020, 6, 29)),
    ("2020-07..12", date(2020, 7, 6), date(2020, 12, 28)),
    ("2021-01..06", date(2021, 1, 4), date(2021, 6, 28)),
    ("2021-07..12", date(2021, 7, 5), date(2021, 12, 27)),
    ("2022-01..06", date(2022, 1, 3), date(2022, 6, 27)),
)
AUTO_LAST_2020 = date(2020, 7, 1)  # auto: the 2020 model for data ending by 2020-06-30
AUTO_FIRST_LEARNED = date(2020, 7, 6)  # the first Monday auto serves seircast-ensemble.5


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


def with_auto(ours: pd.DataFrame, later: str = "ensemble.5") -> pd.DataFrame:
    """Add ``auto``: what the service serves (the 2020 model to 2020-06-30, after it
    ``later``: seircast-ensemble.5 learning from its own fits from July 2020 on)."""
    early = pd.to_datetime(ours.monday) <= pd.Timestamp(AUTO_LAST_2020)
    served_early = ours.component == "yyg-2020"
    auto = ours[(served_early & early) | ((ours.component == later) & ~early)]
    return pd.concat([ours, auto.assign(component="auto")], ignore_index=True)


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


def learned_ensemble(
    ours: pd.DataFrame,
    qcols: list[str],
    levels: np.ndarray,
    settings: OnlineSettings,
    *,
    since: date | None = None,
    name: str = "ensemble.5",
) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    """``seircast-ensemble.5`` as the service runs it, on the bench's 5 levels: on each
    Monday M, ``app.core.online_ensemble.plan`` on the components' forecasts of the
    ``settings.lookback_weeks`` before M (from ``since`` on: the service learns from the
    model's own past fits only) whose week ended by M-2, against the deaths reported by M;
    today's rows combined with its weights and widened by its factors."""
    key = ["monday", "location", "horizon", "target_end_date"]
    parts = [ours[ours.component == c].set_index(key)[qcols] for c in COMPONENTS]
    common = parts[0].index
    for part in parts[1:]:
        common = common.intersection(part.index)
    stacked = np.stack([p.loc[common].to_numpy(np.float64) for p in parts])
    rows = common.to_frame(index=False)
    truth = rows.merge(reported_weekly(), on=["location", "target_end_date"], how="left")
    y = truth.reported.to_numpy(np.float64)
    mondays, ends = pd.to_datetime(rows.monday), pd.to_datetime(rows.target_end_date)
    horizon = rows.horizon.to_numpy()
    usable = np.isfinite(y) & (horizon <= settings.max_horizon)
    if since is not None:
        usable &= (mondays >= pd.Timestamp(since)).to_numpy()
    out = np.empty(stacked.shape[1:])
    used: dict[str, dict[str, float]] = {}
    for monday in sorted(set(rows.monday)):
        m = pd.Timestamp(monday)
        now = (mondays == m).to_numpy()
        past = known_before(mondays, ends, m, settings.lookback_weeks) & usable
        history = PastForecasts(COMPONENTS, levels, horizon[past], y[past], stacked[:, past])
        chosen = plan(history, settings, 4)
        w = np.array([chosen.weights[c] for c in COMPONENTS])
        combined = combine_log_quantiles(stacked[:, now], w / w.sum())
        factors = chosen.factors[horizon[now] - 1]
        widened = [apply_widening(levels, q, f) for q, f in zip(combined, factors, strict=True)]
        out[now] = np.array(widened).reshape(combined.shape)
        used[monday] = {c: round(v, 3) for c, v in chosen.weights.items()}
    frame = rows.assign(component=name)
    frame[qcols] = out
    return frame, used
