"""CSSE US daily reports: one snapshot file per day, a long file of them, or a tar archive.

* ``MM-DD-YYYY.csv`` (``csse_covid_19_daily_reports_us``): one row per state; the date is the
  file name's (a daily report carries that day's cumulative counts as reported then).
* A long file with a ``report_date`` column and the same columns.
* A ``.tar``/``.tar.gz`` of daily report files: one release with one date per member.

``Deaths`` and ``Confirmed`` become the ``deaths`` and ``cases`` series. The "Recovered" row of
early files holds no deaths or cases of any place and is skipped. Cruise ships become
``US-XX-<SLUG>`` (in the US total only); the US total is the sum of all rows, as CSSE's.
"""

import io
import re
import tarfile
from datetime import date

import numpy as np

from app.errors import FieldProblem, invalid_file
from app.ingest.csse_us import CRUISE_SHIPS
from app.ingest.registry import US_CODE, slug, state_by_name
from app.ingest.table import ParsedFile, RegionRecord, SeriesBlock
from app.ingest.wide import (
    MAX_PROBLEMS,
    header_index,
    parse_count,
    parse_header_date,
    raise_if,
    read_rows,
    sum_groups,
)

FILE_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})\.csv$")
SKIPPED = frozenset({"recovered"})
COLUMNS = {"Deaths": "deaths", "Confirmed": "cases"}

Cell = tuple[str, date]


def date_from_name(name: str | None) -> date | None:
    m = FILE_DATE.search(name or "")
    try:
        return date(int(m[3]), int(m[1]), int(m[2])) if m else None
    except ValueError:
        return None


def _region(province: str) -> tuple[str, RegionRecord | None] | None:
    if province.casefold() in CRUISE_SHIPS:
        code = f"{US_CODE}-XX-{slug(province)}"
        return code, RegionRecord(code, province, "other", "other", US_CODE)
    state = state_by_name().get(province.casefold())
    return (state.code, None) if state else None


def _count(text: str, line: int, column: str, problems: list[FieldProblem]) -> float:
    value = parse_count(text)
    if isinstance(value, str):
        problems.append(FieldProblem(value, line, column))
        return np.nan
    return value


def _read(
    text: str,
    file_day: date | None,
    cells: dict[Cell, dict[str, float]],
    records: dict[str, RegionRecord],
    member: str,
) -> list[FieldProblem]:
    table = read_rows(text)
    header = [h.strip() for h in (table[0] if table else [])]
    cols = header_index(header, ("Province_State", "Deaths"))
    day_col = header.index("report_date") if "report_date" in header else None
    if day_col is None and file_day is None:
        raise invalid_file(f"{member}: no report_date column and no MM-DD-YYYY.csv file name")
    problems: list[FieldProblem] = []
    for line, raw in enumerate(table[1:], start=2):
        row = raw + [""] * (len(header) - len(raw))
        province = row[cols["Province_State"]].strip()
        if province.casefold() in SKIPPED:
            continue
        day = parse_header_date(row[day_col]) if day_col is not None else file_day
        region = _region(province)
        if day is None or region is None:
            what = "report_date" if day is None else "Province_State"
            problems.append(FieldProblem(f"{member}: bad {what} in {row[:2]}", line, what))
            continue
        code, record = region
        if record:
            records[code] = record
        if (code, day) in cells:
            problems.append(FieldProblem(f"{member}: duplicate row for {province} on {day}", line))
            continue
        cells[(code, day)] = {
            s: _count(row[header.index(c)], line, c, problems)
            for c, s in COLUMNS.items()
            if c in header
        }
    return problems


def _blocks(cells: dict[Cell, dict[str, float]]) -> list[SeriesBlock]:
    codes = sorted({c for c, _ in cells})
    dates = sorted({d for _, d in cells})
    row, col = {c: i for i, c in enumerate(codes)}, {d: j for j, d in enumerate(dates)}
    blocks = []
    for series in sorted({s for v in cells.values() for s in v}):
        values = np.full((len(codes) + 1, len(dates)), np.nan)
        for (code, day), counts in cells.items():
            values[row[code], col[day]] = counts.get(series, np.nan)
        values[-1] = sum_groups([list(range(len(codes)))], values[:-1])[0]
        blocks.append(SeriesBlock(series, [*codes, US_CODE], dates, values, [1] * (len(codes) + 1)))
    return blocks


def parse_daily(text: str, name: str | None) -> ParsedFile:
    cells: dict[Cell, dict[str, float]] = {}
    records: dict[str, RegionRecord] = {}
    raise_if(_read(text, date_from_name(name), cells, records, name or "file"), "bad daily report")
    return ParsedFile("csse_daily", len(cells), _blocks(cells), list(records.values()))


def parse_daily_archive(data: bytes) -> ParsedFile:
    """A tar archive (already gunzipped) of ``MM-DD-YYYY.csv`` daily reports."""
    cells: dict[Cell, dict[str, float]] = {}
    records: dict[str, RegionRecord] = {}
    problems: list[FieldProblem] = []
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in archive.getmembers():
                day = date_from_name(member.name)
                handle = archive.extractfile(member) if member.isfile() and day else None
                if handle is None:
                    continue
                text = handle.read().decode("utf-8-sig")
                problems += _read(text, day, cells, records, member.name)
                if len(problems) > MAX_PROBLEMS:
                    break
    except (tarfile.TarError, UnicodeDecodeError, EOFError) as exc:
        raise invalid_file(f"the tar archive is unreadable: {exc}") from exc
    raise_if(problems, "bad daily reports in the archive")
    if not cells:
        raise invalid_file("the archive holds no MM-DD-YYYY.csv daily report")
    return ParsedFile("csse_daily", len(cells), _blocks(cells), list(records.values()))
