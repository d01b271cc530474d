"""GET /regions, /regions/{code} and /regions/{code}/observations, good and bad queries."""

from fastapi.testclient import TestClient

from tests.factories import long_csv

PROBLEM = "application/problem+json"


def test_list_filters_by_level_parent_and_search(client: TestClient) -> None:
    states = client.get("/regions", params={"parent": "US", "level": "state", "limit": 100}).json()
    assert states["total"] == 56
    assert {"US-NY", "US-DC", "US-PR"} <= {r["code"] for r in states["items"]}
    found = client.get("/regions", params={"q": "york"}).json()
    assert [r["code"] for r in found["items"]] == ["US-NY"]
    countries = client.get("/regions", params={"level": "country", "limit": 1000}).json()
    assert countries["total"] > 190 and "FR" in {r["code"] for r in countries["items"]}


def test_unknown_region_is_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/regions/New Yrok")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert "US-NY" in response.json()["suggestions"]
    assert client.get("/regions/XX-NOWHERE/observations").status_code == 404


def test_bad_query_values_are_422(client: TestClient) -> None:
    cases = [
        ("/regions", {"level": "planet"}, "level"),
        ("/regions", {"limit": "0"}, "limit"),
        ("/regions", {"offset": "-1"}, "offset"),
        ("/regions/NY/observations", {"start": "2020-13-01"}, "start"),
        ("/regions/NY/observations", {"end": "yesterday"}, "end"),
        ("/regions/NY/observations", {"start": "2020-05-01", "end": "2020-04-01"}, "end"),
        ("/regions/NY/observations", {"as_of": "last tuesday"}, "as_of"),
        ("/regions/NY/observations", {"series": "wiggly"}, "series"),
        ("/regions/NY/observations", {"metric": "hospital"}, "metric"),
    ]
    for path, params, field in cases:
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert field in response.text


def test_as_of_unknown_release_or_too_early_is_404(client: TestClient) -> None:
    client.post("/observations", files={"file": ("a.csv", long_csv([("2020-03-01", "NY", 1)]))})
    assert client.get("/regions/NY/observations", params={"as_of": "999"}).status_code == 404
    too_early = client.get("/regions/NY/observations", params={"as_of": "2001-01-01"})
    assert too_early.status_code == 404 and "2001-01-01" in too_early.json()["detail"]
    today = client.get("/regions/NY/observations", params={"as_of": "2100-01-01"})
    assert today.status_code == 200 and today.json()["points"][0]["cumulative"] == 1


def test_observations_are_flagged_and_smoothed(client: TestClient) -> None:
    counts = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100, 130, 140, 150, 120, 160, 170]
    rows = [(f"2020-03-{i + 1:02d}", "TX", c) for i, c in enumerate(counts)]
    client.post("/observations", files={"file": ("tx.csv", long_csv(rows))})
    raw = client.get("/regions/TX/observations").json()
    smooth = client.get("/regions/TX/observations", params={"series": "smoothed"}).json()
    daily = [p["daily"] for p in raw["points"]]
    assert daily[15] == -30  # the raw series keeps the correction
    assert min(p["daily"] for p in smooth["points"]) >= 0
    smoothed = [p["daily"] for p in smooth["points"]]
    assert all(round(v, 3) == v for v in smoothed) and any(v != int(v) for v in smoothed)
    kinds = {f["kind"] for f in raw["flags"]}
    assert "decrease" in kinds
    window = client.get(
        "/regions/TX/observations", params={"start": "2020-03-05", "end": "2020-03-06"}
    )
    assert [p["date"] for p in window.json()["points"]] == ["2020-03-05", "2020-03-06"]


def test_out_of_range_integers_are_422_not_500(client: TestClient) -> None:
    huge = str(10**22)
    for path, params in [
        ("/regions", {"offset": huge}),
        ("/jobs", {"offset": huge}),
        ("/releases", {"offset": huge}),
        (f"/jobs/{huge}", {}),
        (f"/releases/{huge}", {}),
        (f"/fits/{huge}", {}),
        ("/forecast", {"region": "NY", "fit_id": huge}),
        ("/regions/NY/observations", {"as_of": huge}),
    ]:
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params, response.text)
        assert response.headers["content-type"] == PROBLEM


def test_unknown_query_parameters_are_422_naming_them(client: TestClient) -> None:
    response = client.get("/regions", params={"search": "york", "level": "state"})
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert "'search'" in problem["detail"] and "q" in problem["detail"]
    assert problem["errors"] == [
        {
            "field": "query.search",
            "message": "unknown query parameter 'search'; did you mean 'q'? "
            "(expected: level, limit, offset, parent, q)",
        }
    ]
    found = client.get("/regions", params={"q": "york", "level": "state"}).json()
    assert [r["code"] for r in found["items"]] == ["US-NY"]
    jobs = client.get("/jobs", params={"sort": "id"})
    assert jobs.status_code == 422 and "'sort'" in jobs.json()["detail"]
