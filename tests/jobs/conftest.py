"""Fixtures for refit tests: real 2020 data for a few states, a real process pool."""

import gzip
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SHARED_DATA

STATES = ("36", "48", "06")  # NY, TX, CA
LAST_DAY = "2020-06-30"


def spring_2020_csv(locations: tuple[str, ...] = STATES, last_day: str = LAST_DAY) -> bytes:
    """The stitched as-reported deaths of a few states up to ``last_day`` (long format)."""
    path = SHARED_DATA / "csse" / "us_state_deaths_daily_stitched.csv.gz"
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    keep = [
        line
        for line in lines[1:]
        if line.split(",")[1] in locations and line.split(",")[0] <= last_day
    ]
    return ("\n".join([lines[0], *keep]) + "\n").encode()


@pytest.fixture(scope="session")
def pool() -> Iterator[ProcessPoolExecutor]:
    executor = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    yield executor
    executor.shutdown(cancel_futures=True)


@pytest.fixture
def loaded(client: TestClient) -> TestClient:
    response = client.post("/observations", files={"file": ("spring.csv", spring_2020_csv())})
    assert response.status_code == 201, response.text
    return client
