"""RegionRepository.resolve: codes, aliases, FIPS and names, read through GET /regions/{code}."""

from fastapi.testclient import TestClient


def test_region_aliases_resolve(client: TestClient) -> None:
    for alias in ("US-NY", "ny", "New York", "36", "new  york"):
        assert client.get(f"/regions/{alias}").json()["code"] == "US-NY", alias
    assert client.get("/regions/CA").json()["code"] == "CA"  # ISO country code wins
    assert client.get("/regions/california").json()["code"] == "US-CA"
