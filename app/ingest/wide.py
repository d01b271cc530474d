"""Shared pieces of the wide CSSE layouts: date headers and rows of cumulative counts."""

import csv
import io
import itertools
import re
from datetime import date

import numpy as np

from app.core.types import FloatArray
from app.errors import FieldProblem, invalid_file

MAX_PROBLEMS = 20
_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_header_date(text: str) -> date | None:
    """``m/d/yy``, ``m/d/yyyy`` or ISO ``yyyy-mm-dd``; None if the cell is not date-shaped."""
    if m := _MDY.match(text.strip()):
        month, day, year = int(m[1]), int(m[2]), int(m[3])
        year += 2000 if year < 100 else 0
    elif m := _ISO.match(text.strip()):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_rows(text: str) -> list[list[str]]:
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise invalid_file(f"this is not a readable CSV file: {exc}") from exc
    return [r for r in rows if any(cell.strip() for cell in r)] if rows else []


def split_header(header: list[str], first_date_col: int) -> list[date]:
    """Parse the date columns from ``first_date_col`` on; reject bad or duplicated dates."""
    cells = header[first_date_col:]
    if not cells:
        raise invalid_file(
            "the header has no date columns (expected m/d/yy columns)",
            [FieldProblem(f"no date column after column {first_date_col}", line=1)],
        )
    problems: list[FieldProblem] = []
    dates: list[date] = []
    seen: dict[date, str] = {}
    for offset, cell in enumerate(cells):
        col = f"{cell} (column {first_date_col + offset + 1})"
        parsed = parse_header_date(cell)
        if parsed is None:
            problems.append(FieldProblem("not a date (expected m/d/yy)", line=1, column=col))
        elif parsed in seen:
            problems.append(FieldProblem(f"duplicate of column {seen[parsed]}", 1, col))
        else:
            seen[parsed] = cell
            dates.append(parsed)
    if problems:
        raise invalid_file("the header has bad date columns", problems[:MAX_PROBLEMS])
    if any(b <= a for a, b in itertools.pairwise(dates)):
        raise invalid_file(
            "the date columns are not in increasing order",
            [FieldProblem("dates must increase from left to right", line=1)],
        )
    return dates


def parse_count(text: str) -> float | str:
    """One cumulative count: a float (NaN for an empty cell) or what is wrong with it."""
    stripped = text.strip()
    if not stripped:
        return np.nan
    try:
        value = float(stripped)
    except ValueError:
        return f"{stripped!r} is not a whole number"
    if not np.isfinite(value) or value != round(value):
        return f"{stripped!r} is not a whole number"
    return value if value >= 0 else f"negative count {stripped}"


def _slow_counts(
    cells: list[str], line: int, dates: list[date]
) -> tuple[FloatArray, list[FieldProblem]]:
    out = np.full(len(cells), np.nan)
    problems: list[FieldProblem] = []
    for i, cell in enumerate(cells):
        value = parse_count(cell)
        if isinstance(value, str):
            column = dates[i].isoformat() if i < len(dates) else f"column {i + 1}"
            problems.append(FieldProblem(value, line, column))
        else:
            out[i] = value
    return out, problems


def parse_counts(
    cells: list[str], line: int, dates: list[date]
) -> tuple[FloatArray, list[FieldProblem]]:
    """One row of cumulative counts as floats (NaN for empty cells), with any problems found."""
    if len(cells) != len(dates):
        return np.full(len(dates), np.nan), [
            FieldProblem(f"row has {len(cells)} date cells, the header has {len(dates)}", line)
        ]
    try:
        values = np.array(cells, dtype=np.float64)
    except ValueError:
        return _slow_counts(cells, line, dates)
    if not np.all(np.isfinite(values)) or np.any(values < 0) or np.any(values != np.rint(values)):
        return _slow_counts(cells, line, dates)
    return values, []


def raise_if(problems: list[FieldProblem], what: str) -> None:
    if problems:
        more = (
            f" (first {MAX_PROBLEMS} of {len(problems)} shown)"
            if len(problems) > MAX_PROBLEMS
            else ""
        )
        raise invalid_file(f"{what}: {len(problems)} problem(s){more}", problems[:MAX_PROBLEMS])


def sum_groups(groups: list[list[int]], matrix: FloatArray) -> FloatArray:
    """Row groups of ``matrix`` (n_rows, n_dates) summed: (n_groups, n_dates). A date is NaN
    only where every row of the group is NaN (missing values count as 0 otherwise)."""
    out = np.full((len(groups), matrix.shape[1]), np.nan)
    for k, idx in enumerate(groups):
        block = matrix[idx]
        seen = ~np.all(np.isnan(block), axis=0)
        out[k, seen] = np.nansum(block[:, seen], axis=0)
    return out


def header_index(header: list[str], names: tuple[str, ...]) -> dict[str, int]:
    index = {name.strip(): i for i, name in enumerate(header)}
    missing = [n for n in names if n not in index]
    if missing:
        raise invalid_file(
            f"the header lacks required column(s): {', '.join(missing)}",
            [FieldProblem("missing column", line=1, column=name) for name in missing],
        )
    return {n: index[n] for n in names}
