"""What a job reports: when it started, its attempts, the progress actually made and, for a
refit, a summary result; and what ``seircast worker`` logs while it works."""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.jobs.worker import Worker

SEIRCAST = str(Path(sys.executable).parent / "seircast")


def _children(client: TestClient) -> list[dict[str, object]]:
    params = {"include_children": True, "kind": "fit_region"}
    items: list[dict[str, object]] = client.get("/jobs", params=params).json()["items"]
    return items


def test_a_finished_refit_reports_start_attempts_progress_and_a_summary(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    job = loaded.post("/refit", json={"regions": ["NY"]}).json()
    assert job["started_at"] is None and job["attempts"] == 0
    worker = Worker(session_factory, settings, pool, name="accounting")
    while worker.run_once():
        pass
    parent = loaded.get(f"/jobs/{job['id']}").json()
    assert parent["status"] == "succeeded", parent
    assert parent["started_at"] is not None and parent["attempts"] == 1
    assert parent["started_at"] <= parent["finished_at"]
    (child,) = _children(loaded)
    assert child["progress"] == {"done": 1, "total": 1}
    assert parent["progress"] == {"done": 1, "total": 1}
    assert parent["result"] == {
        "succeeded": 1,
        "failed": 0,
        "cancelled": 0,
        "regions": {"succeeded": ["US-NY"], "failed": [], "cancelled": []},
        "fits": [{"region": "US-NY", "fit_id": child["result"]["fit_id"]}],  # type: ignore[index]
    }


def test_a_cancelled_refit_counts_only_the_regions_done(
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    job = loaded.post("/refit", json={"regions": ["NY", "TX", "US-CA"]}).json()
    assert Worker(session_factory, settings, pool, capacity=1, name="one").run_once() == 1
    cancelled = loaded.delete(f"/jobs/{job['id']}").json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["progress"] == {"done": 1, "total": 3}
    assert cancelled["result"]["succeeded"] == 1 and cancelled["result"]["cancelled"] == 2
    assert sorted(cancelled["result"]["regions"]["cancelled"]) == ["US-CA", "US-TX"]
    progress = sorted(
        (c["status"], c["progress"]["done"])  # type: ignore[index]
        for c in _children(loaded)
    )
    assert progress == [("cancelled", 0), ("cancelled", 0), ("succeeded", 1)]


def _lines(stream: "subprocess.Popen[str]", into: "queue.Queue[str]") -> None:
    assert stream.stdout is not None
    for line in stream.stdout:
        into.put(line)


def _until(lines: "queue.Queue[str]", needle: str, seen: list[str], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if needle in line:
            return line
    raise AssertionError(f"no log line with {needle!r} in {timeout} s:\n{''.join(seen)}")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_seircast_worker_logs_its_start_each_job_and_the_refit_summary(
    loaded: TestClient, db_url: str
) -> None:
    job_id = loaded.post("/refit", json={"regions": ["NY"]}).json()["id"]
    env = {k: v for k, v in os.environ.items() if k != "SEIRCAST_DASK_SCHEDULER"}
    env.update(
        SEIRCAST_DATABASE_URL=db_url,
        SEIRCAST_EXECUTOR_WORKERS="1",
        SEIRCAST_WORKER_POLL_SECONDS="0.2",
    )
    proc = subprocess.Popen(
        [SEIRCAST, "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(proc, lines), daemon=True).start()
    seen: list[str] = []
    try:
        started = json.loads(_until(lines, "started", seen, 60))
        assert started["time"].endswith("Z"), started  # UTC, as in the API
        start = started["message"]
        assert db_url in start and "executor process pool of 1" in start, start
        claimed = _until(lines, "claimed job", seen, 60)
        assert "US-NY" in claimed
        summary = json.loads(_until(lines, f"refit job {job_id} succeeded", seen, 120))
        assert "1 region(s) succeeded, 0 failed, 0 cancelled" in summary["message"]
        _until(lines, "(US-NY) succeeded: fit", seen, 30)  # logged once its commit is done
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    assert proc.returncode == 0, "".join(seen)
