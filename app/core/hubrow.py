"""One row of a Forecast Hub CSV: each field parsed and checked (``app.core.hubformat``'s
rules), problems collected as ``HubError``s with the line and column."""

import math
import re
from datetime import date, timedelta

from app.core.epiweeks import hub_target_end_date
from app.core.hubtypes import MAX_WEEKS, HubError, HubRow, Kind, RowType, location_problem

_TARGET_RE = re.compile(r"(\d+) wk ahead (inc|cum) death")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_date(text: str, column: str, line: int, errors: list[HubError]) -> date | None:
    if _DATE_RE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    errors.append(HubError(line, column, f"{column} {text!r} is not a date YYYY-MM-DD"))
    return None


def _parse_target(text: str, line: int, errors: list[HubError]) -> tuple[int, Kind] | None:
    match = _TARGET_RE.fullmatch(text)
    if match is None or not 1 <= int(match.group(1)) <= MAX_WEEKS:
        message = f"unknown target {text!r}; expected 'N wk ahead inc|cum death', N=1..{MAX_WEEKS}"
        errors.append(HubError(line, "target", message))
        return None
    return int(match.group(1)), "inc" if match.group(2) == "inc" else "cum"


def _parse_location(text: str, line: int, errors: list[HubError]) -> str | None:
    problem = location_problem(text)
    if problem is None:
        return text
    errors.append(HubError(line, "location", problem))
    return None


def _parse_quantile(
    kind: str, text: str, allowed: tuple[float, ...], line: int, errors: list[HubError]
) -> tuple[bool, float | None]:
    if kind not in ("point", "quantile"):
        return False, None  # already reported as a bad type
    if kind == "point":
        if text in ("", "NA"):
            return True, None
        errors.append(HubError(line, "quantile", f"point rows need quantile NA, got {text!r}"))
        return False, None
    try:
        level = float(text)
    except ValueError:
        level = math.nan
    for allowed_level in allowed:
        if abs(level - allowed_level) < 1e-9:
            return True, allowed_level
    message = f"quantile {text!r} is not an allowed level ({', '.join(map(str, allowed))})"
    errors.append(HubError(line, "quantile", message))
    return False, None


def _parse_value(text: str, line: int, errors: list[HubError]) -> float | None:
    try:
        value = float(text)
    except ValueError:
        errors.append(HubError(line, "value", f"value {text!r} is not a number"))
        return None
    if not math.isfinite(value) or value < 0:
        errors.append(HubError(line, "value", f"value {text!r} must be a finite number >= 0"))
        return None
    return value


def parse_row(
    record: dict[str, str],
    date_col: str,
    line: int,
    allowed: tuple[float, ...],
    errors: list[HubError],
) -> HubRow | None:
    """One data row of a hub file (``record``: column -> stripped cell, ``date_col`` the
    forecast or reference date column, ``line`` its file line), or None with its problems
    appended to ``errors``."""
    n_before = len(errors)
    made = _parse_date(record[date_col], date_col, line, errors)
    end = _parse_date(record["target_end_date"], "target_end_date", line, errors)
    target = _parse_target(record["target"], line, errors)
    location = _parse_location(record["location"], line, errors)
    kind = record["type"]
    if kind not in ("point", "quantile"):
        errors.append(HubError(line, "type", f"type {kind!r} must be 'point' or 'quantile'"))
    quantile_ok, level = _parse_quantile(kind, record["quantile"], allowed, line, errors)
    value = _parse_value(record["value"], line, errors)
    if made is not None and end is not None and target is not None:
        weeks = target[0]
        expected = (
            made + timedelta(days=7 * weeks)
            if date_col == "reference_date"
            else hub_target_end_date(made, weeks)
        )
        if end != expected:
            message = (
                f"target_end_date {end} does not match {date_col} {made} + {weeks} wk: {expected}"
            )
            errors.append(HubError(line, "target_end_date", message))
    if len(errors) > n_before or not quantile_ok:
        return None
    assert made and end and target and location and value is not None  # for the type checker
    row_type: RowType = "point" if kind == "point" else "quantile"
    return HubRow(
        made, record["target"], target[0], target[1], end, location, row_type, level, value
    )
