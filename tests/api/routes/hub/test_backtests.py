"""POST /backtests and GET /forecasts/hub.csv refuse bad values and change nothing (no worker
runs here: tests/e2e/test_backtest.py runs backtests on a process pool)."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import PROBLEM, eval_snapshot, spring_2020_csv

D = "2020-06-01"


def _upload(
    client: TestClient, data: bytes, vintage: str | None = None, name: str = "d.csv"
) -> None:
    form = {"vintage_date": vintage} if vintage else {}
    response = client.post("/observations", files={"file": (name, data)}, data=form)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"forecast_dates": ["2020-06-02"]}, 422),  # not a Monday
        ({"forecast_dates": []}, 422),
        ({"forecast_dates": ["June 1"]}, 422),
        ({"forecast_dates": [D], "regions": ["Atlantis"]}, 404),
        ({"forecast_dates": [D], "regions": []}, 422),
        ({"forecast_dates": [D], "calibration": "magic"}, 422),
        ({"forecast_dates": [D], "model": "nope"}, 422),
        ({"forecast_dates": [D], "seed": -1}, 422),
        ({"forecast_dates": [D], "extra": 1}, 422),
    ],
)
def test_bad_backtest_values_are_problems_and_change_nothing(
    client: TestClient, session_factory: sessionmaker[Session], body: dict[str, object], status: int
) -> None:
    _upload(client, spring_2020_csv(("36",)))
    before = eval_snapshot(session_factory)
    response = client.post("/backtests", json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert eval_snapshot(session_factory) == before


def test_backtest_without_data_is_422(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    before = eval_snapshot(session_factory)
    response = client.post("/backtests", json={"forecast_dates": [D]})
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert eval_snapshot(session_factory) == before


@pytest.mark.parametrize(
    ("params", "status"),
    [({"forecast_date": "2020-02-30"}, 422), ({}, 422), ({"forecast_date": "2020-06-01"}, 404)],
)
def test_bad_hub_csv_queries_are_problems(
    client: TestClient, params: dict[str, str], status: int
) -> None:
    response = client.get("/forecasts/hub.csv", params=params)
    assert response.status_code == status and response.headers["content-type"] == PROBLEM
