"""POST /refit and DELETE /jobs/{id} without a worker: deduplication, bad requests, cancelling
queued jobs (tests/e2e/test_refit.py runs the fits on a process pool)."""

import pytest
from fastapi.testclient import TestClient

from tests.factories import PROBLEM


def test_refit_deduplicates_running_regions(loaded: TestClient) -> None:
    first = loaded.post("/refit", json={"regions": ["NY"]})
    again = loaded.post("/refit", json={"regions": ["New York"]})
    assert first.status_code == 202 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["deduplicated"] == {"US-NY": first.json()["id"]}
    mixed = loaded.post("/refit", json={"regions": ["NY", "TX"]})
    assert mixed.status_code == 202 and mixed.json()["payload"]["regions"] == ["US-TX"]


@pytest.mark.parametrize(
    ("body", "status", "where"),
    [
        ({"regions": []}, 422, "regions"),
        ({"regions": ["Atlantis"]}, 404, "Atlantis"),
        ({"regions": "everything"}, 422, "regions"),
        ({"regions": ["NY"], "settings": {"keep_fraction": 0.9}}, 422, "keep_fraction"),
        ({"regions": ["NY"], "settings": {"horizon_days": 1}}, 422, "horizon_days"),
        ({"regions": ["NY"], "settings": {"case_weight": 1.5}}, 422, "case_weight"),
        ({"regions": ["NY"], "settings": {"case_weight": "lots"}}, 422, "case_weight"),
        ({"regions": ["NY"], "settings": {"magic": 1}}, 422, "magic"),
        ({"regions": ["NY"], "model": "prophet"}, 422, "model"),
        ({"regions": ["NY"], "seed": -1}, 422, "seed"),
        ({"regions": ["NY"], "as_of": "soon"}, 422, "as_of"),
        ({"regions": ["NY"], "as_of": "999"}, 404, "999"),
        ({}, 422, "regions"),
    ],
)
def test_bad_refit_requests_are_problems_and_queue_nothing(
    loaded: TestClient, body: dict[str, object], status: int, where: str
) -> None:
    response = loaded.post("/refit", json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert where in response.text
    assert loaded.get("/jobs").json()["total"] == 0  # nothing queued


def test_refit_before_any_data_is_422(client: TestClient) -> None:
    response = client.post("/refit", json={"regions": ["NY"]})
    assert response.status_code == 422 and "ingest" in response.json()["detail"]


def test_cancelling_a_queued_refit_cancels_its_children(loaded: TestClient) -> None:
    job = loaded.post("/refit", json={"regions": ["NY", "TX", "CA"]}).json()
    cancelled = loaded.delete(f"/jobs/{job['id']}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    children = loaded.get("/jobs", params={"include_children": True, "kind": "fit_region"}).json()
    assert {c["status"] for c in children["items"]} == {"cancelled"}
    assert loaded.delete(f"/jobs/{job['id']}").status_code == 409
    assert loaded.delete("/jobs/12345").status_code == 404
    assert loaded.get("/jobs/abc").status_code == 422
    assert loaded.get("/jobs", params={"status": "sleeping"}).status_code == 422
