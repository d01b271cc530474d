"""Observations as stored: only values that change are written again, and `as_of` reads any
release back (app/db/observations.py, through POST /observations and the observations route)."""

import httpx
from fastapi.testclient import TestClient

from tests.factories import long_csv


def _upload(client: TestClient, name: str, data: bytes, **form: str) -> httpx.Response:
    response: httpx.Response = client.post(
        "/observations", files={"file": (name, data, "text/csv")}, data=form
    )
    return response


def test_only_changed_values_are_stored(client: TestClient) -> None:
    rows = [("2020-03-01", "NY", 1), ("2020-03-02", "NY", 3), ("2020-03-03", "NY", 4)]
    first = _upload(client, "a.csv", long_csv(rows).encode())
    assert first.json()["release"]["values_stored"] == 3
    rows[2] = ("2020-03-03", "NY", 6)
    second = _upload(client, "b.csv", long_csv(rows).encode())
    assert second.status_code == 201
    assert second.json()["release"]["values_stored"] == 1


def test_as_of_reads_each_release(client: TestClient) -> None:
    r1 = _upload(
        client, "a.csv", long_csv([("2020-03-01", "TX", 1), ("2020-03-02", "TX", 2)]).encode()
    )
    r2 = _upload(
        client,
        "b.csv",
        long_csv(
            [("2020-03-01", "TX", 1), ("2020-03-02", "TX", 5), ("2020-03-03", "TX", 7)]
        ).encode(),
    )
    id1, id2 = (r.json()["release"]["id"] for r in (r1, r2))
    old = client.get(f"/regions/TX/observations?as_of={id1}").json()
    new = client.get(f"/regions/TX/observations?as_of={id2}").json()
    assert [p["cumulative"] for p in old["points"]] == [1, 2]
    assert [p["cumulative"] for p in new["points"]] == [1, 5, 7]
    latest = client.get("/regions/TX/observations").json()
    assert latest["points"] == new["points"]
