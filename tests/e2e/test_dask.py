"""Fits on a Dask cluster: SEIRCAST_DASK_SCHEDULER points the worker at a LocalCluster."""

from collections.abc import Iterator

import pytest
from distributed import LocalCluster
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.jobs.executor import DaskExecutor, make_executor
from app.jobs.worker import Worker


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    local = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with local:
        yield local


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_refit_on_a_dask_cluster_succeeds(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    cluster: LocalCluster,
) -> None:
    on_dask = settings.model_copy(update={"DASK_SCHEDULER": cluster.scheduler_address})
    executor = make_executor(on_dask)
    assert isinstance(executor, DaskExecutor)
    job = loaded.post("/refit", json={"regions": ["NY", "TX"]}).json()
    try:
        worker = Worker(session_factory, on_dask, executor, capacity=2)
        while worker.run_once():
            pass
    finally:
        executor.shutdown()
    assert loaded.get(f"/jobs/{job['id']}").json()["status"] == "succeeded"
    forecast = loaded.get("/forecast", params={"region": "TX"}).json()
    assert forecast["provenance"]["model_version"] == "yyg-2020.1"
