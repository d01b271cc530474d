"""The end-to-end tier: real process pools, worker and CLI subprocesses, a real uvicorn, the
browser, a PostgreSQL cluster restarted mid-job. Every test under tests/e2e/ is marked ``e2e``:
``pytest -m "not e2e"`` runs the fast tier, ``pytest -m e2e`` this one."""

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def pool() -> Iterator[ProcessPoolExecutor]:
    executor = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    yield executor
    executor.shutdown(cancel_futures=True)
