"""``seircast worker``, ``seircast refit`` and ``seircast forecast``."""

import signal
import threading
import time
from datetime import date
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.orm import Session, sessionmaker

from app.api.observability import configure_logging
from app.api.routes.forecasts import forecast_read
from app.config import Settings, get_settings
from app.errors import AppError
from app.jobs.executor import make_executor
from app.jobs.runner import BackgroundWorker
from app.jobs.worker import Worker
from app.services.database import open_database, transaction
from app.services.forecasts import get_forecast
from app.services.jobs import job_progress
from app.services.models import AUTO, describe
from app.services.records import ACTIVE, JobStatus
from app.services.refit import RefitRequest, enqueue_refit


def session_factory() -> sessionmaker[Session]:
    """Sessions on the configured database, migrated and with the region registry seeded."""
    return open_database(get_settings())


def worker(capacity: Annotated[int | None, typer.Option(help="fits at a time")] = None) -> None:
    """Run a job worker until SIGTERM/SIGINT (it finishes its in-flight fits first)."""
    settings = get_settings()
    configure_logging(settings.LOG_LEVEL)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    runner = Worker(session_factory(), settings, make_executor(settings), capacity)
    try:
        runner.run(stop)
    finally:  # the worker may have replaced a broken pool: shut down the one it holds
        runner.executor.shutdown(wait=True, cancel_futures=True)


def refit(
    region: Annotated[list[str] | None, typer.Option(help="code or alias; repeat")] = None,
    all_states: Annotated[bool, typer.Option("--all", help="56 US states and territories")] = False,
    as_of: Annotated[str | None, typer.Option(help="release id or date YYYY-MM-DD")] = None,
    model: Annotated[str, typer.Option(help=describe())] = AUTO,
    seed: int = 0,
    wait: Annotated[bool, typer.Option(help="run a worker here until the job ends")] = True,
) -> None:
    """Queue a refit and (by default) run it here with a progress bar."""
    if not region and not all_states:
        raise typer.BadParameter("give --region (repeatable) or --all")
    settings = get_settings()
    factory = session_factory()
    try:
        with transaction(factory) as session:
            outcome = enqueue_refit(
                session,
                RefitRequest(None if all_states else region, as_of, model, seed),
                settings.JOB_MAX_ATTEMPTS,
            )
            job_id = outcome.job.id
    except AppError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc  # exit codes: 0 ok, 1 failed, 2 usage/config (app/cli)
    typer.echo(f"job {job_id} {'queued' if outcome.created else 'already running'}")
    if wait:
        status = follow_job(factory, settings, job_id)
        typer.echo(f"job {job_id}: {status}")
        raise typer.Exit(0 if status == JobStatus.SUCCEEDED else 1)


def follow_job(
    factory: sessionmaker[Session], settings: Settings, job_id: int, label: str = "refit"
) -> str:
    """Run a worker here and show the job's progress until it ends; returns its status."""
    background = BackgroundWorker(factory, settings)
    background.start()
    columns = (
        TextColumn(label),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns) as progress:
            task = progress.add_task(label, total=None)
            while True:
                with transaction(factory) as session:
                    status, done, total = job_progress(session, job_id)
                progress.update(task, completed=done, total=total)
                if status not in ACTIVE:
                    return status
                time.sleep(0.5)
    finally:
        background.stop()


def forecast(
    region: Annotated[str, typer.Option(help="code or alias")],
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD; omit for all")] = None,
) -> None:
    """Print the forecast JSON that GET /forecast returns."""
    try:
        target = date.fromisoformat(day) if day else None
    except ValueError as exc:
        raise typer.BadParameter(f"--date must be YYYY-MM-DD, got {day!r}") from exc
    with transaction(session_factory()) as session:
        try:
            view = get_forecast(session, region, target)
        except AppError as exc:
            typer.echo(f"error: {exc.detail}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(forecast_read(view).model_dump_json(indent=2))
