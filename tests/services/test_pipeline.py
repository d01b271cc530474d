"""enqueue_pipeline: one pipeline job per schedule tick, however many schedulers run."""

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.db.session import unit_of_work
from app.services.pipeline import enqueue_pipeline


def test_a_tick_enqueued_twice_queues_one_job(session_factory: sessionmaker[Session]) -> None:
    tick = datetime(2026, 1, 1, 6, tzinfo=UTC)
    with unit_of_work(session_factory) as session:
        assert enqueue_pipeline(session, tick, 3) is not None
        assert enqueue_pipeline(session, tick, 3) is None  # a second scheduler process


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_concurrent_schedulers_queue_one_job_per_tick(
    session_factory: sessionmaker[Session],
) -> None:
    """Every `serve` process runs a scheduler: the advisory lock lets only one enqueue."""
    tick = datetime(2026, 2, 1, 6, tzinfo=UTC)
    barrier = threading.Barrier(4)
    made: list[bool] = []

    def enqueue() -> None:
        barrier.wait()
        with unit_of_work(session_factory) as session:
            made.append(enqueue_pipeline(session, tick, 3) is not None)

    threads = [threading.Thread(target=enqueue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made) == [False, False, False, True]
