"""Loaders shared by the benchmark scripts (reads ../shared/data; never used by the app)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from app.core.seir import CaseSeries
from app.core.types import FloatArray

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
STATES_51 = tuple(
    f"{i:02d}" for i in range(1, 57) if i not in (3, 7, 14, 43, 52)
)  # 50 states + DC (FIPS 11)


@dataclass(frozen=True)
class Series:
    """Cumulative deaths of one location as reported (daily-report vintage)."""

    location: str
    start_date: date
    cumulative: FloatArray

    def first_death(self) -> date:
        positive = np.flatnonzero(self.cumulative > 0)
        return self.start_date + timedelta(days=int(positive[0]) if positive.size else 0)


@lru_cache(maxsize=1)
def stitched() -> pd.DataFrame:
    """The stitched JHU daily file (date, location, cum_deaths, ...)."""
    path = DATA / "csse" / "us_state_deaths_daily_stitched.csv.gz"
    return pd.read_csv(path, dtype={"location": str})


def series(location: str, before: date) -> Series:
    """Cumulative deaths of ``location`` (FIPS or "US") for dates < ``before``."""
    frame = stitched()
    rows = frame[(frame.location == location) & (frame.date < before.isoformat())]
    rows = rows.sort_values("date")
    return Series(
        location,
        date.fromisoformat(rows.date.iloc[0]),
        rows.cum_deaths.to_numpy(np.float64),
    )


@lru_cache(maxsize=1)
def daily_reports() -> pd.DataFrame:
    """The CSSE US daily reports, long (report_date, location, Confirmed), from 2020-04-12."""
    path = DATA / "csse" / "us_states_daily_reports_long.csv.gz"
    frame = pd.read_csv(path, usecols=["report_date", "FIPS", "Confirmed"])
    frame = frame.dropna(subset=["FIPS"])
    frame["location"] = frame.FIPS.astype(int).map("{:02d}".format)
    return frame


def case_series(location: str, before: date) -> CaseSeries:
    """Cumulative confirmed cases of a state as reported each day, for dates < ``before``."""
    frame = daily_reports()
    rows = frame[(frame.location == location) & (frame.report_date < before.isoformat())]
    rows = rows.sort_values("report_date")
    return CaseSeries(
        date.fromisoformat(rows.report_date.iloc[0]), rows.Confirmed.to_numpy(np.float64)
    )


def weekly_truth() -> pd.DataFrame:
    """Final JHU weekly incident deaths: location, week_end_date, inc_deaths."""
    path = DATA / "forecast_hub" / "truth" / "weekly_deaths_final_jhu.csv"
    return pd.read_csv(path, dtype={"location": str})


def peer_forecasts(model: str) -> pd.DataFrame:
    """Forecast Hub viz weekly incident-death quantiles of ``model``."""
    path = DATA / "forecast_hub" / "viz_weekly_inc_death" / f"{model}.csv.gz"
    return pd.read_csv(path, dtype={"location": str})
