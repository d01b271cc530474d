"""The embedded default: a fresh database gets the bundled JHU snapshot on first start."""

from datetime import date

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_first_start_loads_bundled_data(settings: Settings) -> None:
    embedded = settings.model_copy(update={"LOAD_BUNDLED_DATA": True, "AUTO_MIGRATE": True})
    with TestClient(create_app(embedded)) as client:
        ready = client.get("/ready").json()
        assert ready["releases"] == 5 and "Johns Hopkins" in ready["attribution"]
        states = client.get("/regions", params={"parent": "US", "level": "state"}).json()
        assert states["total"] == 56
        ny = client.get(
            "/regions/NY/observations", params={"start": "2020-06-01", "end": "2020-06-01"}
        )
        assert ny.json()["points"][0]["cumulative"] == 29771
        first = client.get("/regions/NY/observations", params={"end": "2020-03-31"}).json()
        assert date.fromisoformat(first["points"][0]["date"]) == date(2020, 1, 22)
        seam = [
            f
            for f in client.get("/regions/NY/observations").json()["flags"]
            if f["date"] == "2020-04-12"
        ]
        assert seam and seam[0]["kind"] == "decrease"
        assert client.get("/regions/US").json()["last_date"] == "2023-03-09"
        france = client.get("/regions/FR/observations", params={"start": "2023-03-09"}).json()
        assert france["points"][0]["cumulative"] > 160_000
        assert client.get("/docs").status_code == 200
    with TestClient(create_app(embedded)) as client:  # a restart loads nothing twice
        assert client.get("/ready").json()["releases"] == 5
