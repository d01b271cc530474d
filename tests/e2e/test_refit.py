"""POST /refit -> a worker fits on a real process pool -> GET /forecast serves the result."""

import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.base import utcnow
from app.db.job_contracts import JobKind
from app.db.jobs import JobRepository
from app.db.models import Fit, ForecastRow, Job
from app.db.session import unit_of_work
from app.jobs.worker import Worker
from app.main import create_app
from app.services.forecast_cache import ForecastCache
from app.services.forecast_reader import ForecastReader
from tests.factories import spring_2020_csv

PROBLEM = "application/problem+json"


def _drain(factory: sessionmaker[Session], settings: Settings, pool: ProcessPoolExecutor) -> None:
    worker = Worker(factory, settings, pool, name="test-worker")
    while worker.run_once():
        pass


def test_refit_publishes_a_forecast_with_provenance_and_an_etag(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    response = loaded.post("/refit", json={"regions": ["NY", "Texas"]})
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/jobs/{job['id']}"
    assert job["progress"] == {"done": 0, "total": 2}
    _drain(session_factory, settings, pool)
    finished = loaded.get(f"/jobs/{job['id']}").json()
    assert finished["status"] == "succeeded" and finished["progress"]["done"] == 2
    forecast = loaded.get("/forecast", params={"region": "NY", "date": "2020-07-10"})
    assert forecast.status_code == 200, forecast.text
    body = forecast.json()
    assert body["provenance"]["model_version"] == "yyg-2020.1"
    assert body["provenance"]["data_end_date"] == "2020-06-30"
    day = body["days"][0]
    assert day["date"] == "2020-07-10"
    q = day["incident"]["quantiles"]
    assert q == sorted(q) and len(q) == len(body["quantile_levels"]) == 23
    lo, hi = day["incident"]["interval_95"]
    assert lo <= day["incident"]["median"] <= hi
    assert day["cumulative"]["median"] > 24_000  # anchored on the last observed cumulative
    assert body["weeks"][0]["week_end"] == "2020-07-11"
    assert forecast.headers["etag"] and "max-age" in forecast.headers["cache-control"]
    again = loaded.get(
        "/forecast",
        params={"region": "NY", "date": "2020-07-10"},
        headers={"If-None-Match": forecast.headers["etag"]},
    )
    assert again.status_code == 304
    whole = loaded.get("/forecast", params={"region": "US-NY"}).json()
    assert len(whole["days"]) >= 56 and len(whole["weeks"]) == 8
    fit = loaded.get(f"/fits/{body['provenance']['fit_id']}").json()
    assert fit["n_kept"] == len(fit["kept"]) > 0
    assert abs(sum(k["weight"] for k in fit["kept"]) - 1) < 1e-6
    best = fit["kept"][0]["params"]
    assert best["inflection_day"] == fit["best_params"]["inflection_day"]
    assert {"initial_r0", "lockdown_r0", "reopen_r"} <= set(best), sorted(best)
    assert isinstance(fit["warnings"], list)


def test_each_region_fitted_once_and_retry_after_expired_lease(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    """A worker that claims a job and dies never heartbeats: another takes it after the lease."""
    job_id = loaded.post("/refit", json={"regions": ["US-CA"]}).json()["id"]

    with unit_of_work(session_factory) as session:  # "dead" worker: claims, then vanishes
        claimed = JobRepository(session).claim(
            "dead", [JobKind.FIT_REGION], timedelta(minutes=5), 5
        )
        assert len(claimed) == 1
        dead_job = claimed[0].id
    live = Worker(session_factory, settings, pool, name="live")
    assert live.run_once() == 0  # the lease still holds
    with unit_of_work(session_factory) as session:  # the dead worker's lease runs out
        job = session.get(Job, dead_job)
        assert job is not None
        job.lease_expires_at = utcnow() - timedelta(seconds=1)
    assert live.run_once() == 1
    final = loaded.get(f"/jobs/{job_id}").json()
    assert final["status"] == "succeeded", (final["error"], final["region_errors"])
    with session_factory() as session:
        assert session.scalar(select(func.count(Fit.id))) == 1
        rows = session.scalar(select(func.count()).select_from(ForecastRow))
        assert rows is not None and rows > 100


def test_forecasts_outside_what_was_fitted_are_problems(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    none_yet = loaded.get("/forecast", params={"region": "TX"})
    assert none_yet.status_code == 404 and "POST /refit" in none_yet.json()["detail"]
    unknown = loaded.get("/forecast", params={"region": "Nwe York"})
    assert unknown.status_code == 404 and "US-NY" in unknown.json()["suggestions"]
    assert loaded.get("/forecast", params={"region": "NY", "date": "July 4"}).status_code == 422
    assert loaded.get("/forecast").status_code == 422  # region is required
    loaded.post("/refit", json={"regions": ["NY"]})
    _drain(session_factory, settings, pool)
    for day in ("2020-06-15", "2021-06-01"):
        response = loaded.get("/forecast", params={"region": "NY", "date": day})
        assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
        first, last = response.json()["valid_range"]
        assert date.fromisoformat(first) == date(2020, 7, 1)
        assert first in response.json()["detail"] and last in response.json()["detail"]
    assert loaded.get("/forecast", params={"region": "NY", "fit_id": 999}).status_code == 404


def test_cancel_stops_within_one_region(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    job = loaded.post("/refit", json={"regions": ["NY", "TX", "US-CA"]}).json()
    worker = Worker(session_factory, settings, pool, capacity=1, name="one-at-a-time")
    assert worker.run_once() == 1  # one region fitted
    assert loaded.delete(f"/jobs/{job['id']}").json()["status"] == "cancelled"
    assert worker.run_once() == 0  # nothing more starts
    final = loaded.get(f"/jobs/{job['id']}").json()
    # progress counts the regions fitted, not the cancelled ones
    assert final["status"] == "cancelled" and final["progress"] == {"done": 1, "total": 3}
    children = loaded.get("/jobs", params={"include_children": True, "kind": "fit_region"})
    statuses = sorted(c["status"] for c in children.json()["items"])
    assert statuses == ["cancelled", "cancelled", "succeeded"]


class ManualClock:
    """A monotonic clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_new_publication_is_served_within_the_cache_ttl(
    settings: Settings, session_factory: sessionmaker[Session], pool: ProcessPoolExecutor
) -> None:
    app = create_app(settings)
    clock = ManualClock()
    with TestClient(app) as client:
        cache = ForecastCache(ttl=4.0, clock=clock)
        app.state.forecast_reader = ForecastReader(app.state.session_factory, cache)
        client.post("/observations", files={"file": ("s.csv", spring_2020_csv(("36",)))})
        worker = Worker(session_factory, settings, pool, name="ttl")
        client.post("/refit", json={"regions": ["NY"]})
        while worker.run_once():
            pass
        first = client.get("/forecast", params={"region": "NY"}).json()["provenance"]["fit_id"]
        client.post("/refit", json={"regions": ["NY"], "seed": 7})
        while worker.run_once():
            pass
        again = client.get("/forecast", params={"region": "NY"}).json()
        assert again["provenance"]["fit_id"] == first  # within the TTL: the cached answer
        clock.now += 3.99
        assert client.get("/forecast", params={"region": "NY"}).json() == again
        clock.now += 0.02  # the TTL has passed
        second = client.get("/forecast", params={"region": "NY"}).json()["provenance"]["fit_id"]
        assert second != first
        assert client.get("/forecast", params={"region": "NY", "fit_id": first}).status_code == 200


def test_alias_never_shadows_a_country_code(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    """'CA' is Canada: California's cached forecast must not answer for it."""
    loaded.post("/refit", json={"regions": ["US-CA"]})
    _drain(session_factory, settings, pool)
    assert loaded.get("/forecast", params={"region": "US-CA"}).json()["region"] == "US-CA"
    canada = loaded.get("/forecast", params={"region": "CA"})
    assert canada.status_code == 404 and "CA" in canada.json()["detail"]


def test_cancelling_the_last_region_closes_the_refit(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    job = loaded.post("/refit", json={"regions": ["NY", "TX"]}).json()
    assert Worker(session_factory, settings, pool, capacity=1, name="one").run_once() == 1
    children = loaded.get(
        "/jobs", params={"include_children": True, "kind": "fit_region", "status": "queued"}
    ).json()["items"]
    assert len(children) == 1
    assert loaded.delete(f"/jobs/{children[0]['id']}").status_code == 200
    parent = loaded.get(f"/jobs/{job['id']}").json()
    assert parent["status"] == "succeeded" and parent["progress"] == {"done": 1, "total": 2}


def test_a_cancelled_job_whose_worker_died_is_closed(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    job = loaded.post("/refit", json={"regions": ["NY"]}).json()
    with unit_of_work(session_factory) as session:
        child = JobRepository(session).claim(
            "dead", [JobKind.FIT_REGION], timedelta(seconds=0.3), 1
        )[0]
        child_id = child.id
    assert loaded.delete(f"/jobs/{child_id}").status_code == 200
    time.sleep(0.4)
    Worker(session_factory, settings, pool, name="sweeper").run_once()
    assert loaded.get(f"/jobs/{child_id}").json()["status"] == "cancelled"
    assert loaded.get(f"/jobs/{job['id']}").json()["status"] == "cancelled"
