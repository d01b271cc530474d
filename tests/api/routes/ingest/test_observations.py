"""POST /observations: good files become releases; every bad input is a 4xx problem and
leaves the stored data exactly as it was."""

import gzip

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import csse_us_county_csv, long_csv, snapshot

PROBLEM = "application/problem+json"


def _upload(client: TestClient, name: str, data: bytes, **form: str) -> httpx.Response:
    response: httpx.Response = client.post(
        "/observations", files={"file": (name, data, "text/csv")}, data=form
    )
    return response


def test_upload_stores_release_then_same_file_is_a_no_op(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    data = csse_us_county_csv().encode()
    first = client.post("/observations", files={"file": ("deaths_US.csv", data)})
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["created"] and body["release"]["format"] == "csse_us"
    before = snapshot(session_factory)
    again = client.post("/observations", files={"file": ("deaths_US.csv", data)})
    assert again.status_code == 200 and not again.json()["created"]
    assert "identical" in again.json()["message"]
    assert snapshot(session_factory) == before
    ny = client.get("/regions/US-NY/observations").json()
    assert [p["cumulative"] for p in ny["points"]] == [1, 3, 5, 9, 13]


def test_older_vintage_after_a_newer_one_is_409_and_stores_nothing(client: TestClient) -> None:
    def upload(value: int, vintage: str | None) -> httpx.Response:
        data = long_csv([("2020-03-01", "TX", 1), ("2020-03-02", "TX", value)]).encode()
        form = {"vintage_date": vintage} if vintage else {}
        response: httpx.Response = client.post(
            "/observations", files={"file": ("v.csv", data)}, data=form
        )
        return response

    assert upload(2, "2020-07-01").status_code == 201
    # the same vintage and a release without one (dated the day it is retrieved) are in order;
    # older vintages after them are refused
    for value, vintage, status in ((3, "2020-06-30", 409), (4, "2020-07-01", 201), (5, None, 201)):
        before = client.get("/regions/TX/observations").json()
        n_releases = len(client.get("/releases").json())
        response = upload(value, vintage)
        assert response.status_code == status, response.text
        if status == 409:
            assert response.headers["content-type"] == PROBLEM
            problem = response.json()
            assert "oldest first" in problem["detail"] and "2020-07-01" in problem["detail"]
            assert problem["errors"][0]["field"] == "vintage_date"
            assert client.get("/regions/TX/observations").json() == before
            assert len(client.get("/releases").json()) == n_releases
    late = upload(6, "2021-01-01")
    assert late.status_code == 409 and "vintage_date" in late.text
    # an older vintage that changes no value stores nothing, as any such file
    same = client.post(  # other bytes, same values: not the identical-file shortcut
        "/observations",
        files={"file": ("v.csv", long_csv([("2020-03-01", "TX", 1)]).encode())},
        data={"vintage_date": "2020-01-01"},
    )
    assert same.status_code == 200 and "no value differs" in same.json()["message"]
    # a broken file is 422 whatever its vintage; a vintage after today is 422
    broken = client.post(
        "/observations",
        files={"file": ("v.csv", b"date,location,cum_deaths\n2020-03-01,TX,lots\n")},
        data={"vintage_date": "2020-01-01"},
    )
    assert broken.status_code == 422 and "lots" in broken.text
    future = upload(7, "2999-01-01")
    assert future.status_code == 422 and "in the future" in future.json()["detail"]
    assert future.json()["errors"][0]["field"] == "vintage_date"


BAD_FILES = [
    ("not_csv.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "not a CSV"),
    (
        "latin1.csv",
        "date,location,cum_deaths\n2020-03-01,Québec,1\n".encode("latin-1"),
        "not UTF-8",
    ),
    ("empty.csv", b"", "empty"),
    (
        "nodates_deaths.csv",
        b"UID,Province_State,Country_Region,Population\n1,New York,US,5\n",
        "no date",
    ),
    (
        "baddate_deaths.csv",
        b"UID,Province_State,Country_Region,Population,3/1/20,3/45/20\n1,New York,US,5,1,2\n",
        "date",
    ),
    (
        "dupdate_deaths.csv",
        b"UID,Province_State,Country_Region,Population,3/1/20,3/1/20\n1,New York,US,5,1,2\n",
        "date",
    ),
    (
        "nonnum.csv",
        long_csv([("2020-03-01", "NY", 1)]).replace(",1\n", ",one\n").encode(),
        "bad rows",
    ),
    ("negative.csv", long_csv([("2020-03-01", "NY", -1)]).encode(), "bad rows"),
    ("unknown.csv", long_csv([("2020-03-01", "Atlantis", 1)]).encode(), "unknown location"),
    ("dup.csv", long_csv([("2020-03-01", "NY", 1), ("2020-03-01", "NY", 1)]).encode(), "bad rows"),
    (
        "truncated.csv.gz",
        gzip.compress(long_csv([("2020-03-01", "NY", 1)] * 1).encode())[:-12],
        "truncated",
    ),
    ("header_only.csv", b"date,location,cum_deaths\n", "no data"),
    ("what.csv", b"a,b,c\n1,2,3\n", "unrecognised"),
]


@pytest.mark.parametrize(("name", "data", "expected"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_rejected_and_change_nothing(
    client: TestClient,
    session_factory: sessionmaker[Session],
    name: str,
    data: bytes,
    expected: str,
) -> None:
    assert (
        _upload(client, "seed.csv", long_csv([("2020-03-01", "NY", 1)]).encode()).status_code == 201
    )
    before = snapshot(session_factory)
    response = client.post("/observations", files={"file": (name, data)})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert expected.lower() in (body["detail"] + str(body.get("errors", ""))).lower()
    assert snapshot(session_factory) == before


def test_problem_names_line_and_column(client: TestClient) -> None:
    text_ = csse_us_county_csv().replace(",8\n", ",eight\n").encode()
    body = client.post("/observations", files={"file": ("x_deaths_US.csv", text_)}).json()
    assert body["errors"][0]["line"] == 2 and body["errors"][0]["column"] == "2020-03-05"


def test_over_size_limit_is_413(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    before = snapshot(session_factory)
    big = b"date,location,cum_deaths\n" + b"2020-03-01,NY,1\n" * 200_000
    response = client.post("/observations", files={"file": ("big.csv", big)})
    assert response.status_code == 413 and response.headers["content-type"] == PROBLEM
    assert snapshot(session_factory) == before


def test_wide_file_without_series_hint_is_422(client: TestClient) -> None:
    response = client.post(
        "/observations", files={"file": ("upload.csv", csse_us_county_csv().encode())}
    )
    assert response.status_code == 422 and "series" in response.json()["detail"]
    ok = client.post(
        "/observations",
        files={"file": ("upload.csv", csse_us_county_csv().encode())},
        data={"series": "deaths"},
    )
    assert ok.status_code == 201
