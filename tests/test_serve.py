"""What the README and the Dockerfile run: ``seircast migrate`` then ``seircast serve``, as real
processes with a real uvicorn, on a fresh SQLite file."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

SEIRCAST = str(Path(sys.executable).parent / "seircast")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_migrate_then_serve_answers_with_bundled_data(tmp_path: Path) -> None:
    env = {**os.environ, "SEIRCAST_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    migrated = subprocess.run(
        [SEIRCAST, "migrate"], env=env, capture_output=True, text=True, timeout=120
    )
    assert migrated.returncode == 0 and "regions in the registry" in migrated.stdout
    port = _free_port()
    server = subprocess.Popen(
        [SEIRCAST, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        assert httpx.get(f"{base}/docs").status_code == 200
        schema = httpx.get(f"{base}/openapi.json").json()
        assert {"/regions", "/observations", "/ingest", "/ready"} <= set(schema["paths"])
        states = httpx.get(f"{base}/regions", params={"parent": "US", "level": "state"}).json()
        assert states["total"] == 56
        countries = httpx.get(f"{base}/regions", params={"level": "country"}).json()
        assert countries["total"] > 190
        # The first start queues a refit of the US states; NY's forecast two weeks past the
        # data (2023-03-09) must answer within 60 s of start.
        forecast = None
        while time.monotonic() < started + 60:
            answer = httpx.get(f"{base}/forecast", params={"region": "NY", "date": "2023-03-23"})
            if answer.status_code == 200:
                forecast = answer.json()
                break
            time.sleep(0.5)
        assert forecast is not None, "no forecast for NY within 60 s of start"
        assert forecast["days"][0]["date"] == "2023-03-23" and forecast["weeks"]
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    # uvicorn shuts down gracefully, then re-raises SIGTERM (exit status -15) or exits 0.
    assert server.returncode in (0, -15), output
    assert "Application shutdown complete" in output
