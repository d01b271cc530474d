"""CSSE US wide files: ``time_series_covid19_{deaths,confirmed}_US.csv`` and its state variant.

County rows are stored per county and summed to states and the US. Odd rows, explicitly:

* ``80xxx`` ("Out of NY") and ``90xxx`` ("Unassigned") FIPS: kept as level ``other`` under
  their state and *included* in the state total (JHU's own state totals include them).
* Rows without a FIPS (e.g. "Michigan Department of Corrections"): ``US-<ST>-XX-<SLUG>``,
  level ``other``, included in the state total.
* Territory rows whose FIPS is the 2-digit state code: they are the territory itself.
* Cruise ships (Province_State "Diamond Princess", "Grand Princess"): ``US-XX-<SLUG>``, level
  ``other``, included in the US total only.
"""

from dataclasses import dataclass

import numpy as np

from app.core.types import FloatArray
from app.errors import FieldProblem
from app.ingest.registry import US_CODE, slug, state_by_fips, state_by_name
from app.ingest.table import ParsedFile, RegionRecord, SeriesBlock
from app.ingest.wide import (
    header_index,
    parse_counts,
    parse_header_date,
    raise_if,
    read_rows,
    split_header,
    sum_groups,
)

CRUISE_SHIPS = frozenset({"diamond princess", "grand princess"})
REQUIRED = ("Province_State", "Country_Region")


@dataclass(frozen=True, slots=True)
class _Row:
    code: str
    state: str | None  # state code the row sums into, None for cruise ships
    record: RegionRecord | None  # a region to create (counties, odd rows), None for states


def _fips5(raw: str) -> str:
    text = raw.strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text.zfill(5) if text.isdigit() and len(text) > 2 else text.zfill(2) if text else ""


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _classify(cells: dict[str, str], county_file: bool) -> _Row | str:
    """Map one row to a region; a string is the problem message."""
    province = cells["Province_State"].strip()
    if province.casefold() in CRUISE_SHIPS:
        code = f"{US_CODE}-XX-{slug(province)}"
        return _Row(code, None, RegionRecord(code, province, "other", "other", US_CODE))
    state = state_by_name().get(province.casefold()) or state_by_fips().get(
        _fips5(cells.get("FIPS", ""))[:2] if not county_file else ""
    )
    if state is None:
        return f"unknown US state or territory {province!r}"
    if not county_file:
        return _Row(state.code, state.code, None)
    fips, admin2 = _fips5(cells.get("FIPS", "")), cells.get("Admin2", "").strip()
    population = _float(cells.get("Population", ""))
    geo = {"lat": _float(cells.get("Lat", "")), "lon": _float(cells.get("Long_", ""))}
    if len(fips) == 2 or (not fips and not admin2):
        return _Row(state.code, state.code, None)
    name = admin2 or province
    if len(fips) == 5:
        level = "other" if fips[:2] in ("80", "90") else "county"
        code = f"{US_CODE}-{fips}"
    else:
        level, code, fips = "other", f"{state.code}-XX-{slug(admin2)}", ""
    pop = int(population) if population and population > 0 else None
    aliases = (fips, cells.get("Combined_Key", "").strip()) if fips else ()
    rec = RegionRecord(
        code,
        f"{name}, {state.usps}",
        level,
        level,
        state.code,
        pop,
        fips or None,
        aliases=tuple(a for a in aliases if a),
        **geo,
    )
    return _Row(code, state.code, rec)


def _aggregate(rows: list[_Row], values: FloatArray) -> tuple[list[str], FloatArray]:
    groups: dict[str, list[int]] = {US_CODE: list(range(len(rows)))}
    for i, row in enumerate(rows):
        if row.state is not None:
            groups.setdefault(row.state, []).append(i)
    return list(groups), sum_groups(list(groups.values()), values)


def parse_csse_us(text: str, series: str) -> ParsedFile:
    """Parse a CSSE US wide file into county (if present), state and US blocks."""
    table = read_rows(text)
    header = table[0] if table else []
    header_index(header, REQUIRED)
    first = next((i for i, h in enumerate(header) if parse_header_date(h)), len(header))
    dates = split_header(header, first)
    county_file = "Admin2" in header
    names = header[:first]
    rows: list[_Row] = []
    values: list[FloatArray] = []
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(table[1:], start=2):
        cells = dict(zip(names, raw[:first], strict=False))
        row = _classify(cells, county_file)
        if isinstance(row, str):
            problems.append(FieldProblem(row, line, "Province_State"))
            continue
        if row.code in seen and (row.record is not None or not county_file):
            problems.append(
                FieldProblem(f"duplicate row for {row.code} (first on line {seen[row.code]})", line)
            )
            continue
        seen.setdefault(row.code, line)
        counts, bad = parse_counts(raw[first:], line, dates)
        problems.extend(bad)
        rows.append(row)
        values.append(counts)
    raise_if(problems, "the CSSE US file has bad rows")
    matrix = np.vstack(values) if values else np.empty((0, len(dates)))
    codes, totals = _aggregate(rows, matrix)
    own = [i for i, r in enumerate(rows) if r.record is not None]
    blocks = [SeriesBlock(series, codes, dates, totals, [1] * len(codes))]
    if own:
        blocks.append(
            SeriesBlock(
                series,
                [rows[i].code for i in own],
                dates,
                matrix[own],
                [seen[rows[i].code] for i in own],
            )
        )
    records = [r.record for r in rows if r.record is not None]
    return ParsedFile("csse_us", len(table) - 1, blocks, records)
