"""The API-key dependency: mutating endpoints need a key when SEIRCAST_API_KEYS is set."""

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_api_keys_guard_mutating_endpoints(settings: Settings) -> None:
    keyed = settings.model_copy(update={"API_KEYS": ["s3cret"]})
    with TestClient(create_app(keyed)) as client:
        files = {"file": ("a.csv", b"date,location,cum_deaths\n2020-03-01,NY,1\n")}
        denied = client.post("/observations", files=files)
        assert denied.status_code == 401
        assert denied.headers["content-type"] == "application/problem+json"
        wrong = client.post("/observations", files=files, headers={"X-API-Key": "nope"})
        assert wrong.status_code == 401
        ok = client.post("/observations", files=files, headers={"X-API-Key": "s3cret"})
        assert ok.status_code == 201
        assert client.get("/regions/NY").status_code == 200  # reads stay open
