"""Drift alerts from rolling scores, and GET /alerts."""

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.evaluations import ScoreRepository
from app.db.repositories import RegionRepository
from app.db.session import unit_of_work
from app.services.drift import check_drift


def _score(
    model: str, region_id: int, made: date, horizon: int, wis: float, cov: bool
) -> dict[str, object]:
    end = made + timedelta(days=5 + 7 * (horizon - 1))
    return {
        "model": model, "source": "external", "source_id": 1, "region_id": region_id,
        "forecast_date": made, "target": "inc_week", "horizon": horizon, "target_end_date": end,
        "truth": 1.0, "truth_source": "test", "wis": wis, "abs_error": wis, "cov50": cov,
        "cov95": cov, "levels": [0.5], "values": [1.0],
    }  # fmt: skip


def test_drift_alert_recorded_once_and_listed(
    client: TestClient, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    mondays = [date(2020, 6, 1) + timedelta(days=7 * i) for i in range(4)]
    with unit_of_work(session_factory) as session:
        ny = RegionRepository(session).resolve("NY")
        assert ny is not None
        rows = [_score("seircast", ny.id, m, h, 30.0, False) for m in mondays for h in (1, 2)]
        rows += [
            _score("seircast-baseline", ny.id, m, h, 10.0, True) for m in mondays for h in (1, 2)
        ]
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
