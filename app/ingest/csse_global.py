"""CSSE global wide file (``Province/State, Country/Region, Lat, Long``, then dates).

Provinces listed in the registry are stored under their own codes; every country is stored as
the sum of all its rows (the CSSE convention, so France includes its overseas territories).
"""

import difflib

import numpy as np

from app.core.types import FloatArray
from app.errors import FieldProblem
from app.ingest.registry import countries, provinces
from app.ingest.table import ParsedFile, SeriesBlock
from app.ingest.wide import (
    header_index,
    parse_counts,
    raise_if,
    read_rows,
    split_header,
    sum_groups,
)

REQUIRED = ("Province/State", "Country/Region", "Lat", "Long")
FIRST_DATE_COLUMN = 4


def _suggest(name: str) -> str:
    close = difflib.get_close_matches(name, list(countries()), n=3)
    return f"; did you mean {', '.join(map(repr, close))}?" if close else ""


def parse_csse_global(text: str, series: str) -> ParsedFile:
    """Parse the CSSE global file into a country block and a province block."""
    table = read_rows(text)
    header = table[0] if table else []
    cols = header_index(header, REQUIRED)
    dates = split_header(header, FIRST_DATE_COLUMN)
    problems: list[FieldProblem] = []
    country_rows: dict[str, list[int]] = {}
    province_rows: dict[str, int] = {}
    lines: dict[str, int] = {}
    values: list[FloatArray] = []
    for line, raw in enumerate(table[1:], start=2):
        padded = raw + [""] * (len(header) - len(raw))
        country_name = padded[cols["Country/Region"]].strip()
        province_name = padded[cols["Province/State"]].strip()
        country = countries().get(country_name)
        if country is None:
            msg = f"unknown country {country_name!r}{_suggest(country_name)}"
            problems.append(FieldProblem(msg, line, "Country/Region"))
            continue
        key = f"{country.code}/{province_name}"
        if key in lines:
            problems.append(FieldProblem(f"duplicate row (first on line {lines[key]})", line))
            continue
        lines[key] = line
        if province_name:
            province = provinces().get((country_name, province_name))
            if province is None:
                msg = f"unknown province {province_name!r} of {country_name!r}"
                problems.append(FieldProblem(msg, line, "Province/State"))
                continue
            province_rows[province.code] = len(values)
        counts, bad = parse_counts(raw[FIRST_DATE_COLUMN:], line, dates)
        problems.extend(bad)
        country_rows.setdefault(country.code, []).append(len(values))
        values.append(counts)
    raise_if(problems, "the CSSE global file has bad rows")
    matrix = np.vstack(values) if values else np.empty((0, len(dates)))
    blocks = [
        SeriesBlock(
            series,
            list(country_rows),
            dates,
            sum_groups(list(country_rows.values()), matrix),
            [1] * len(country_rows),
        )
    ]
    if province_rows:
        codes = list(province_rows)
        blocks.append(
            SeriesBlock(
                series, codes, dates, matrix[list(province_rows.values())], [1] * len(codes)
            )
        )
    return ParsedFile("csse_global", len(table) - 1, blocks)
