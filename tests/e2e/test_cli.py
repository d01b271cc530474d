"""The installed ``seircast`` command, run as a subprocess against the test databases."""

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from tests.factories import SHARED_DATA

SEIRCAST = str(Path(sys.executable).parent / "seircast")


def _run(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SEIRCAST_DATABASE_URL": db_url}
    return subprocess.run([SEIRCAST, *args], env=env, capture_output=True, text=True, timeout=600)


def test_ingest_every_csse_file_then_read_new_york(db_url: str, client: TestClient) -> None:
    files = sorted(str(p) for p in (SHARED_DATA / "csse").iterdir() if p.is_file())
    assert len(files) == 7
    result = _run(db_url, "ingest", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    # the files disagree (docs/DATA.md): the first source of a value keeps it
    assert "release 1: 125,316 values stored" in result.stdout, result.stdout
    assert result.stdout.count("differ from another source's") >= 4, result.stdout
    again = _run(db_url, "ingest", files[-1])
    assert again.returncode == 0 and "nothing stored" in again.stdout
    points = client.get(
        "/regions/NY/observations", params={"start": "2020-06-01", "end": "2020-06-01"}
    )
    assert points.json()["points"][0]["cumulative"] == 29771  # the files' value for that day


def test_ingest_reports_bad_files_and_exits_nonzero(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("date,location,cum_deaths\n2020-03-01,Atlantis,1\n")
    result = _run(db_url, "ingest", str(bad), str(tmp_path / "missing.csv"))
    assert result.returncode == 1
    assert "unknown location" in result.stdout and "no such file" in result.stdout
    assert "line" in result.stdout
