"""``seircast backtest``, ``import-forecasts``, ``import-truth``, ``score`` and ``evaluate``."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from app.cli.jobs import follow_job, session_factory
from app.config import get_settings
from app.core.calibration import CALIBRATION_VERSION
from app.core.hubformat import write_hub_csv
from app.core.scoring import METRICS, Unit
from app.errors import AppError, not_found
from app.services.backtest import BacktestRequest, enqueue_backtest
from app.services.database import transaction
from app.services.drift import check_drift
from app.services.evaluation import EvalQuery, Evaluation, evaluate
from app.services.hubexport import backtest_rows
from app.services.imports import import_and_score, import_truth_and_score
from app.services.models import AUTO, describe
from app.services.records import JobStatus
from app.services.scores import score_pending


def _fail(exc: AppError) -> typer.Exit:
    typer.echo(f"error: {exc.detail}", err=True)
    for problem in exc.problems[:20]:
        where = ", ".join(f"{k} {v}" for k, v in problem.as_dict().items() if k != "message")
        typer.echo(f"  {where}: {problem.message}", err=True)
    return typer.Exit(1)  # the operation failed; 2 is for usage and configuration errors


def _dates(values: list[str]) -> list[date]:
    try:
        return [date.fromisoformat(v) for v in values]
    except ValueError as exc:
        raise typer.BadParameter(f"--forecast-date must be YYYY-MM-DD: {exc}") from exc


def backtest(
    forecast_date: Annotated[list[str], typer.Option(help="a Monday YYYY-MM-DD; repeat")],
    out: Annotated[Path, typer.Option(help="hub CSV to write")],
    regions: Annotated[
        list[str] | None, typer.Option(help="code or alias; repeat (default: 50 states + DC)")
    ] = None,
    model: Annotated[str, typer.Option(help=describe())] = AUTO,
    seed: int = 0,
    calibration: Annotated[
        str, typer.Option(help=f"{CALIBRATION_VERSION} (applied once there is history) | none")
    ] = CALIBRATION_VERSION,
) -> None:
    """Fit regions as of past forecast dates (unpublished) and write Forecast Hub CSV."""
    settings, factory = get_settings(), session_factory()
    request = BacktestRequest(_dates(forecast_date), regions or None, model, seed, calibration)
    try:
        with transaction(factory) as session:
            job_id = enqueue_backtest(session, request, settings.JOB_MAX_ATTEMPTS).id
    except AppError as exc:
        raise _fail(exc) from exc
    typer.echo(f"backtest job {job_id} queued")
    status = follow_job(factory, settings, job_id, "backtest")
    with transaction(factory) as session:
        rows = backtest_rows(session, job_id, calibration)
        scored = score_pending(session)
    out.write_text(write_hub_csv(rows))
    typer.echo(f"job {job_id}: {status}; {len(rows)} hub rows written to {out}; {scored} scores")
    raise typer.Exit(0 if status == JobStatus.SUCCEEDED else 1)


def import_forecasts_command(
    files: Annotated[list[Path], typer.Argument(help="Forecast Hub CSV files (gzip ok)")],
    model: Annotated[str, typer.Option(help="the model's name, e.g. COVIDhub-ensemble")],
) -> None:
    """Import other models' Forecast Hub files (each file replaces its forecast dates)."""
    factory = session_factory()
    for path in files:
        if not path.is_file():
            raise _fail(not_found(f"no such file: {path}"))
        try:
            with transaction(factory) as session:
                imported = import_and_score(session, model, path.read_bytes())
        except AppError as exc:
            typer.echo(f"{path}:", err=True)
            raise _fail(exc) from exc
        result, dates = imported.result, len(imported.result.forecast_dates)
        typer.echo(
            f"{path}: {result.forecasts} forecasts on {dates} dates; {imported.scored} scored"
        )


def import_truth_command(
    file: Annotated[
        Path, typer.Argument(help="weekly truth CSV: location,week_end_date,inc_deaths")
    ],
    source: Annotated[str, typer.Option(help="name of this truth")] = "jhu-final",
) -> None:
    """Import a weekly truth file; scores then use it in place of the observations."""
    factory = session_factory()
    if not file.is_file():
        raise _fail(not_found(f"no such file: {file}"))
    try:
        with transaction(factory) as session:
            stored, scored = import_truth_and_score(session, file.read_bytes(), source)
    except AppError as exc:
        raise _fail(exc) from exc
    typer.echo(f"{stored} weekly truth values stored as {source!r}; {scored} forecasts (re)scored")


def score() -> None:
    """Score every stored forecast whose truth is now known."""
    with transaction(session_factory()) as session:
        typer.echo(f"{score_pending(session)} forecasts scored")
        alerts = check_drift(session, get_settings())
        typer.echo(f"{len(alerts)} new drift alert(s)")


TEXT_FORMATS = {Unit.DEATHS: ".1f", Unit.RATIO: ".3f", Unit.SHARE: ".2f"}


def markdown(result: Evaluation) -> str:
    """The overall table in Markdown, a column per metric of ``METRICS``."""
    lines = [
        "| model | n | " + " | ".join(m.abbrev for m in METRICS) + " |",
        "|---|---|" + "---|" * len(METRICS),
    ]

    def num(value: float | None, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    for s in result.overall:
        cells = [num(s.metrics[m.name], TEXT_FORMATS[m.unit]) for m in METRICS]
        lines.append(f"| {s.model} | {s.n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def evaluate_command(
    model: Annotated[
        list[str] | None, typer.Option(help="repeat; default: every scored model")
    ] = None,
    region: str | None = None,
    horizon: int | None = None,
    start: Annotated[str | None, typer.Option(help="first forecast date")] = None,
    end: Annotated[str | None, typer.Option(help="last forecast date")] = None,
) -> None:
    """Print the evaluation table (as GET /evaluations computes it) in Markdown."""
    first, last = (_dates([d])[0] if d else None for d in (start, end))
    try:
        with transaction(session_factory()) as session:
            result = evaluate(session, EvalQuery(model or None, region, horizon, first, last))
    except AppError as exc:
        raise _fail(exc) from exc
    typer.echo(
        f"{result.forecasts} forecasts shared by {', '.join(result.models)}; levels "
        f"{result.levels}; baseline {result.baseline}; truth {', '.join(result.truth_sources)}\n"
    )
    typer.echo(markdown(result))
