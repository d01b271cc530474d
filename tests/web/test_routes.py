"""HTML routes with TestClient on SQLite and PostgreSQL: empty database, content negotiation
with the API paths, sizes, bad parameters, unknown regions, static files."""

import html
import re
import unicodedata
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.db.eval_models import Score
from app.db.repositories import RegionRepository
from app.db.session import unit_of_work
from tests.factories import html_page

PAGES = ("/", "/?level=country", "/regions/US-NY", "/jobs", "/evaluation")
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # no database work


def test_every_page_works_on_an_empty_database(client: TestClient) -> None:
    """A fresh install before the first ingest and refit: honest empty states, no 500s."""
    texts = {path: html_page(client, path) for path in PAGES}
    assert "No forecast yet" in texts["/"] and "There is no data yet" in texts["/"]
    assert "no data" in texts["/?level=country"]
    assert "No forecast yet" in texts["/regions/US-NY"]
    assert "seircast ingest" in texts["/regions/US-NY"]
    assert "No jobs yet" in texts["/jobs"] and "Start refit" in texts["/jobs"]
    assert "No scores yet" in texts["/evaluation"]
    assert "Server-Timing" not in texts["/"]  # a header, not page text
    csv = client.get("/regions/NY/forecast.csv")
    assert csv.status_code == 200 and csv.text.startswith("region,date,kind")


def test_data_without_forecast_offers_a_refit(loaded: TestClient) -> None:
    home = html_page(loaded, "/")
    assert "nothing has been fitted" in home and "seircast refit --all" in home
    region = html_page(loaded, "/regions/NY")
    assert "Fit US-NY now" in region and "seircast refit --region US-NY" in region
    assert 'id="chart-data"' in region and "Data flags" in region


def test_api_paths_still_answer_json(client: TestClient) -> None:
    """/regions/{code} and /jobs are API routes too: only browser navigations get HTML."""
    for headers in ({}, {"Accept": "application/json"}, {"Accept": "application/json, text/html"}):
        assert client.get("/jobs", headers=headers).json()["total"] == 0
        assert client.get("/regions/NY", headers=headers).json()["code"] == "US-NY"
    assert client.get("/regions/Atlantis").headers["content-type"] == "application/problem+json"
    assert "/" not in client.get("/openapi.json").json()["paths"]


@SQLITE_ONLY
@pytest.mark.parametrize("level", ["planet", "", "US", "state" * 50, "<script>"])
def test_bad_level_is_an_html_422(client: TestClient, level: str) -> None:
    text = html_page(client, f"/?level={level}", 422)
    assert "level must be one of us, country" in text
    assert "<script>'" not in text  # escaped


@pytest.mark.parametrize("code", ["Atlantis", "New Yrok", "%3Cb%3E", "x" * 300])
def test_unknown_region_is_an_html_404(client: TestClient, code: str) -> None:
    text = html_page(client, f"/regions/{code}", 404)
    assert "Region not found" in text and "<b>" not in text
    if code == "New Yrok":
        assert 'href="/regions/US-NY"' in text


def test_unknown_region_download_is_a_problem(client: TestClient) -> None:
    response = client.get("/regions/Atlantis/forecast.csv")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/static/app.js", 200),
        ("/static/app.css", 200),
        ("/static/vendor/uPlot.iife.min.js", 200),
        ("/static/vendor/uPlot.LICENSE", 200),
        ("/static/missing.js", 404),
        ("/static/../main.py", 404),
        ("/static/%2e%2e/main.py", 404),
        ("/static/..%2f..%2fconfig.py", 404),
    ],
)
def test_static_files_are_served_and_paths_outside_are_404(
    client: TestClient, path: str, status: int
) -> None:
    assert client.get(path).status_code == status


def _score(model: str, region_id: int, horizon: int, spread: float) -> Score:
    levels = [0.025, 0.25, 0.5, 0.75, 0.975]
    values = [100 - 2 * spread, 100 - spread, 100.0, 100 + spread, 100 + 2 * spread]
    return Score(
        model=model,
        source="test",
        source_id=1,
        region_id=region_id,
        forecast_date=date(2020, 6, 1),
        target="inc_week",
        horizon=horizon,
        target_end_date=date(2020, 6, 6) + timedelta(weeks=horizon - 1),
        truth=120.0,
        truth_source="jhu-final",
        wis=0.0,
        abs_error=20.0,
        cov50=False,
        cov95=True,
        levels=levels,
        values=values,
    )


def test_scores_from_the_evaluation_service(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    with unit_of_work(session_factory) as session:
        ny = RegionRepository(session).get_by_code("US-NY")
        assert ny is not None
        session.add_all(
            _score(model, ny.id, h, spread)
            for model, spread in (("seircast", 15.0), ("COVIDhub-baseline", 5.0))
            for h in (1, 2)
        )
    board = html_page(client, "/evaluation")
    assert "No scores yet" not in board and 'id="leaderboard"' in board
    assert board.count('class="ours"') == 2 and "COVIDhub-baseline" in board
    region = html_page(client, "/regions/US-NY")
    assert "No scores yet" not in region and "Relative WIS" in region
    assert "No scores yet" in html_page(client, "/regions/US-TX")


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@SQLITE_ONLY
def test_countries_are_listed_by_their_shown_name(client: TestClient) -> None:
    page = html_page(client, "/?level=country")
    names = [html.unescape(n) for n in re.findall(r'<th scope="row" data-value="([^"]*)"', page)]
    assert len(names) > 150 and names[:2] == ["Afghanistan", "Albania"]
    assert names == sorted(names, key=_folded)
    ivory = names.index("Côte d'Ivoire")
    assert names[ivory - 1] == "Costa Rica" and names[ivory + 1] == "Croatia"


@SQLITE_ONLY
def test_evaluation_names_the_baseline_its_table_uses(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    """Without imported COVIDhub-baseline forecasts, relative WIS is against seircast-baseline:
    the page says so where it explains relative WIS and marks that row."""
    with unit_of_work(session_factory) as session:
        ny = RegionRepository(session).get_by_code("US-NY")
        assert ny is not None
        session.add_all(
            _score(model, ny.id, 1, spread)
            for model, spread in (("seircast", 15.0), ("seircast-baseline", 5.0))
        )
    board = html_page(client, "/evaluation")
    assert "<strong data-baseline>seircast-baseline</strong>" in board
    baseline_rows = re.findall(r'data-value="([^"]+)">[^<]*<span class="tag">baseline', board)
    assert baseline_rows == ["seircast-baseline"]
    assert "against COVIDhub-baseline" not in board
