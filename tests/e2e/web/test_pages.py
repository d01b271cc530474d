"""Server-rendered pages once a real worker has published a forecast."""

from concurrent.futures import ProcessPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.jobs.worker import Worker
from tests.factories import HTML, html_page


def test_pages_with_a_published_forecast(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    assert loaded.post("/refit", json={"regions": ["NY"]}).status_code == 202
    worker = Worker(session_factory, settings, pool, name="pages-test")
    while worker.run_once():
        pass
    response = loaded.get("/regions/US-NY", headers=HTML)
    assert "app;dur=" in response.headers["server-timing"]
    region = html_page(loaded, "/regions/US-NY")
    assert "Weekly forecast" in region and "Provenance" in region and "yyg-2020" in region
    assert "95%:" in region and 'href="/forecast?region=US-NY"' in region
    assert "No scores yet" in region
    home = html_page(loaded, "/")
    assert home.count('class="spark"') == 1 and "1 with a forecast" in home
    jobs = html_page(loaded, "/jobs")
    assert "succeeded" in jobs and "US-NY" in jobs
    csv = loaded.get("/regions/New York/forecast.csv")
    assert csv.headers["content-disposition"] == 'attachment; filename="seircast-US-NY.csv"'
    kinds = [line.split(",")[2] for line in csv.text.splitlines()[1:]]
    assert kinds.count("forecast") >= 56 and kinds.count("observed") > 100
