"""Long CSV: ``date, location, cum_deaths[, cum_cases]``; other columns are ignored.

``location`` is a region code, alias or FIPS (``US-NY``, ``NY``, ``36``, ``New York``); it is
resolved against the region registry by the ingest service. Dates are ISO or ``m/d/yy``.
"""

from datetime import date

import numpy as np

from app.errors import FieldProblem
from app.ingest.table import ParsedFile, SeriesBlock
from app.ingest.wide import (
    MAX_PROBLEMS,
    header_index,
    parse_count,
    parse_header_date,
    raise_if,
    read_rows,
)

VALUE_COLUMNS = {"cum_deaths": "deaths", "cum_cases": "cases"}


def parse_long(text: str) -> ParsedFile:
    table = read_rows(text)
    header = [h.strip() for h in (table[0] if table else [])]
    cols = header_index(header, ("date", "location"))
    present = {c: header.index(c) for c in VALUE_COLUMNS if c in header}
    if not present:
        raise_if([FieldProblem("needs a cum_deaths or cum_cases column", 1)], "bad header")
    problems: list[FieldProblem] = []
    cells: dict[tuple[str, date], tuple[int, dict[str, float]]] = {}
    for line, raw in enumerate(table[1:], start=2):
        if len(problems) > MAX_PROBLEMS:
            break
        padded = raw + [""] * (len(header) - len(raw))
        day = parse_header_date(padded[cols["date"]])
        location = padded[cols["location"]].strip()
        if day is None:
            problems.append(FieldProblem(f"{padded[cols['date']]!r} is not a date", line, "date"))
            continue
        if not location:
            problems.append(FieldProblem("empty location", line, "location"))
            continue
        if (location, day) in cells:
            first = cells[(location, day)][0]
            problems.append(
                FieldProblem(f"duplicate {location} {day} (first on line {first})", line)
            )
            continue
        parsed: dict[str, float] = {}
        for column, index in present.items():
            value = parse_count(padded[index])
            if isinstance(value, str):
                problems.append(FieldProblem(value, line, column))
            else:
                parsed[column] = value
        cells[(location, day)] = (line, parsed)
    raise_if(problems, "the long CSV has bad rows")
    return ParsedFile("long", len(table) - 1, _blocks(cells, present))


def _blocks(
    cells: dict[tuple[str, date], tuple[int, dict[str, float]]], present: dict[str, int]
) -> list[SeriesBlock]:
    keys = sorted({k for k, _ in cells})
    dates = sorted({d for _, d in cells})
    key_index = {k: i for i, k in enumerate(keys)}
    date_index = {d: i for i, d in enumerate(dates)}
    first_line = {k: 0 for k in keys}
    blocks = []
    for column in present:
        values = np.full((len(keys), len(dates)), np.nan)
        for (key, day), (line, parsed) in cells.items():
            values[key_index[key], date_index[day]] = parsed.get(column, np.nan)
            first_line[key] = first_line[key] or line
        lines = [first_line[k] for k in keys]
        blocks.append(SeriesBlock(VALUE_COLUMNS[column], keys, dates, values, lines, False))
    return blocks
