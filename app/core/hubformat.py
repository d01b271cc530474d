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
import zlib
from collections.abc import Iterable
from datetime import date

from app.core.hubrow import parse_row
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
)

_OPTIONAL = ("location_name",)

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
        row = parse_row(record, date_col, reader.line_num, allowed_quantiles, result.errors)
        if row is not None:
            result.rows.append(row)
            lines.append(reader.line_num)
    if not result.rows and not result.errors:
        result.errors.append(HubError(1, None, "file has a header but no forecast rows"))
    _check_duplicates_and_order(result.rows, lines, result.errors)
    result.errors.sort(key=lambda err: err.line)
    return result


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
