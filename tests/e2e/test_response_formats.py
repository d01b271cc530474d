"""Numbers and timestamps as a client reads them: forecast values without float noise (JSON
and the hub CSV), every timestamp UTC with its offset, the same in every response."""

import csv
import io
import re
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.jobs.worker import Worker

UTC_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def _floats(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return []


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def test_forecast_values_are_rounded_and_timestamps_are_utc(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    job = loaded.post("/refit", json={"regions": ["NY"]}).json()
    worker = Worker(session_factory, settings, pool, name="formats")
    while worker.run_once():
        pass
    forecast = loaded.get("/forecast", params={"region": "NY"}).json()
    values = _floats(forecast["days"]) + _floats(forecast["weeks"])
    assert len(values) > 1000
    assert max(_decimals(v) for v in values) <= 3
    assert any(_decimals(v) > 0 for v in values)  # rounded, not truncated to integers
    fit = loaded.get(f"/fits/{forecast['provenance']['fit_id']}").json()
    stamps = [
        forecast["provenance"]["fitted_at"],
        fit["fitted_at"],
        loaded.get(f"/jobs/{job['id']}").json()["created_at"],
        loaded.get(f"/jobs/{job['id']}").json()["finished_at"],
        loaded.get("/releases").json()[0]["retrieved_at"],
    ]
    for stamp in stamps:
        assert UTC_STAMP.match(stamp), stamp
        assert datetime.fromisoformat(stamp).utcoffset() is not None
    day = forecast["provenance"]["forecast_date"]
    hub = loaded.get("/forecasts/hub.csv", params={"forecast_date": day})
    assert hub.status_code == 200, hub.text
    rows = list(csv.DictReader(io.StringIO(hub.text)))
    assert rows and max(_decimals(float(r["value"])) for r in rows) <= 3
