"""PostgreSQL restarted in the middle of a refit: /ready says 503, then everything recovers
and the job finishes without duplicates.

The test stops and starts a throwaway cluster of its own (initdb in a temporary directory, its
own free port, owned by the ``postgres`` user when the tests run as root): the machine's
PostgreSQL is never touched.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.models import Fit
from app.jobs.worker import Worker
from tests.conftest import _migrate_and_seed
from tests.factories import free_port

PG_ROOT = Path("/usr/lib/postgresql")
DATABASE = "seircast_restart"


def _bin_dir() -> Path | None:
    """The newest installed server's binaries (Debian layout), or ``pg_ctl`` on the PATH."""
    found = sorted(PG_ROOT.glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


@dataclass
class Cluster:
    """A PostgreSQL cluster in ``root`` listening on 127.0.0.1:``port`` only."""

    bin_dir: Path
    root: Path
    port: int
    user: str | None  # run the server as this OS user (PostgreSQL refuses to run as root)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def run(self, *args: str, check: bool = True) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")

    def init(self) -> None:
        data = str(self.root / "data")
        self.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.root / "server.log")
        self.run("pg_ctl", "-D", str(self.root / "data"), "-l", log, "-o", options, "-w", "start")

    def stop(self, check: bool = True) -> None:
        self.run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop", check=check)


def _owner() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres user to run a cluster as")
    return "postgres"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        pytest.skip("needs PostgreSQL's initdb and pg_ctl")
    user = _owner()
    root = Path(tempfile.mkdtemp(prefix="seircast-pg-"))
    if user is not None:
        shutil.chown(root, user)
    made = Cluster(bin_dir, root, free_port(), user)
    try:
        made.init()
        made.start()
        yield made
    finally:
        made.stop(check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def db_url(cluster: Cluster) -> str:
    """Overrides the shared fixture: the test's database lives in its own cluster."""
    admin = create_engine(cluster.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    _migrate_and_seed(cluster.url)
    return cluster.url


@pytest.mark.slow
def test_refit_survives_a_database_restart_without_duplicates(
    cluster: Cluster,
    loaded: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    job = loaded.post("/refit", json={"regions": ["NY", "TX", "US-CA"]}).json()
    worker = Worker(session_factory, settings, pool, capacity=1, name="survivor")
    assert worker.run_once() == 1
    cluster.stop()
    ready = loaded.get("/ready")
    assert ready.status_code == 503 and ready.headers["content-type"] == "application/problem+json"
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,))
    thread.start()  # keeps failing to reach the database, without dying
    try:
        stop.wait(1.0)
        assert thread.is_alive()
        cluster.start()
        for _ in range(120):
            if (
                loaded.get("/ready").status_code == 200
                and loaded.get(f"/jobs/{job['id']}").json()["status"] != "running"
            ):
                break
            stop.wait(0.5)
    finally:
        stop.set()
        thread.join(60)
    final = loaded.get(f"/jobs/{job['id']}").json()
    assert final["status"] == "succeeded", final
    with session_factory() as session:
        assert session.scalar(select(func.count(Fit.id))) == 3
