"""Fixtures for refit tests: real 2020 data for a few states, a real process pool."""

import csv
import gzip
import io
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date

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


CASES = SHARED_DATA / "csse" / "time_series_covid19_confirmed_US_states_from_daily_reports.csv"


def confirmed_csv(
    fips: set[str], last_day: date, scale_from: date | None = None, factor: int = 1
) -> bytes:
    """As-reported confirmed cases of some states (CSSE wide layout) up to ``last_day``,
    multiplied by ``factor`` from ``scale_from`` on."""
    with CASES.open(newline="") as f:
        rows = list(csv.reader(f))
    days = [None] * 8 + [
        date(2000 + int(y), int(m), int(d)) for m, d, y in (name.split("/") for name in rows[0][8:])
    ]
    keep = [i for i, day in enumerate(days) if day is None or day <= last_day]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([rows[0][i] for i in keep])
    for row in rows[1:]:
        if row[4] in fips:
            scaled = [
                str(int(row[i]) * factor)
                if scale_from and (days[i] or date.min) >= scale_from
                else row[i]
                for i in keep
            ]
            writer.writerow(scaled)
    return out.getvalue().encode()


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
