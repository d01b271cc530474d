"""The deployment files: compose.yaml runs real ``seircast`` commands with real settings, and
the image's build context leaves the virtualenv and the data out.

``docker compose config`` needs a Docker engine, which CI does not have: the file is parsed
with PyYAML (merge keys resolved as Compose does) and checked against the typer app and
``Settings``."""

import re
from pathlib import Path
from typing import Any

import typer.main
import yaml

from app.cli import cli
from app.config import Settings

REPO = Path(__file__).resolve().parents[1]
VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}")


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "compose.yaml").read_text())
    return loaded


def _seircast_commands() -> dict[str, set[str]]:
    """The CLI's commands, each with its option names."""
    group = typer.main.get_command(cli)
    commands: dict[str, Any] = getattr(group, "commands", {})
    return {name: {o for p in c.params for o in p.opts} for name, c in commands.items()}


def _check_seircast(service: str, argv: list[str], commands: dict[str, set[str]]) -> None:
    assert len(argv) >= 2 and argv[1] in commands, f"{service}: no command {argv[1:2]}"
    options = commands[argv[1]]
    for arg in argv[2:]:
        if arg.startswith("--"):
            assert arg.split("=")[0] in options, f"{service}: seircast {argv[1]} has no {arg}"


def test_every_seircast_service_runs_a_command_the_cli_has() -> None:
    services = _compose()["services"]
    commands = _seircast_commands()
    assert {"serve", "worker", "migrate"} <= set(commands)
    ran = set()
    for name, service in services.items():
        argv = service.get("command")
        if argv and argv[0] == "seircast":
            assert isinstance(argv, list), f"{name}: command must be a list (exec form)"
            _check_seircast(name, argv, commands)
            ran.add(argv[1])
    assert {"migrate", "serve", "worker"} <= ran


def test_every_setting_in_compose_is_a_settings_field() -> None:
    services = _compose()["services"]
    fields = {f"SEIRCAST_{name}" for name in Settings.model_fields}
    named = set()
    for name, service in services.items():
        for key in service.get("environment", {}):
            if key.startswith("SEIRCAST_"):
                assert key in fields, f"{name}: {key} is not a setting of app/config.py"
                named.add(key)
    interpolated = set(VARIABLE.findall((REPO / "compose.yaml").read_text()))
    unknown = {v for v in interpolated if v.startswith("SEIRCAST_")} - fields - {"SEIRCAST_PORT"}
    assert not unknown, unknown
    assert {"SEIRCAST_DATABASE_URL", "SEIRCAST_API_KEYS"} <= named


def test_compose_runs_postgres_api_workers_and_optional_dask() -> None:
    services = _compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    url = services["api"]["environment"]["SEIRCAST_DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and "@postgres:5432/" in url
    assert services["api"]["environment"]["SEIRCAST_EMBEDDED_WORKER"] == "false"
    assert services["worker"]["deploy"]["replicas"] >= 2
    for name in ("dask-scheduler", "dask-worker"):
        assert services[name]["profiles"] == ["dask"]
    assert services["dask-worker"]["command"][2] == "tcp://dask-scheduler:8786"
    assert all("profiles" not in services[n] for n in ("postgres", "migrate", "api", "worker"))


def test_the_image_keeps_its_database_in_a_volume_and_its_context_small() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    assert 'VOLUME ["/srv/seircast/var"]' in dockerfile
    assert "SEIRCAST_DATABASE_URL=sqlite:////srv/seircast/var/" in dockerfile
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".venv", "var", ".git", ".env", "docs", "tests", ".mypy_cache"} <= set(ignored)
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, flags=re.MULTILINE)
    for sources in copied:
        for source in sources.split():
            assert source not in ignored and (REPO / source).exists(), source
