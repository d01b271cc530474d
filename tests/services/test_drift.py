"""Drift alerts from rolling scores, and GET /alerts."""

from datetime import date, timedelta

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.core.hubformat import QUANTILES_23
from app.core.scoring import interval_coverage, weighted_interval_score
from app.db.evaluations import ScoreRepository
from app.db.repositories import RegionRepository
from app.db.session import unit_of_work
from app.services.drift import check_drift
from tests.factories import LEVELS_5


def _score(
    model: str,
    region_id: int,
    made: date,
    horizon: int,
    levels: list[float],
    values: list[float],
    truth: float = 1.0,
) -> dict[str, object]:
    """A score row as ``score_pending`` stores it: WIS and coverage on the forecast's levels."""
    end = made + timedelta(days=5 + 7 * (horizon - 1))
    y, lv, q = np.array([truth]), np.array(levels), np.array([values])
    cov95 = interval_coverage(y, lv, q, 0.95)[0] if 0.025 in levels else None
    return {
        "model": model, "source": "external", "source_id": 1, "region_id": region_id,
        "forecast_date": made, "target": "inc_week", "horizon": horizon, "target_end_date": end,
        "truth": truth, "truth_source": "test", "wis": float(weighted_interval_score(y, lv, q)[0]),
        "abs_error": abs(truth - values[len(values) // 2]), "cov50": None,
        "cov95": None if cov95 is None else bool(cov95), "levels": levels, "values": values,
    }  # fmt: skip


def _point(model: str, region_id: int, made: date, horizon: int, error: float) -> dict[str, object]:
    """A point mass ``error`` above the truth 1 on 3 levels: WIS ``error``, never covered."""
    return _score(model, region_id, made, horizon, [0.025, 0.5, 0.975], [1.0 + error] * 3)


def test_drift_alert_recorded_once_and_listed(
    client: TestClient, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    mondays = [date(2020, 6, 1) + timedelta(days=7 * i) for i in range(4)]
    with unit_of_work(session_factory) as session:
        ny = RegionRepository(session).resolve("NY")
        assert ny is not None
        rows = [_point("seircast", ny.id, m, h, 30.0) for m in mondays for h in (1, 2)]
        rows += [_point("seircast-baseline", ny.id, m, h, 10.0) for m in mondays for h in (1, 2)]
        ScoreRepository(session).upsert(rows)
        alerts = check_drift(session, settings)
        assert {(a.metric, round(a.value, 6)) for a in alerts} == {
            ("relative_wis", 3.0),
            ("coverage_95", 0.0),
        }
        assert check_drift(session, settings) == []  # the same window alerts once
    body = client.get("/alerts", params={"region": "NY"}).json()
    assert {a["metric"] for a in body} == {"relative_wis", "coverage_95"}
    assert body[0]["region"] == "US-NY" and body[0]["window_end"] == "2020-06-22"


def test_drift_compares_wis_on_the_levels_both_have(
    client: TestClient, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    """Our 23-level scores against COVIDhub-baseline's 5-level ones: rescored on the 5 levels.

    On those 5 levels our WIS is twice the baseline's (2.8 vs 1.4 at truth 100), so the relative
    WIS is 2.0, as GET /evaluations reports. Our 0.01 and 0.99 quantiles are far out, which makes
    our stored 23-level WIS (8.2) 5.9 times the baseline's stored 5-level WIS: dividing the
    stored values (two level sets) alerts with 5.86 instead.
    """
    ours_5 = [60.0, 90.0, 100.0, 110.0, 140.0]
    ours = [float(v) for v in np.interp(QUANTILES_23, LEVELS_5, ours_5)]
    ours[0], ours[-1] = 0.0, 5000.0
    mondays = [date(2020, 6, 1) + timedelta(days=7 * i) for i in range(4)]
    with unit_of_work(session_factory) as session:
        ny = RegionRepository(session).resolve("NY")
        assert ny is not None
        rows = [
            _score("seircast", ny.id, m, h, list(QUANTILES_23), ours, truth=100.0)
            for m in mondays
            for h in (1, 2)
        ]
        rows += [
            _score("COVIDhub-baseline", ny.id, m, h, list(LEVELS_5), [80, 95, 100, 105, 120], 100)
            for m in mondays
            for h in (1, 2)
        ]
        assert rows[0]["wis"] / rows[-1]["wis"] > 4  # type: ignore[operator]
        ScoreRepository(session).upsert(rows)
        alerts = check_drift(session, settings)
        assert [(a.metric, round(a.value, 6)) for a in alerts] == [("relative_wis", 2.0)]
    overall = client.get("/evaluations", params={"region": "NY"}).json()["overall"]
    assert {s["model"]: s["relative_wis"] for s in overall}["seircast"] == pytest.approx(2.0)
