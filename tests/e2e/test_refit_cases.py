"""Refits read the region's reported cases from the store; the forecast says what it used."""

from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.jobs.worker import Worker
from app.main import create_app
from tests.factories import confirmed_csv, spring_2020_csv


def test_refit_uses_stored_cases_and_says_when_it_cannot(
    session_factory: sessionmaker[Session], settings: Settings, pool: ProcessPoolExecutor
) -> None:
    uncached = settings.model_copy(update={"FORECAST_CACHE_SECONDS": 0.0})  # two refits of NY
    with TestClient(create_app(uncached)) as client:
        for name, upload in (
            ("deaths.csv", spring_2020_csv()),
            ("confirmed_ny.csv", confirmed_csv({"36"}, date(2020, 6, 30))),
            ("confirmed_tx.csv", confirmed_csv({"48"}, date(2020, 6, 15))),  # 15 days stale
        ):
            response = client.post("/observations", files={"file": (name, upload)})
            assert response.status_code == 201, response.text
        _check_cases_used(client, session_factory, settings, pool)


def _check_cases_used(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    regions = {"regions": ["US-NY", "US-CA", "US-TX"]}
    fits = _refit(loaded, session_factory, settings, pool, regions)
    assert fits["US-TX"]["case_signal"] is None
    assert any("end over a week before the deaths" in w for w in fits["US-TX"]["warnings"])
    signal = fits["US-NY"]["case_signal"]
    assert signal["last_case_date"] == "2020-06-30" and signal["lag_days"] == 17
    assert 0.005 < signal["deaths_per_case"] < 0.2  # NY, June 2020: about 5 deaths per 100 cases
    assert not any("cases" in w for w in fits["US-NY"]["warnings"])
    assert fits["US-CA"]["case_signal"] is None
    html = {"accept": "text/html"}  # the region page (the same path answers JSON to the API)
    page = loaded.get("/regions/US-NY", headers=html).text
    assert f"{signal['deaths_per_case'] * 100:.2f} deaths per 100 cases reported 17 days" in page
    page = loaded.get("/regions/US-CA", headers=html).text
    assert "not used: the forecast uses deaths only" in page
    assert any("no reported cases" in w for w in fits["US-CA"]["warnings"])

    off = {"regions": ["US-NY"], "settings": {"case_weight": 0}}
    deaths_only = _refit(loaded, session_factory, settings, pool, off)["US-NY"]
    assert deaths_only["settings"]["case_weight"] == 0
    assert deaths_only["case_signal"] is None
    assert not any("cases" in w for w in deaths_only["warnings"])


def _refit(
    client: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
    body: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """POST /refit, run it on a real worker, return each region's published fit."""
    job = client.post("/refit", json=body).json()
    worker = Worker(session_factory, settings, pool, name="test-worker")
    while worker.run_once():
        pass
    assert client.get(f"/jobs/{job['id']}").json()["status"] == "succeeded"
    fits = {}
    for region in body["regions"]:
        published = client.get("/forecast", params={"region": region}).json()
        fits[region] = client.get(f"/fits/{published['provenance']['fit_id']}").json()
    return fits
