"""What `make run` serves on the bundled data (to 2023-03-09): the first-start refit of the
US states, territories and the US, through the real worker and process pool, read back over
HTTP. Week-1 forecasts hold the level the states last reported, and the US agrees with them.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.core.cleaning import clean_cumulative
from app.jobs.worker import Worker
from app.main import create_app

pytestmark = pytest.mark.slow
MIN_WEEKLY = 20.0


def _week1(client: TestClient, code: str) -> tuple[float, float, float]:
    """(2.5%, median, 97.5%) of the first epiweek's incident deaths served for ``code``."""
    body = client.get("/forecast", params={"region": code})
    assert body.status_code == 200, (code, body.text)
    week = body.json()["weeks"][0]["incident"]
    lo, hi = week["interval_95"]
    return float(lo), float(week["median"]), float(hi)


def _reported_weekly_level(client: TestClient, code: str) -> float:
    """Deaths a week over the last two weeks of reports (each report spread over the days it
    covers, so a weekly or fortnightly reporter's lump counts once)."""
    points = client.get(f"/regions/{code}/observations").json()["points"]
    cumulative = np.array([p["cumulative"] for p in points], dtype=np.float64)
    return float(clean_cumulative(cumulative).reported_daily[-14:].sum() / 2)


def test_first_start_forecasts_hold_the_reported_level_and_add_up(
    settings: Settings, session_factory: sessionmaker[Session], pool: ProcessPoolExecutor
) -> None:
    embedded = settings.model_copy(
        update={"LOAD_BUNDLED_DATA": True, "AUTO_MIGRATE": True, "REFIT_ON_START": True}
    )
    with TestClient(create_app(embedded)) as client:
        worker = Worker(session_factory, embedded, pool, name="test-worker")
        while worker.run_once():
            pass
        states = client.get("/regions", params={"parent": "US", "level": "state", "limit": 100})
        codes = [r["code"] for r in states.json()["items"]]
        assert len(codes) == 56
        outside, checked, low, medians, high = [], 0, 0.0, 0.0, 0.0
        for code in codes:
            lo, median, hi = _week1(client, code)
            assert 0 <= lo <= median <= hi
            low, medians, high = low + lo, medians + median, high + hi
            level = _reported_weekly_level(client, code)
            if level > MIN_WEEKLY:
                checked += 1
                if not lo <= level <= hi:
                    outside.append((code, level, lo, median, hi))
        assert checked >= 30
        assert outside == []
        us_lo, us_median, us_hi = _week1(client, "US")
        assert low <= us_median <= high  # within the states' summed 95% bounds
        assert us_lo <= medians <= us_hi  # and the states' medians add up inside the US band
