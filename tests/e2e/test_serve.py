"""What the README and the Dockerfile run: ``seircast migrate`` then ``seircast serve``, as real
processes with a real uvicorn, on a fresh SQLite file."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.factories import free_port

SEIRCAST = str(Path(sys.executable).parent / "seircast")


def test_migrate_then_serve_answers_with_bundled_data(tmp_path: Path) -> None:
    env = {**os.environ, "SEIRCAST_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    migrated = subprocess.run(
        [SEIRCAST, "migrate"], env=env, capture_output=True, text=True, timeout=120
    )
    assert migrated.returncode == 0 and "regions in the registry" in migrated.stdout
    port = free_port()
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


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "example.org"])
def test_serve_refuses_a_public_bind_without_api_keys(host: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEIRCAST_")}
    env["SEIRCAST_DATABASE_URL"] = f"sqlite:///{tmp_path / 'never.db'}"
    result = subprocess.run(
        [SEIRCAST, "serve", "--host", host, "--port", str(free_port())],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and f"refusing to serve on {host} without SEIRCAST_API_KEYS" in lines[0]
    assert not (tmp_path / "never.db").exists()  # refused before any start-up work
