"""Recognise a file's format from its header (or take it as named) and dispatch to its parser."""

from collections.abc import Callable
from enum import StrEnum

from app.errors import FieldProblem, invalid_file, invalid_input
from app.ingest.csse_global import parse_csse_global
from app.ingest.csse_us import parse_csse_us
from app.ingest.daily import parse_daily
from app.ingest.long import parse_long
from app.ingest.table import ParsedFile


class FileFormat(StrEnum):
    AUTO = "auto"
    CSSE_US = "csse_us"
    CSSE_GLOBAL = "csse_global"
    LONG = "long"
    CSSE_DAILY = "csse_daily"


class Series(StrEnum):
    DEATHS = "deaths"
    CASES = "cases"


def sniff_format(text: str) -> FileFormat:
    header = text.split("\n", 1)[0].lower()
    if "province/state" in header and "country/region" in header:
        return FileFormat.CSSE_GLOBAL
    cells = {c.strip().strip('"') for c in header.split(",")}
    if "province_state" in cells and "deaths" in cells and cells & {"last_update", "report_date"}:
        return FileFormat.CSSE_DAILY
    if "province_state" in header and "country_region" in header:
        return FileFormat.CSSE_US
    if {"date", "location"} <= cells and cells & {"cum_deaths", "cum_cases"}:
        return FileFormat.LONG
    raise invalid_file(
        "unrecognised file format: expected a CSSE US header (Province_State, Country_Region, "
        "dates), a CSSE global header (Province/State, Country/Region, Lat, Long, dates) or a "
        "long CSV (date, location, cum_deaths[, cum_cases]) or a CSSE US daily report "
        "(Province_State, ..., Deaths)",
        [FieldProblem(f"header starts {header[:80]!r}", line=1)],
    )


def infer_series(name: str | None, series: Series | None) -> Series:
    """Wide files do not say whether they hold deaths or cases: ask the name, then the caller."""
    if series is not None:
        return series
    lowered = (name or "").lower()
    if "death" in lowered:
        return Series.DEATHS
    if "confirmed" in lowered or "case" in lowered:
        return Series.CASES
    raise invalid_input(
        "cannot tell whether this wide file holds deaths or cases: name it *deaths* or "
        "*confirmed*, or pass series=deaths|cases",
        [FieldProblem("missing", field="series")],
    )


def parse(text: str, fmt: FileFormat, name: str | None, series: Series | None) -> ParsedFile:
    actual = sniff_format(text) if fmt is FileFormat.AUTO else fmt
    wide: dict[FileFormat, Callable[[str, str], ParsedFile]] = {
        FileFormat.CSSE_US: parse_csse_us,
        FileFormat.CSSE_GLOBAL: parse_csse_global,
    }
    if actual is FileFormat.LONG:
        return parse_long(text)
    if actual is FileFormat.CSSE_DAILY:
        return parse_daily(text, name)
    return wide[actual](text, infer_series(name, series).value)
