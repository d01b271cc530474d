"""Files of different sources disagree (a county file's state totals, the stitched daily file,
the daily reports): a value is revised only by a file of the source that stored it."""

import httpx
from fastapi.testclient import TestClient

from tests.factories import csse_us_county_csv, long_csv


def _upload(client: TestClient, name: str, data: str) -> httpx.Response:
    response: httpx.Response = client.post(
        "/observations", files={"file": (name, data.encode(), "text/csv")}
    )
    return response


def _ny(client: TestClient) -> list[int]:
    points = client.get("/regions/US-NY/observations").json()["points"]
    return [p["cumulative"] for p in points]


def test_another_source_never_overwrites_stored_values(client: TestClient) -> None:
    days = ("2020-03-01", "2020-03-02", "2020-03-03")
    first = _upload(client, "stitched.csv", long_csv([(d, "NY", 2) for d in days]))
    assert first.status_code == 201, first.text
    # the county file sums New York to 1, 3, 5, 9, 13 from 2020-03-01: its first three days
    # disagree with the stored values, its last two days and its counties are new
    county = _upload(client, "deaths_US.csv", csse_us_county_csv())
    assert county.status_code == 201, county.text
    message = county.json()["message"]
    assert "3 values of US-NY differ from another source's" in message, message
    assert f"release {first.json()['release']['id']}" in message
    assert county.json()["release"]["format"] == "csse_us"
    assert _ny(client) == [2, 2, 2, 9, 13]
    counties = client.get("/regions/US-36061/observations").json()["points"]
    assert [p["cumulative"] for p in counties] == [1, 2, 3, 5, 8]


def test_a_later_file_of_the_same_source_revises_its_values(client: TestClient) -> None:
    _upload(client, "a.csv", long_csv([("2020-03-01", "NY", 2)]))
    again = _upload(client, "b.csv", long_csv([("2020-03-01", "NY", 3)]))
    assert again.status_code == 201 and "differ" not in again.json()["message"]
    assert _ny(client) == [3]


def test_a_file_that_only_disagrees_stores_nothing_and_says_why(client: TestClient) -> None:
    _upload(client, "deaths_US.csv", csse_us_county_csv())
    other = _upload(client, "stitched.csv", long_csv([("2020-03-01", "NY", 7)]))
    assert other.status_code == 200 and not other.json()["created"]
    assert "nothing stored; 1 values of US-NY differ" in other.json()["message"]
    assert _ny(client) == [1, 3, 5, 9, 13]
    assert len(client.get("/releases").json()) == 1
