"""The README's ingest command: one file per series and level, safe to run again."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import SHARED_DATA
from tests.test_readme import README_FILES

SEIRCAST = str(Path(sys.executable).parent / "seircast")
CSSE = SHARED_DATA / "csse"


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
