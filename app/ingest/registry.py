"""The bundled region registry: US states and territories, countries and provinces.

The tables live in ``app/ingest/data/`` (see its README for sources and coding rules).
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from app.ingest.table import RegionRecord

US_CODE = "US"


@dataclass(frozen=True, slots=True)
class StateRow:
    fips: str
    usps: str
    name: str
    code: str
    kind: str
    population: int | None


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("app.ingest").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _int_or_none(text: str) -> int | None:
    return int(text) if text.strip() else None


def slug(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", text.upper()).strip("-")


@cache
def us_states() -> tuple[StateRow, ...]:
    return tuple(
        StateRow(
            r["fips"], r["usps"], r["name"], r["code"], r["kind"], _int_or_none(r["population"])
        )
        for r in _rows("us_states.csv")
    )


@cache
def state_by_name() -> dict[str, StateRow]:
    return {s.name.casefold(): s for s in us_states()}


@cache
def state_by_fips() -> dict[str, StateRow]:
    return {s.fips: s for s in us_states()}


@cache
def countries() -> dict[str, RegionRecord]:
    """Countries keyed by their CSSE ``Country/Region`` name."""
    out: dict[str, RegionRecord] = {}
    for r in _rows("countries.csv"):
        level = "country" if r["kind"] == "country" else "other"
        aliases = (r["csse_name"], r["name"])
        out[r["csse_name"]] = RegionRecord(
            r["code"],
            r["name"],
            level,
            r["kind"],
            None,
            _int_or_none(r["population"]),
            aliases=aliases,
        )
    return out


@cache
def provinces() -> dict[tuple[str, str], RegionRecord]:
    """Provinces keyed by CSSE ``(Country/Region, Province/State)``."""
    out: dict[tuple[str, str], RegionRecord] = {}
    for r in _rows("provinces.csv"):
        level = "state" if r["kind"] in ("state", "territory") else "other"
        out[(r["csse_country"], r["csse_province"])] = RegionRecord(
            r["code"],
            r["name"],
            level,
            r["kind"],
            r["parent"] or None,
            aliases=(r["csse_province"], r["name"]),
        )
    return out


def _state_records() -> list[RegionRecord]:
    return [
        RegionRecord(
            s.code,
            s.name,
            "state",
            s.kind,
            US_CODE,
            s.population,
            fips=s.fips,
            aliases=(s.usps, s.name, s.fips),
        )
        for s in us_states()
    ]


@cache
def bundled_regions() -> tuple[RegionRecord, ...]:
    """Every region the registry knows, parents before children; US states first for aliases."""
    states = _state_records()
    population = sum(s.population or 0 for s in states) or None
    us = RegionRecord(
        US_CODE,
        "United States",
        "country",
        "country",
        None,
        population,
        aliases=("USA", "United States", "United States of America", "US"),
    )
    others = [c for c in countries().values() if c.code != US_CODE]
    return (us, *states, *others, *provinces().values())
