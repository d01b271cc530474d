"""A learning model's backtest is claimed date by date (``Job.wait_below_id``)."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.core.learned_model import MODEL_LEARNED
from app.core.seir import MODEL_RT
from app.db.job_contracts import FitRegionPayload, JobKind, JobStatus, payload_of
from app.db.jobs import JobRepository
from app.db.session import unit_of_work

MONDAYS = ["2020-05-18", "2020-05-25", "2020-06-01"]
LEASE = timedelta(minutes=5)


def _claim(factory: sessionmaker[Session], owner: str) -> list[tuple[int, str]]:
    with unit_of_work(factory) as session:
        jobs = JobRepository(session).claim(owner, [JobKind.FIT_REGION], LEASE, 100)
        return [(j.id, str(payload_of(j, FitRegionPayload).cutoff_date)) for j in jobs]


def _finish(factory: sessionmaker[Session], owner: str, ids: list[int], status: JobStatus) -> None:
    with unit_of_work(factory) as session:
        for job_id in ids:
            assert JobRepository(session).finish(job_id, owner, status)


def _backtest(client: TestClient, model: str) -> None:
    body = {"forecast_dates": MONDAYS, "regions": ["NY", "TX"], "model": model}
    response = client.post("/backtests", json=body)
    assert response.status_code == 202, response.text


def test_a_learning_backtest_is_claimed_date_by_date(
    loaded: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _backtest(loaded, MODEL_LEARNED)
    first = _claim(session_factory, "w1")
    assert sorted(day for _, day in first) == ["2020-05-18"] * 2
    assert _claim(session_factory, "w2") == []  # the next date waits for both
    _finish(session_factory, "w1", [first[0][0]], JobStatus.SUCCEEDED)
    assert _claim(session_factory, "w2") == []
    _finish(session_factory, "w1", [first[1][0]], JobStatus.FAILED)  # failed: done too
    second = _claim(session_factory, "w2")
    assert [day for _, day in second] == ["2020-05-25"] * 2
    _finish(session_factory, "w2", [i for i, _ in second], JobStatus.SUCCEEDED)
    assert [day for _, day in _claim(session_factory, "w3")] == ["2020-06-01"] * 2


def test_other_models_are_claimed_all_at_once(
    loaded: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _backtest(loaded, MODEL_RT)
    assert len(_claim(session_factory, "w1")) == len(MONDAYS) * 2
