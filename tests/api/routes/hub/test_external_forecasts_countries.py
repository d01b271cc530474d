"""Imported hub files and truth at ISO-2 country locations are stored, scored and evaluated.

Every number here is synthetic (``linear_deaths``, made-up quantiles): no forecast or truth of
a real country is looked at (regions outside the US are the held-out set).
"""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.db.eval_models import Score
from app.db.models import Region
from app.db.session import unit_of_work
from app.services.external import import_truth
from app.services.scores import score_pending
from tests.factories import hub_csv, linear_deaths

MONDAY, SATURDAY = "2020-06-01", "2020-06-06"
GOOD = [50.0, 60.0, 70.0, 80.0, 90.0]  # truth 70: WIS 2.4
LOW = [0.0, 5.0, 10.0, 15.0, 20.0]  # truth 70: WIS 55.2
LOCATIONS = ("FR", "DE", "36")  # two countries next to a US state
MODELS = ("Good-Model", "COVIDhub-baseline")


def _post(client: TestClient, path: str, data: bytes, **form: str) -> dict[str, object]:
    response = client.post(path, files={"file": ("f.csv", data)}, data=form)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _setup(client: TestClient) -> None:
    for location in LOCATIONS:
        _post(client, "/observations", linear_deaths(location))
    for model, values in zip(MODELS, (GOOD, LOW), strict=True):
        rows = [(MONDAY, loc, 1, SATURDAY, values) for loc in LOCATIONS]
        body = _post(client, "/external-forecasts", hub_csv(rows), model=model)
        assert body["forecasts"] == 3 and body["scored"] == 3


def test_country_forecasts_are_scored_at_their_own_region(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _setup(client)
    with session_factory() as session:
        scored = session.execute(
            select(Region.code, Score.model, Score.wis).join(Region, Region.id == Score.region_id)
        ).all()
    wis = {(code, model): value for code, model, value in scored}
    assert set(wis) == {(code, model) for code in ("FR", "DE", "US-NY") for model in MODELS}
    for code in ("FR", "DE", "US-NY"):  # DE is Germany, not Delaware (alias DE)
        assert wis[(code, "Good-Model")] == pytest.approx(2.4)
        assert wis[(code, "COVIDhub-baseline")] == pytest.approx(55.2)
    body = client.get("/evaluations").json()
    assert body["forecasts"] == 3
    assert {s["region"] for s in body["by_region"]} == {"FR", "DE", "US-NY"}
    overall = {s["model"]: s for s in body["overall"]}
    assert overall["Good-Model"]["relative_wis"] == pytest.approx(2.4 / 55.2)
    one = client.get("/evaluations", params={"region": "FR", "model": "Good-Model"}).json()
    assert one["forecasts"] == 1 and one["by_region"][0]["region"] == "FR"


def test_imported_truth_at_a_country_rescores_it(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _setup(client)
    truth = f"location,week_end_date,inc_deaths\nFR,{SATURDAY},90\n36,{SATURDAY},70\n"
    with unit_of_work(session_factory) as session:
        assert import_truth(session, truth.encode(), "jhu-final") == 2
        assert score_pending(session) == 4  # both models at FR (new value) and at 36 (new source)
        assert score_pending(session) == 0
    fr = client.get("/evaluations", params={"region": "FR"}).json()
    assert fr["truth_sources"] == ["jhu-final"]
    assert _mae(fr) == {"Good-Model": 20.0, "COVIDhub-baseline": 80.0}
    de = client.get("/evaluations", params={"region": "DE"}).json()
    assert de["truth_sources"] == ["observations@release:3"]
    assert _mae(de) == {"Good-Model": 0.0, "COVIDhub-baseline": 60.0}


def _mae(body: dict[str, list[dict[str, object]]]) -> dict[object, object]:
    return {s["model"]: s["mae"] for s in body["overall"]}


def test_unknown_country_location_is_rejected_with_its_line(client: TestClient) -> None:
    data = hub_csv([(MONDAY, "FR", 1, SATURDAY, GOOD), (MONDAY, "ZZ", 1, SATURDAY, GOOD)])
    response = client.post(
        "/external-forecasts", files={"file": ("f.csv", data)}, data={"model": "Good-Model"}
    )
    assert response.status_code == 422, response.text
    problems = response.json()["errors"]
    assert {(p["line"], p["column"]) for p in problems} == {(n, "location") for n in range(7, 12)}
    assert all("unknown location 'ZZ'" in p["message"] for p in problems)
