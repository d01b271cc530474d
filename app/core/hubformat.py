"""COVID-19 Forecast Hub CSV: a validating parser and a writer (pure, no pandas; the vocabulary
and row types are in ``app/core/hubtypes.py``, re-exported here).

A file has the header ``forecast_date,target,target_end_date,location,type,quantile,value``
(any order, plus an optional ``location_name``). The hub visualization extracts in
``shared/data/forecast_hub/viz_weekly_inc_death`` use ``reference_date`` (a Saturday) in place
of ``forecast_date``; such files are accepted, the date lands in ``HubRow.forecast_date`` and
``HubParseResult.date_column`` says which column it came from. Only weekly death targets
``N wk ahead inc death`` / ``N wk ahead cum death`` with N = 1..8 are known (no day targets).

Validation follows the hub's rules; every problem becomes a ``HubError`` with the 1-based
file line (the header is line 1) and the column, and a row with any error is not returned.
Rules: header columns known and complete; ISO dates; known target; known location
(``HUB_LOCATIONS``: 2-digit state/territory FIPS, ``US``, or a country's ISO 3166-1 alpha-2
code such as ``FR``); type ``point``/``quantile``; quantile empty/``NA`` for point rows and
one of ``QUANTILES_23`` for quantile rows; value a finite number >= 0; target end date =
``hub_target_end_date(forecast_date, N)`` (or ``reference_date + 7 N``); no duplicate (date,
target, location, type, quantile); quantiles non-decreasing in level within a (date, target,
location); the file non-empty, UTF-8 (gzip accepted by ``parse_hub_bytes``).
"""

import csv
import gzip
import io
import itertools
import math
import re
import zlib
from collections.abc import Iterable
from datetime import date, timedelta

from app.core.epiweeks import hub_target_end_date
from app.core.hubtypes import (
    HEADER,
    LOCATIONS,
    MAX_WEEKS,
    QUANTILES_23,
    TARGETS,
    HubError,
    HubParseResult,
    HubRow,
    Kind,
    RowType,
    location_problem,
)

_OPTIONAL = ("location_name",)
_TARGET_RE = re.compile(r"(\d+) wk ahead (inc|cum) death")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")

__all__ = [
    "HEADER",
    "LOCATIONS",
    "MAX_WEEKS",
    "QUANTILES_23",
    "TARGETS",
    "HubError",
    "HubParseResult",
    "HubRow",
    "Kind",
    "RowType",
    "parse_hub_bytes",
    "parse_hub_csv",
    "write_hub_csv",
]


def parse_hub_bytes(data: bytes) -> HubParseResult:
    """Parse an uploaded file: gzip (sniffed by its magic bytes) or plain UTF-8 text."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            return HubParseResult(errors=[HubError(1, None, f"corrupt gzip data: {exc}")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        return HubParseResult(errors=[HubError(line, None, message)])
    return parse_hub_csv(text)


def _check_header(header: list[str]) -> tuple[str, list[HubError]]:
    names = [name.strip() for name in header]
    date_col = "reference_date" if "reference_date" in names else "forecast_date"
    required = {date_col, *HEADER[1:]}
    errors = [
        HubError(1, name, f"unknown column {name!r}; expected {', '.join(HEADER)}")
        for name in names
        if name not in required and name not in _OPTIONAL
    ]
    errors += [
        HubError(1, name, f"missing column {name!r}")
        for name in HEADER
        if (date_col if name == "forecast_date" else name) not in names
    ]
    errors += [HubError(1, n, f"duplicate column {n!r}") for n in set(names) if names.count(n) > 1]
    return date_col, errors


def parse_hub_csv(text: str, allowed_quantiles: tuple[float, ...] = QUANTILES_23) -> HubParseResult:
    """Parse and validate Forecast Hub CSV text; see the module docstring for the rules."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        return HubParseResult(errors=[HubError(1, None, "empty file: no header row")])
    date_col, errors = _check_header(header)
    result = HubParseResult(errors=errors, date_column=date_col)
    if errors:
        return result
    names = [name.strip() for name in header]
    lines: list[int] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(names):
            message = f"expected {len(names)} fields, found {len(cells)}"
            result.errors.append(HubError(reader.line_num, None, message))
            continue
        record = {name: cell.strip() for name, cell in zip(names, cells, strict=True)}
        row = _parse_row(record, date_col, reader.line_num, allowed_quantiles, result.errors)
        if row is not None:
            result.rows.append(row)
            lines.append(reader.line_num)
    if not result.rows and not result.errors:
        result.errors.append(HubError(1, None, "file has a header but no forecast rows"))
    _check_duplicates_and_order(result.rows, lines, result.errors)
    result.errors.sort(key=lambda err: err.line)
    return result


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


def _parse_row(
    record: dict[str, str],
    date_col: str,
    line: int,
    allowed: tuple[float, ...],
    errors: list[HubError],
) -> HubRow | None:
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


def _check_duplicates_and_order(
    rows: list[HubRow], lines: list[int], errors: list[HubError]
) -> None:
    seen: dict[tuple[date, str, str, str, float | None], int] = {}
    groups: dict[tuple[date, str, str], list[tuple[float, float, int]]] = {}
    for row, line in zip(rows, lines, strict=True):
        key = (row.forecast_date, row.target, row.location, row.type, row.quantile)
        if key in seen:
            message = f"duplicate row for {key[1]!r} at {key[2]} (first at line {seen[key]})"
            errors.append(HubError(line, None, message))
            continue
        seen[key] = line
        if row.quantile is not None:
            group = groups.setdefault((row.forecast_date, row.target, row.location), [])
            group.append((row.quantile, row.value, line))
    for (_, target, location), group in groups.items():
        group.sort()
        for (lo_q, lo_v, _), (hi_q, hi_v, hi_line) in itertools.pairwise(group):
            if hi_v < lo_v:
                message = (
                    f"quantiles decrease for {target!r} at {location}: q{hi_q:g} = {hi_v:g} "
                    f"< q{lo_q:g} = {lo_v:g}"
                )
                errors.append(HubError(hi_line, "value", message))


def write_hub_csv(rows: Iterable[HubRow]) -> str:
    """Forecast Hub CSV text (header ``HEADER``, point quantiles as ``NA``, exact floats)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        quantile = "NA" if row.quantile is None else repr(row.quantile)
        writer.writerow(
            [row.forecast_date.isoformat(), row.target, row.target_end_date.isoformat(),
             row.location, row.type, quantile, repr(row.value)]
        )  # fmt: skip
    return buffer.getvalue()
