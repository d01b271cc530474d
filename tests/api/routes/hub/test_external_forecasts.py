"""POST /external-forecasts, truth import, scoring after ingest and GET /evaluations."""

import gzip

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.db.session import unit_of_work
from app.services.external import import_truth
from app.services.scores import score_pending
from tests.factories import PROBLEM, SHARED_DATA, eval_snapshot, hub_csv, linear_deaths

MONDAY, SATURDAY, NEXT_SATURDAY = "2020-06-01", "2020-06-06", "2020-06-13"
GOOD = [50.0, 60.0, 70.0, 80.0, 90.0]  # truth 70: WIS (0 + 0.25*20 + 0.025*40) / 2.5 = 2.4
LOW = [0.0, 5.0, 10.0, 15.0, 20.0]  # truth 70: WIS (30 + 0.25*230 + 0.025*2020) / 2.5 = 55.2


def _import(client: TestClient, model: str, data: bytes, name: str = "f.csv") -> dict[str, object]:
    response = client.post(
        "/external-forecasts", files={"file": (name, data)}, data={"model": model}
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _setup(client: TestClient) -> None:
    """NY observations (70 deaths a week) and two models' 1 and 2 wk forecasts from 2020-06-01."""
    ingest = client.post("/observations", files={"file": ("ny.csv", linear_deaths())})
    assert ingest.status_code == 201, ingest.text
    rows = [(MONDAY, "36", 1, SATURDAY, GOOD), (MONDAY, "36", 2, NEXT_SATURDAY, GOOD)]
    _import(client, "Good-Model", hub_csv(rows))
    base = [(MONDAY, "36", 1, SATURDAY, LOW), (MONDAY, "36", 2, NEXT_SATURDAY, LOW)]
    _import(client, "COVIDhub-baseline", hub_csv(base))


def test_scores_and_relative_wis_known_answers(client: TestClient) -> None:
    _setup(client)
    body = client.get("/evaluations").json()
    assert body["baseline"] == "COVIDhub-baseline" and body["forecasts"] == 2
    assert body["levels"] == [0.025, 0.25, 0.5, 0.75, 0.975]
    assert body["truth_sources"] == ["observations@release:1"]
    overall = {s["model"]: s for s in body["overall"]}
    assert overall["Good-Model"]["wis"] == pytest.approx(2.4)
    assert overall["COVIDhub-baseline"]["wis"] == pytest.approx(55.2)
    assert overall["Good-Model"]["relative_wis"] == pytest.approx(2.4 / 55.2)
    assert overall["COVIDhub-baseline"]["relative_wis"] == pytest.approx(1.0)
    assert overall["Good-Model"]["coverage_50"] == 1.0 and overall["Good-Model"]["mae"] == 0
    assert overall["COVIDhub-baseline"]["coverage_95"] == 0.0
    assert overall["COVIDhub-baseline"]["mae"] == pytest.approx(60.0)
    assert {s["region"] for s in body["by_region"]} == {"US-NY"}
    assert sorted({s["horizon"] for s in body["by_horizon"]}) == [1, 2]
    one = client.get("/evaluations", params={"horizon": 1, "region": "NY", "model": "Good-Model"})
    assert one.status_code == 200 and one.json()["forecasts"] == 1


def test_imported_truth_takes_precedence_and_rescores(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _setup(client)
    truth = f"location,location_name,week_end_date,inc_deaths\n36,New York,{SATURDAY},90\n"
    with unit_of_work(session_factory) as session:
        assert import_truth(session, truth.encode(), "jhu-final") == 1
        assert score_pending(session) == 2  # the two 1 wk forecasts, now against 90
        assert score_pending(session) == 0
    body = client.get("/evaluations", params={"horizon": 1}).json()
    assert body["truth_sources"] == ["jhu-final"]
    overall = {s["model"]: s for s in body["overall"]}
    assert overall["Good-Model"]["mae"] == pytest.approx(20.0)
    assert overall["Good-Model"]["coverage_50"] == 0.0 and overall["Good-Model"]["coverage_95"] == 1


def test_reimport_replaces_forecast_dates_atomically(client: TestClient) -> None:
    _setup(client)
    rows = [(MONDAY, "36", 1, SATURDAY, LOW)]
    body = _import(client, "Good-Model", hub_csv(rows))
    assert body["forecasts"] == 1 and body["scored"] == 1
    overall = {s["model"]: s for s in client.get("/evaluations").json()["overall"]}
    assert overall["Good-Model"]["n"] == 1 and overall["Good-Model"]["wis"] == pytest.approx(55.2)


def test_viz_extract_with_reference_date_lines_up_with_mondays(client: TestClient) -> None:
    """reference_date (Saturday) + 2 days = the hub forecast date (Monday)."""
    rows = [("2020-05-30", "36", 1, SATURDAY, GOOD)]
    body = _import(client, "Viz-Model", gzip.compress(hub_csv(rows, date_column="reference_date")))
    assert body["forecast_dates"] == [MONDAY] and body["date_column"] == "reference_date"


def test_real_viz_and_hub_files_import(client: TestClient) -> None:
    viz = SHARED_DATA / "forecast_hub" / "viz_weekly_inc_death" / "YYG-ParamSearch.csv.gz"
    lines = gzip.decompress(viz.read_bytes()).decode().splitlines()
    small = "\n".join(lines[:2001]).encode()  # whole forecasts: 5 rows each
    assert _import(client, "YYG-ParamSearch", small)["forecasts"] == 400
    raw = SHARED_DATA / "forecast_hub" / "forecasts" / "YYG-ParamSearch"
    first = sorted(raw.iterdir())[0]
    body = _import(client, "YYG-raw", first.read_bytes(), first.name)
    assert body["date_column"] == "forecast_date" and int(str(body["forecasts"])) > 0


BAD_FILES = {
    "bad target": (b"forecast_date,target,target_end_date,location,type,quantile,value\n"
                   b"2020-06-01,1 day ahead inc death,2020-06-06,36,quantile,0.5,1\n", 2, "target"),
    "bad location": (hub_csv([(MONDAY, "6", 1, SATURDAY, GOOD)]), 2, "location"),
    "decreasing": (hub_csv([(MONDAY, "36", 1, SATURDAY, [5, 4, 3, 2, 1])]), 3, "value"),
    "end date": (hub_csv([(MONDAY, "36", 1, NEXT_SATURDAY, GOOD)]), 2, "target_end_date"),
    "not utf-8": (b"\xff\xfe\x00", 1, None),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_reported_by_line_and_stores_nothing(
    client: TestClient, session_factory: sessionmaker[Session], case: str
) -> None:
    _setup(client)
    before = eval_snapshot(session_factory)
    data, line, column = BAD_FILES[case]
    response = client.post(
        "/external-forecasts", files={"file": ("bad.csv", data)}, data={"model": "Good-Model"}
    )
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    first = response.json()["errors"][0]
    assert first["line"] == line and first.get("column") == column
    assert eval_snapshot(session_factory) == before


def test_asymmetric_levels_are_rejected(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    before = eval_snapshot(session_factory)
    data = hub_csv([(MONDAY, "36", 1, SATURDAY, [1, 2, 3])], levels=(0.1, 0.5, 0.75))
    response = client.post(
        "/external-forecasts", files={"file": ("a.csv", data)}, data={"model": "M"}
    )
    assert response.status_code == 422 and "symmetric" in response.json()["errors"][0]["message"]
    assert eval_snapshot(session_factory) == before


@pytest.mark.parametrize("model", ["", "seircast", "seircast-baseline", "bad name", "x" * 65])
def test_bad_or_reserved_model_names_are_refused(
    client: TestClient, session_factory: sessionmaker[Session], model: str
) -> None:
    before = eval_snapshot(session_factory)
    data = hub_csv([(MONDAY, "36", 1, SATURDAY, GOOD)])
    response = client.post(
        "/external-forecasts", files={"file": ("a.csv", data)}, data={"model": model}
    )
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert eval_snapshot(session_factory) == before


def test_missing_file_is_422(client: TestClient) -> None:
    response = client.post("/external-forecasts", data={"model": "M"})
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"model": "Nobody"}, 404, "model"),
        ({"region": "Atlantis"}, 404, None),
        ({"horizon": 0}, 422, "query.horizon"),
        ({"horizon": 9}, 422, "query.horizon"),
        ({"horizon": "two"}, 422, "query.horizon"),
        ({"start": "2020-13-01"}, 422, "query.start"),
        ({"end": "yesterday"}, 422, "query.end"),
        ({"start": "2020-07-01", "end": "2020-06-01"}, 422, "end"),
        ({"target": "hosp"}, 422, "query.target"),
        ({"model": ""}, 422, "query.model.0"),
    ],
)
def test_bad_evaluation_queries_are_problems_and_change_nothing(
    client: TestClient,
    session_factory: sessionmaker[Session],
    params: dict[str, object],
    status: int,
    field: str | None,
) -> None:
    _setup(client)
    before = eval_snapshot(session_factory)
    response = client.get("/evaluations", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    if field:
        assert any(e.get("field") == field for e in response.json().get("errors", [])) or (
            response.json().get("field") == field
        )
    assert eval_snapshot(session_factory) == before


def test_empty_selection_is_an_empty_table(client: TestClient) -> None:
    _setup(client)
    body = client.get("/evaluations", params={"start": "2021-01-04"}).json()
    assert body["forecasts"] == 0 and body["overall"] == []
