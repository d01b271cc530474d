"""Import other models' Forecast Hub files and truth files.

A hub file is validated with ``app.core.hubformat`` and stored only when it has no error;
re-importing a model's forecast dates replaces them (and their scores) in one transaction.
"""

import csv
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.core.hubformat import HubRow, parse_hub_bytes
from app.db.evaluations import ExternalForecastRepository, TruthRepository
from app.db.models import Region
from app.db.repositories import RegionRepository
from app.errors import FieldProblem, invalid_file, invalid_input

OURS = "seircast"
BUILTIN_BASELINE = "seircast-baseline"
HUB_BASELINE = "COVIDhub-baseline"
BASELINES = (HUB_BASELINE, BUILTIN_BASELINE)  # the relative-WIS reference, in order of preference
RESERVED_MODELS = frozenset({OURS, BUILTIN_BASELINE})
MODEL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
TRUTH_SOURCE_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
MAX_PROBLEMS = 50
# viz extracts name forecasts by the Saturday before the Monday the hub's submissions were due
REFERENCE_TO_FORECAST_DAYS = 2


@dataclass(frozen=True, slots=True)
class ImportResult:
    model: str
    forecast_dates: list[date]
    forecasts: int
    rows: int
    date_column: str


def check_model_name(model: str) -> str:
    if not MODEL_RE.fullmatch(model):
        raise invalid_input(
            f"model {model!r} must be 1-64 letters, digits, '.', '_' or '-'",
            [FieldProblem("bad value", field="model")],
        )
    if model in RESERVED_MODELS:
        raise invalid_input(
            f"model name {model!r} is reserved for seircast's own forecasts",
            [FieldProblem("reserved name", field="model")],
        )
    return model


def _too_many(problems: list[FieldProblem], what: str) -> None:
    if problems:
        more = f" (first {MAX_PROBLEMS} shown)" if len(problems) > MAX_PROBLEMS else ""
        raise invalid_file(f"{len(problems)} invalid {what}{more}", problems[:MAX_PROBLEMS])


def _regions(session: Session, locations: set[str]) -> dict[str, Region]:
    repo = RegionRepository(session)
    found = {loc: repo.resolve(loc) for loc in sorted(locations)}
    missing = [loc for loc, region in found.items() if region is None]
    if missing:
        raise invalid_file(f"locations not in the region registry: {', '.join(missing)}")
    return {loc: region for loc, region in found.items() if region is not None}


def _group(rows: list[HubRow], shift: int) -> tuple[list[dict[str, Any]], list[FieldProblem]]:
    groups: dict[tuple[date, str, str], list[HubRow]] = defaultdict(list)
    for row in rows:
        groups[(row.forecast_date, row.target, row.location)].append(row)
    out: list[dict[str, Any]] = []
    problems: list[FieldProblem] = []
    for (made, target, location), members in groups.items():
        quantiles = sorted((r.quantile, r.value) for r in members if r.quantile is not None)
        point = next((r.value for r in members if r.quantile is None), None)
        levels = [q for q, _ in quantiles]
        if not levels and point is not None:
            levels, quantiles = [0.5], [(0.5, point)]
        symmetric = all(any(abs(a + b - 1) < 1e-9 for b in levels) for a in levels)
        if not symmetric or not any(abs(q - 0.5) < 1e-9 for q in levels):
            message = (
                f"{target!r} at {location} on {made}: quantile levels {levels} must be "
                "symmetric (tau and 1 - tau) and include 0.5"
            )
            problems.append(FieldProblem(message, column="quantile"))
            continue
        first = members[0]
        out.append(
            {
                "forecast_date": made + timedelta(days=shift),
                "target": target,
                "kind": first.kind,
                "horizon": first.horizon_weeks,
                "target_end_date": first.target_end_date,
                "location": location,
                "levels": levels,
                "quantiles": [v for _, v in quantiles],
                "point": point,
            }
        )
    return out, problems


def import_forecasts(session: Session, model: str, data: bytes) -> ImportResult:
    """Validate and store a hub file for ``model``; 422 with every bad line, nothing stored."""
    check_model_name(model)
    parsed = parse_hub_bytes(data)
    problems = [FieldProblem(e.message, e.line, e.column) for e in parsed.errors]
    _too_many(problems, "row(s)")
    reference = parsed.date_column == "reference_date"
    grouped, problems = _group(parsed.rows, REFERENCE_TO_FORECAST_DAYS if reference else 0)
    _too_many(problems, "forecast(s)")
    regions = _regions(session, {g["location"] for g in grouped})
    rows = [
        g
        | {
            "model": model,
            "region_id": regions[g["location"]].id,
            "date_column": parsed.date_column,
        }
        for g in grouped
    ]
    dates = sorted({r["forecast_date"] for r in rows})
    ExternalForecastRepository(session).replace(model, dates, rows)
    return ImportResult(model, dates, len(rows), len(parsed.rows), parsed.date_column)


TRUTH_COLUMNS = ("location", "week_end_date", "inc_deaths")


def _truth_row(
    record: dict[str, str], line: int, problems: list[FieldProblem]
) -> tuple[str, date, float] | None:
    before = len(problems)
    try:
        day = date.fromisoformat(record["week_end_date"])
        if day.weekday() != 5:
            problems.append(FieldProblem(f"{day} is not a Saturday", line, "week_end_date"))
    except ValueError:
        problems.append(
            FieldProblem(
                f"{record['week_end_date']!r} is not a date YYYY-MM-DD", line, "week_end_date"
            )
        )
    try:
        value = float(record["inc_deaths"])
        if not math.isfinite(value):
            raise ValueError(value)
    except ValueError:
        problems.append(
            FieldProblem(f"{record['inc_deaths']!r} is not a finite number", line, "inc_deaths")
        )
    if not record["location"]:
        problems.append(FieldProblem("empty location", line, "location"))
    if len(problems) > before:
        return None
    return record["location"], day, value


def import_truth(session: Session, data: bytes, source: str) -> int:
    """Store a weekly truth file (``location,week_end_date,inc_deaths,...``) as ``source``.

    The whole source is replaced. Scores use imported truth before observation-derived truth.
    """
    if not TRUTH_SOURCE_RE.fullmatch(source):
        raise invalid_input(
            f"truth source {source!r} must be 1-32 lower-case letters, digits, '.', '_', '-'",
            [FieldProblem("bad value", field="source")],
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise invalid_file(f"the truth file is not UTF-8 text (offset {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in TRUTH_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise invalid_file(
            f"the truth file needs the columns {', '.join(TRUTH_COLUMNS)}",
            [FieldProblem(f"missing column {c!r}", 1, c) for c in missing],
        )
    problems: list[FieldProblem] = []
    parsed: dict[tuple[str, date], float] = {}
    for record in reader:
        line = reader.line_num
        row = _truth_row({k: (record.get(k) or "").strip() for k in TRUTH_COLUMNS}, line, problems)
        if row is not None:
            if (row[0], row[1]) in parsed:
                problems.append(FieldProblem(f"duplicate week {row[1]} for {row[0]}", line))
            parsed[(row[0], row[1])] = row[2]
    _too_many(problems, "row(s)")
    if not parsed:
        raise invalid_file("the truth file has a header but no rows")
    regions = _regions(session, {loc for loc, _ in parsed})
    rows = [
        {"region_id": regions[loc].id, "week_end_date": day, "inc_deaths": value}
        for (loc, day), value in parsed.items()
    ]
    return TruthRepository(session).replace(source, rows)
