# ruff: noqa: E402
"""Wall time of the README backtest: 18 forecast Mondays 2020-05-04 .. 2020-08-31 x 51 states.

Run: ``.venv/bin/python bench/backtest.py [--workers 2] [--stride 1]``.

The same path as ``seircast backtest``: a fresh SQLite database, the stitched as-reported JHU
deaths and the as-reported confirmed cases ingested (two releases), one backtest job (918
``fit_region`` children, cutoff = the Monday, unpublished), a worker fitting on a process
pool of ``--workers`` processes, then the hub CSV export and scoring. Prints the wall time
of each phase.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from _common import SHARED_DATA

from app.config import Settings
from app.core.hubformat import write_hub_csv
from app.db.migrate import upgrade
from app.db.session import make_engine, make_session_factory, unit_of_work
from app.jobs.worker import Worker
from app.services.backtest import BacktestRequest, enqueue_backtest
from app.services.bootstrap import seed_regions
from app.services.hubexport import backtest_rows
from app.services.ingest import IngestOptions, ingest_bytes
from app.services.scores import score_pending

MONDAYS = [date(2020, 5, 4) + timedelta(days=7 * i) for i in range(18)]
STITCHED = SHARED_DATA / "csse" / "us_state_deaths_daily_stitched.csv.gz"
CASES = SHARED_DATA / "csse" / "time_series_covid19_confirmed_US_states_from_daily_reports.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stride", type=int, default=1, help="every n-th Monday")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="seircast-bench-"))
    settings = Settings(
        DATABASE_URL=f"sqlite:///{folder / 'bench.db'}", EXECUTOR_WORKERS=args.workers
    )
    engine = make_engine(settings.DATABASE_URL)
    upgrade(engine)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        seed_regions(session)
        for path in (STITCHED, CASES):
            options = IngestOptions(source=str(path), name=path.name)
            ingest_bytes(session, path.read_bytes(), options)
        job = enqueue_backtest(session, BacktestRequest(MONDAYS[:: args.stride]), 3)
        job_id, total = job.id, job.progress_total
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(args.workers, mp_context=context) as pool:
        pool.submit(int).result()  # start the processes outside the timing
        start = time.perf_counter()
        worker = Worker(factory, settings, pool, name="bench")
        while worker.run_once():
            pass
        fitted = time.perf_counter() - start
    start = time.perf_counter()
    with unit_of_work(factory) as session:
        text = write_hub_csv(backtest_rows(session, job_id, "none"))
        scored = score_pending(session)
    export = time.perf_counter() - start
    dates = len(MONDAYS[:: args.stride])
    print(f"{total} fits ({dates} dates x 51 states) on {args.workers} processes:")
    print(f"  fitting (worker, pool, stored): {fitted:.0f} s wall, {fitted / total:.2f} s per fit")
    print(f"  hub export ({text.count(chr(10)) - 1} rows) and scoring ({scored}): {export:.1f} s")
    print(f"  CPUs: {os.cpu_count()}; load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
