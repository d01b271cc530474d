"""The README's ingest command: one file per series and level, safe to run again."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

SEIRCAST = str(Path(sys.executable).parent / "seircast")
CSSE = SHARED_DATA / "csse"
README_FILES = (  # the order of the README command
    "us_state_deaths_daily_stitched.csv.gz",
    "time_series_covid19_confirmed_US_states_from_daily_reports.csv",
    "time_series_covid19_deaths_global.csv",
    "time_series_covid19_confirmed_global.csv",
)


def test_the_readme_names_these_files() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    command = next(line for line in readme.splitlines() if "seircast ingest" in line)
    assert [name for name in README_FILES if name in command] == list(README_FILES), command
    assert "*" not in command


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_readme_command_loads_each_value_once_and_then_stores_nothing(db_url: str) -> None:
    env = {**os.environ, "SEIRCAST_DATABASE_URL": db_url}
    files = [str(CSSE / name) for name in README_FILES]
    first = subprocess.run(
        [SEIRCAST, "ingest", *files], env=env, capture_output=True, text=True, timeout=600
    )
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.count("values stored") == 4, first.stdout
    again = subprocess.run(
        [SEIRCAST, "ingest", *files], env=env, capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "values stored" not in again.stdout, again.stdout
