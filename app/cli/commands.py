"""The ``seircast`` command group and its first commands: serve, migrate, ingest.

The job commands (app/cli/jobs.py) and the evaluation commands (app/cli/eval.py) join the
same ``cli`` group. Exit codes, the same for every command: 0 ok, 1 the operation failed,
2 a usage or configuration error.
"""

import ipaddress
import os
import sys
from datetime import date
from typing import Annotated

import typer
from rich.progress import Progress
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from app import __version__
from app.api.observability import configure_logging
from app.cli import eval as evaluation
from app.cli import jobs
from app.config import ConfigError, Settings, get_settings
from app.errors import AppError
from app.ingest.sniff import FileFormat, Series
from app.main import prepare_database
from app.services import database
from app.services.fetch import read_source
from app.services.ingest import ingest_file

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

cli = typer.Typer(
    help="seircast: epidemic death forecasting service. "
    "Exit codes: 0 ok, 1 the operation failed, 2 usage or configuration error.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"seircast {__version__}")
        raise typer.Exit(EXIT_OK)


@cli.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="print, exit"),
    ] = False,
) -> None:
    """seircast: epidemic death forecasting service."""


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def check_bind(host: str, settings: Settings, allow_open: bool) -> None:
    """Refuse to serve the mutating endpoints open to a network (exit 2)."""
    if _is_loopback(host) or settings.API_KEYS or allow_open or settings.ALLOW_OPEN_PUBLIC_BIND:
        return
    typer.echo(
        f"error: refusing to serve on {host} without SEIRCAST_API_KEYS (anyone who reaches it "
        "could ingest and refit); set SEIRCAST_API_KEYS, or pass --allow-open "
        "(SEIRCAST_ALLOW_OPEN_PUBLIC_BIND=true) to serve it open",
        err=True,
    )
    raise typer.Exit(EXIT_USAGE)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    allow_open: Annotated[
        bool, typer.Option(help="allow a non-loopback host without SEIRCAST_API_KEYS")
    ] = False,
) -> None:
    """Run the HTTP service (migrates and loads the bundled data on first start)."""
    import uvicorn

    settings = get_settings()
    check_bind(host, settings, allow_open)
    configure_logging(settings.LOG_LEVEL)
    if workers > 1:
        # Start-up work runs once here, not in each worker process at the same time.
        prepare_database(settings)
        os.environ.update(
            {
                "SEIRCAST_AUTO_MIGRATE": "false",
                "SEIRCAST_LOAD_BUNDLED_DATA": "false",
                "SEIRCAST_REFIT_ON_START": "false",
            }
        )
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
    )


@cli.command()
def migrate() -> None:
    """Upgrade the database to the latest schema and seed the region registry."""
    _, regions = database.migrate(get_settings())
    typer.echo(f"database at head; {regions} regions in the registry")


@cli.command()
def ingest(
    sources: Annotated[list[str], typer.Argument(help="file paths or http(s) URLs")],
    format: FileFormat = FileFormat.AUTO,
    series: Annotated[Series | None, typer.Option(help="deaths or cases (wide files)")] = None,
    vintage_date: Annotated[str | None, typer.Option(help="publication date YYYY-MM-DD")] = None,
) -> None:
    """Ingest data files (each becomes one release; unchanged data stores nothing)."""
    settings = get_settings()
    factory = jobs.session_factory()
    vintage = date.fromisoformat(vintage_date) if vintage_date else None
    failed = 0
    with Progress(transient=True) as progress:
        task = progress.add_task("ingesting", total=len(sources))
        for source in sources:
            try:
                got = read_source(source, settings)
                with database.transaction(factory) as session:
                    result = ingest_file(
                        session,
                        got.data,
                        source,
                        got.name,
                        max_bytes=settings.MAX_UPLOAD_BYTES,
                        fmt=format,
                        series=series,
                        vintage_date=vintage,
                    )
                progress.console.print(f"{source}: {result.message}", soft_wrap=True)
            except AppError as exc:
                failed += 1
                progress.console.print(f"[red]{source}: {exc.detail}[/red]", soft_wrap=True)
                for problem in exc.problems:
                    where = ", ".join(
                        f"{k} {v}" for k, v in problem.as_dict().items() if k != "message"
                    )
                    progress.console.print(
                        f"  {where}: {problem.message}", soft_wrap=True, markup=False
                    )
            progress.advance(task)
    raise typer.Exit(EXIT_FAILED if failed else EXIT_OK)


cli.command()(jobs.worker)
cli.command()(jobs.refit)
cli.command()(jobs.forecast)
cli.command()(evaluation.backtest)
cli.command("import-forecasts")(evaluation.import_forecasts_command)
cli.command("import-truth")(evaluation.import_truth_command)
cli.command()(evaluation.score)
cli.command("evaluate")(evaluation.evaluate_command)


def _database(settings_url: str) -> str:
    try:
        return make_url(settings_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "?"


def main() -> None:
    """The ``seircast`` entry point: configuration and database errors are one line, not a
    traceback."""
    try:
        cli()
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except ArgumentError as exc:  # a DATABASE_URL SQLAlchemy cannot use
        typer.echo(f"error: invalid configuration: SEIRCAST_DATABASE_URL: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        url = _database(get_settings().DATABASE_URL)
        typer.echo(f"error: the database {url} is unavailable: {reason}", err=True)
        sys.exit(EXIT_FAILED)
