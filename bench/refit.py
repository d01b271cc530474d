"""Wall time of a full refit of the 56 US states and territories: process pool vs Dask.

Loads the as-reported deaths (``us_state_deaths_daily_stitched.csv.gz``) up to 2020-10-31 and the
as-reported confirmed cases (the fits read them up to the same day) into
a SQLite file, then runs the same refit job (the 2020 model, 16,200 parameter sets a region)
twice through the real worker: on a 2-process pool and on a Dask ``LocalCluster`` of 2
single-threaded worker processes.

Usage: ``python bench/refit.py [--last-day 2020-10-31]``. Prints figures; asserts nothing.
"""

import argparse
import gzip
import tempfile
import time
from concurrent.futures import Executor
from pathlib import Path

from _common import SHARED_DATA
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.jobs import JobRepository
from app.db.migrate import upgrade
from app.db.session import make_engine, make_session_factory, unit_of_work
from app.jobs.executor import DaskExecutor, make_executor
from app.jobs.worker import Worker
from app.services.bootstrap import seed_regions
from app.services.ingest import IngestOptions, ingest_bytes
from app.services.refit import RefitRequest, enqueue_refit


def load(url: str, last_day: str) -> sessionmaker[Session]:
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    raw = gzip.decompress(
        (SHARED_DATA / "csse" / "us_state_deaths_daily_stitched.csv.gz").read_bytes()
    )
    lines = raw.decode().splitlines()
    kept = [lines[0], *(line for line in lines[1:] if line[:10] <= last_day)]
    cases = SHARED_DATA / "csse" / "time_series_covid19_confirmed_US_states_from_daily_reports.csv"
    with unit_of_work(factory) as session:
        seed_regions(session)
        ingest_bytes(
            session,
            ("\n".join(kept) + "\n").encode(),
            IngestOptions(source="bench", name="deaths.csv", max_bytes=1 << 30),
        )
        ingest_bytes(session, cases.read_bytes(), IngestOptions(source="bench", name=cases.name))
    return factory


def refit(
    factory: sessionmaker[Session], settings: Settings, executor: Executor, seed: int
) -> tuple[float, dict[str, int]]:
    with unit_of_work(factory) as session:
        job_id = enqueue_refit(session, RefitRequest(None, seed=seed), 3).job.id
    worker = Worker(factory, settings, executor, capacity=2)
    started = time.perf_counter()
    while worker.run_once():
        pass
    elapsed = time.perf_counter() - started
    with unit_of_work(factory) as session:
        counts = JobRepository(session).child_counts(job_id)
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--last-day", default="2020-10-31")
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="seircast-bench-refit-")) / "refit.db"
    url = f"sqlite:///{db}"
    settings = Settings(DATABASE_URL=url, EXECUTOR_WORKERS=2)
    factory = load(url, args.last_day)
    print(f"56 US states and territories, as-reported deaths to {args.last_day}, model auto")
    pool = make_executor(settings)  # the service's pool: 2 spawned processes, 1 BLAS thread
    for done in [pool.submit(time.sleep, 0.5) for _ in range(2)]:  # start both processes
        done.result()
    seconds, counts = refit(factory, settings, pool, seed=1)
    pool.shutdown()
    print(f"  process pool, 2 processes     {seconds:6.1f} s  {counts}")
    from distributed import LocalCluster

    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster:
        dask = DaskExecutor(cluster.scheduler_address)
        dask.submit(int).result()
        seconds, counts = refit(factory, settings, dask, seed=2)
        dask.shutdown()
    print(f"  Dask LocalCluster, 2 workers  {seconds:6.1f} s  {counts}")


if __name__ == "__main__":
    main()
