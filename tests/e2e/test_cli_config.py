"""Configuration and exit codes of the installed ``seircast`` command: an empty value is unset,
a configuration error is one line on stderr and exit 2 for every command, 0 ok, 1 failed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from app import __version__
from app.cli import cli
from tests.factories import REPO

SEIRCAST = str(Path(sys.executable).parent / "seircast")
# Arguments that parse for each command, so what stops it is the configuration.
COMMANDS: dict[str, list[str]] = {
    "serve": [],
    "migrate": [],
    "ingest": ["x.csv"],
    "worker": [],
    "refit": ["--all"],
    "forecast": ["--region", "NY"],
    "backtest": ["--forecast-date", "2020-06-01", "--out", "x.csv"],
    "import-forecasts": ["x.csv", "--model", "m"],
    "import-truth": ["x.csv"],
    "score": [],
    "evaluate": [],
}


def _env(**settings: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SEIRCAST_")}
    return clean | {f"SEIRCAST_{k}": v for k, v in settings.items()}


def _run(*args: str, cwd: Path | None = None, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SEIRCAST, *args],
        env=_env(**settings),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "cli.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def test_migrate_works_with_a_copied_env_example(tmp_path: Path) -> None:
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    result = _run("migrate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "regions in the registry" in result.stdout
    assert (tmp_path / "var" / "seircast.db").is_file()


def test_the_table_names_every_command() -> None:
    assert set(COMMANDS) == set(typer.main.get_command(cli).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_config_error_is_one_line_and_exit_2(command: str, tmp_path: Path) -> None:
    result = _run(command, *COMMANDS[command], cwd=tmp_path, SCHEDULE_CRON="every day at six")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "error: invalid configuration: SEIRCAST_SCHEDULE_CRON: 'every day at six' is not a "
        "valid cron expression"
    ]


def test_a_database_url_sqlalchemy_cannot_load_is_exit_2(tmp_path: Path) -> None:
    result = _run("migrate", cwd=tmp_path, DATABASE_URL="postgresql+nodriver://h/db")
    assert result.returncode == 2
    assert result.stderr.startswith("error: invalid configuration: SEIRCAST_DATABASE_URL")
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_an_unreachable_database_is_one_line_and_exit_1(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres:secret@127.0.0.1:1/none"
    result = _run("migrate", cwd=tmp_path, DATABASE_URL=url)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "is unavailable" in lines[0], result.stderr
    assert "secret" not in lines[0]


def test_version_prints_the_package_version() -> None:
    result = _run("--version")
    assert (result.returncode, result.stdout) == (0, f"seircast {__version__}\n")


@pytest.mark.parametrize(
    "args",
    [
        ["refit"],  # neither --region nor --all
        ["forecast", "--region", "NY", "--date", "soon"],
        ["no-such-command"],
        ["ingest", "--format", "xml", "x.csv"],
    ],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path, sqlite_url: str) -> None:
    result = _run(*args, cwd=tmp_path, DATABASE_URL=sqlite_url)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["forecast", "--region", "Atlantis"],
        ["refit", "--region", "Atlantis", "--no-wait"],
        ["import-truth", "missing.csv"],
    ],
)
def test_a_failed_operation_exits_1(args: list[str], tmp_path: Path, sqlite_url: str) -> None:
    result = _run(*args, cwd=tmp_path, DATABASE_URL=sqlite_url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_ingest_refuses_loopback_and_file_urls(tmp_path: Path, sqlite_url: str) -> None:
    urls = ["http://127.0.0.1:9/x.csv", "file:///etc/passwd"]
    result = _run("ingest", *urls, cwd=tmp_path, DATABASE_URL=sqlite_url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "points to a loopback address" in result.stdout
    assert "must be an absolute http or https URL" in result.stdout
