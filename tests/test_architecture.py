"""The import-linter contracts of pyproject.toml (run by ``make lint``) hold, and break when
a module crosses a layer, so they cannot silently stop checking anything.

Each case copies the package's Python files and the configuration into a temporary
directory, adds one forbidden import and runs ``lint-imports`` there: the contract must
report that very import.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    keep_py = shutil.ignore_patterns("__pycache__", "data", "static", "templates")
    shutil.copytree(ROOT / "app", tmp_path / "app", ignore=keep_py)
    return tmp_path


def _lint(where: Path, contract: str | None = None) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first: the copy, not the installed package, is the one analysed
    env = {**os.environ, "PYTHONPATH": str(where)}
    command = [str(LINT_IMPORTS), "--no-cache", *(["--contract", contract] if contract else [])]
    return subprocess.run(
        command, cwd=where, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _add_import(module: Path, line: str) -> None:
    module.write_text(module.read_text() + f"\n{line}  # noqa\n")


def test_every_contract_is_kept_by_the_package(tmp_path: Path) -> None:
    kept = _lint(_copy(tmp_path))
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "Contracts: 3 kept, 0 broken." in kept.stdout, kept.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract", "reported"),
    [
        (
            "app/api/routes/health.py",
            "import app.db.models",
            "no-db-above-services",
            "app.api.routes.health -> app.db.models",
        ),
        (
            "app/web/region_page.py",
            "from app.db.fits import FitRepository",
            "no-db-above-services",
            "app.web.region_page -> app.db.fits",
        ),
        (
            "app/cli/jobs.py",
            "from app.db.session import unit_of_work",
            "no-db-above-services",
            "app.cli.jobs -> app.db.session",
        ),
        (
            "app/services/status.py",
            "from app.api.deps import SessionDep",
            "layers",
            "app.services.status -> app.api.deps",
        ),
        (
            "app/core/epiweeks.py",
            "import sqlalchemy",
            "pure-core",
            "app.core.epiweeks -> sqlalchemy",
        ),
    ],
)
def test_contract_breaks_on_a_crossing_import(
    tmp_path: Path, module: str, line: str, contract: str, reported: str
) -> None:
    copy = _copy(tmp_path)
    _add_import(copy / module, line)
    broken = _lint(copy, contract)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "BROKEN" in broken.stdout and reported in broken.stdout, broken.stdout
