"""Throughput and latency of GET /forecast next to a trivial endpoint, on 2 uvicorn workers.

Prepares a SQLite database with the bundled data and a published refit of the US states,
serves it with ``seircast serve --workers 2``, and drives it with ``wrk`` (Debian package;
32 connections, 2 threads) on the same machine:

* ``GET /health`` (trivial: no database) and ``GET /forecast?region=NY&date=...``;
* the same two while a ``seircast worker`` runs a refit of the 56 US states and territories.

Usage: ``python bench/api.py [--seconds 10]``. Prints figures; asserts nothing.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
BUNDLED = Path(__file__).resolve().parents[1] / "app" / "data"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _env(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SEIRCAST_DATABASE_URL": f"sqlite:///{db}",
        "SEIRCAST_EMBEDDED_WORKER": "false",
        "SEIRCAST_LOAD_BUNDLED_DATA": "false",
        "SEIRCAST_REFIT_ON_START": "false",
        "SEIRCAST_AUTO_MIGRATE": "false",
        "SEIRCAST_LOG_LEVEL": "WARNING",
    }


def prepare(db: Path) -> None:
    env = _env(db)
    files = sorted(str(p) for p in BUNDLED.glob("*.gz"))
    for args in (["migrate"], ["ingest", *files], ["refit", "--all"]):
        subprocess.run(
            [str(BIN / "seircast"), *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def wrk(url: str, seconds: int) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) from ``wrk --latency``."""
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert m, out
        return float(m[1]) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m[2]]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps, out
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  ! {errors[1]} non-2xx answers from {url}")
    return float(rps[1]), ms("50"), ms("99")


def measure(base: str, day: str, seconds: int, label: str) -> None:
    trivial = wrk(f"{base}/health", seconds)
    forecast = wrk(f"{base}/forecast?region=NY&date={day}", seconds)
    print(f"{label}:")
    for name, (rps, p50, p99) in (("GET /health", trivial), ("GET /forecast", forecast)):
        print(f"  {name:14s} {rps:8,.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")
    print(f"  /forecast throughput = {forecast[0] / trivial[0]:.0%} of the trivial endpoint")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="seircast-bench-api-"))
    db = work / "api.db"
    started = time.perf_counter()
    prepare(db)
    print(
        f"prepared bundled data + refit of the US states in {time.perf_counter() - started:.0f} s"
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "seircast"), "serve", "--port", str(port), "--workers", "2"],
        env=_env(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker: subprocess.Popen[bytes] | None = None
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        day = httpx.get(f"{base}/forecast", params={"region": "NY"}).json()["days"][13]["date"]
        measure(base, day, args.seconds, "idle")
        worker = subprocess.Popen(
            [str(BIN / "seircast"), "worker"],
            env=_env(db),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The 2020 model over three years of data: a long refit that keeps the worker busy.
        job = httpx.post(f"{base}/refit", json={"regions": "all", "model": "yyg-2020.1"})
        print(f"refit job {job.json()['id']} running ({job.status_code}) during the next run")
        measure(base, day, args.seconds, "during a refit of 56 regions")
        progress = httpx.get(f"{base}/jobs/{job.json()['id']}").json()["progress"]
        print(f"  refit progress at the end of the run: {progress['done']}/{progress['total']}")
    finally:
        for proc in (worker, server):
            if proc is not None:
                proc.terminate()
                proc.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
