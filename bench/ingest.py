"""Ingest throughput for a county-scale CSSE US deaths file, SQLite and PostgreSQL.

Builds a synthetic ``time_series_covid19_deaths_US.csv`` (about 3,300 county rows x 1,143
dates) by splitting the real state series (``us_state_deaths_daily_stitched.csv.gz``) over
pseudo-counties, then times, on each database, in the same run:

* seircast's ingest (parse, diff against stored data, bulk write) into a fresh database;
* a second ingest of the same file (a no-op by content hash);
* an ingest of the file with one value changed (the full diff path);
* the naive baseline: ``pandas.read_csv`` + ``melt`` + ``DataFrame.to_sql`` of every value.

Usage: ``python bench/ingest.py [--pg-url URL]``. Prints figures; asserts nothing.
"""

import argparse
import gzip
import io
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
from _common import SHARED_DATA, timed
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.db.migrate import upgrade
from app.db.session import make_engine, make_session_factory, unit_of_work
from app.services.bootstrap import seed_regions
from app.services.ingest import IngestOptions, ingest_bytes

N_COUNTIES = 3300


def county_file(seed: int = 0) -> tuple[str, int, int]:
    """A CSSE US county-level deaths CSV: (text, rows, dates)."""
    long = pd.read_csv(
        SHARED_DATA / "csse" / "us_state_deaths_daily_stitched.csv.gz", dtype={"location": str}
    )
    long = long[long["location"] != "US"]
    wide = long.pivot(index="location", columns="date", values="cum_deaths").fillna(0)
    days = [date.fromisoformat(d) for d in wide.columns]
    rng = np.random.default_rng(seed)
    per_state = np.maximum(1, np.round(N_COUNTIES * np.ones(len(wide)) / len(wide))).astype(int)
    header = (
        "UID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,Lat,Long_,"
        "Combined_Key,Population," + ",".join(f"{d.month}/{d.day}/{d.year % 100}" for d in days)
    )
    names = (
        pd.read_csv(
            SHARED_DATA / "csse" / "us_state_deaths_daily_stitched.csv.gz", dtype={"location": str}
        )
        .drop_duplicates("location")
        .set_index("location")
    )
    lines = [header]
    for (fips, row), n in zip(wide.iterrows(), per_state, strict=True):
        shares = rng.dirichlet(np.ones(n))
        counts = np.floor(np.outer(shares, np.maximum.accumulate(row.to_numpy()))).astype(np.int64)
        state = str(names.at[str(fips), "location_name"])
        for k in range(n):
            code = f"{fips}{k + 1:03d}"
            name = f"County {k + 1}"
            meta = f'840{code},US,USA,840,{code}.0,{name},{state},US,0,0,"{name}, {state}, US",1000'
            lines.append(meta + "," + ",".join(map(str, counts[k])))
    return "\n".join(lines) + "\n", len(lines) - 1, len(days)


def fresh_sqlite(path: str) -> str:
    import os

    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return f"sqlite:///{path}"


def fresh_pg(admin_url: str, name: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(False)


def seircast_ingest(url: str, data: bytes) -> tuple[float, float, float, int]:
    """(first ingest s, same file again s, one value changed s, values stored)."""
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        seed_regions(session)
    stored: list[int] = []

    def run(payload: bytes) -> None:
        options = IngestOptions(
            source="bench", name="time_series_covid19_deaths_US.csv", max_bytes=1 << 30
        )
        with unit_of_work(factory) as session:
            stored.append(ingest_bytes(session, payload, options).release.values_stored)

    first = timed(lambda: run(data))
    again = timed(lambda: run(data))
    changed = data.replace(b",1000,", b",1000,1", 1)  # prefix one value of the first county
    one_change = timed(lambda: run(changed))
    engine.dispose()
    return first, again, one_change, stored[0]


def naive(url: str, text_: str) -> float:
    """pandas: read, melt to one row per value, ``to_sql`` (multi-row INSERTs)."""
    engine = create_engine(url)

    def run() -> None:
        frame = pd.read_csv(io.StringIO(text_), dtype={"FIPS": str})
        long = frame.melt(
            id_vars=["UID"],
            value_vars=list(frame.columns[12:]),
            var_name="date",
            value_name="value",
        )
        long.to_sql("naive_observation", engine, if_exists="replace", index=False, chunksize=10_000)

    seconds = timed(run)
    engine.dispose()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sqlite-path", default="/tmp/seircast_bench_ingest.db")
    args = parser.parse_args()
    text_, rows, n_dates = county_file()
    data = text_.encode()
    values = rows * n_dates
    print(
        f"county-scale file: {rows:,} rows x {n_dates:,} dates = {values:,} values, "
        f"{len(data) / 1e6:.0f} MB ({len(gzip.compress(data, 1)) / 1e6:.0f} MB gzipped)"
    )
    makers: dict[str, Callable[[], str]] = {
        "sqlite": lambda: fresh_sqlite(args.sqlite_path),
        "postgresql": lambda: fresh_pg(args.pg_url, "seircast_bench_ingest"),
    }
    for label, make in makers.items():
        first, again, one_change, stored = seircast_ingest(make(), data)
        base = naive(make(), text_)
        print(f"{label}:")
        print(
            f"  seircast first ingest  {first:6.2f} s  {rows / first:8,.0f} rows/s "
            f"{stored / first:11,.0f} values/s ({stored:,} stored)"
        )
        print(
            f"  naive pandas to_sql    {base:6.2f} s  {rows / base:8,.0f} rows/s "
            f"{values / base:11,.0f} values/s"
        )
        print(f"  speed-up vs naive      {base / first:6.1f}x")
        print(f"  same file again        {again:6.2f} s (content hash, no-op)")
        print(f"  one value changed      {one_change:6.2f} s (full parse and diff)")


if __name__ == "__main__":
    main()
