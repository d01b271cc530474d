"""Helpers for evaluation tests: small hub files, synthetic observations, state snapshots."""

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.core.hubtypes import QUANTILES_5
from tests.factories import snapshot

PROBLEM = "application/problem+json"
LEVELS_5 = QUANTILES_5


def hub_csv(
    forecasts: list[tuple[str, str, int, str, list[float]]],
    levels: tuple[float, ...] = LEVELS_5,
    date_column: str = "forecast_date",
) -> bytes:
    """Rows of (forecast_date, location, N, target end, quantiles) for ``N wk ahead inc death``."""
    lines = [f"{date_column},target,target_end_date,location,type,quantile,value"]
    for made, location, n, end, values in forecasts:
        target = f"{n} wk ahead inc death"
        lines += [
            f"{made},{target},{end},{location},quantile,{q},{v}"
            for q, v in zip(levels, values, strict=True)
        ]
    return ("\n".join(lines) + "\n").encode()


def linear_deaths(location: str = "36", start: date = date(2020, 5, 1), days: int = 61) -> bytes:
    """Cumulative deaths 1000 + 10 per day: every full epiweek has 70 incident deaths."""
    rows = [f"{(start + timedelta(i)).isoformat()},{location},{1000 + 10 * i}" for i in range(days)]
    return ("date,location,cum_deaths\n" + "\n".join(rows) + "\n").encode()


def eval_snapshot(factory: sessionmaker[Session]) -> tuple[int, ...]:
    """``tests.factories.snapshot`` plus the evaluation and job tables."""
    sql = (
        "SELECT (SELECT COUNT(*) FROM external_forecast), (SELECT COUNT(*) FROM score), "
        "(SELECT COUNT(*) FROM truth_value), (SELECT COUNT(*) FROM job), "
        "(SELECT COUNT(*) FROM fit), (SELECT COUNT(*) FROM alert)"
    )
    with factory() as session:
        row = session.execute(text(sql)).one()
    return snapshot(factory) + tuple(int(v) for v in row)


@pytest.fixture(scope="session")
def pool() -> Iterator[ProcessPoolExecutor]:
    executor = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    yield executor
    executor.shutdown(cancel_futures=True)
