"""Plain functions that build small data files and read database state for assertions."""

import csv
import gzip
import io
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.core.hubtypes import QUANTILES_5

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
START = date(2020, 3, 1)


def mdy(day: date) -> str:
    return f"{day.month}/{day.day}/{day.year % 100}"


def csse_us_county_csv(n_days: int = 5, deaths: dict[str, list[int]] | None = None) -> str:
    """A CSSE US county-level deaths file with odd rows (Unassigned, Out of NY, no FIPS, ship)."""
    days = [START + timedelta(i) for i in range(n_days)]
    header = (
        "UID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,Lat,Long_,"
        "Combined_Key,Population," + ",".join(mdy(d) for d in days)
    )
    meta = "US,USA,840"
    rows = {
        f"84036061,{meta},36061.0,New York,New York,US,40.76,-73.97,NYC,8336817": [1, 2, 3, 5, 8],
        f"84036001,{meta},36001.0,Albany,New York,US,42.6,-73.9,Albany,305506": [0, 0, 1, 1, 2],
        f"84090036,{meta},90036.0,Unassigned,New York,US,0,0,Unassigned,0": [0, 1, 1, 1, 1],
        f"84080036,{meta},80036.0,Out of NY,New York,US,0,0,Out of NY,0": [0, 0, 0, 2, 2],
        f"84070002,{meta},,Michigan Department of Corrections (MDOC),Michigan,US,0,0,M,0": [
            0,
            0,
            1,
            1,
            1,
        ],
        f"84026001,{meta},26001.0,Alcona,Michigan,US,44.7,-83.6,Alcona,10405": [0, 1, 1, 1, 1],
        f"84088888,{meta},88888.0,,Diamond Princess,US,0,0,Diamond Princess,0": [0, 0, 0, 1, 1],
    }
    if deaths:
        rows.update(deaths)
    lines = [header] + [
        k + "," + ",".join(str(v) for v in vals[:n_days]) for k, vals in rows.items()
    ]
    return "\n".join(lines) + "\n"


def long_csv(rows: list[tuple[str, str, int]]) -> str:
    return "date,location,cum_deaths\n" + "".join(f"{d},{loc},{v}\n" for d, loc, v in rows)


def snapshot(factory: sessionmaker[Session]) -> tuple[int, ...]:
    """Counts and a checksum of everything stored: equal snapshots mean nothing changed."""
    sql = (
        "SELECT (SELECT COUNT(*) FROM observation), (SELECT COALESCE(SUM(value), 0) FROM "
        "observation), (SELECT COUNT(*) FROM release), (SELECT COUNT(*) FROM region)"
    )
    with factory() as session:
        row = session.execute(text(sql)).one()
    return tuple(int(v) for v in row)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A local HTTP server answering with ``handler`` in a thread; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


STATES = ("36", "48", "06")  # NY, TX, CA


LAST_DAY = "2020-06-30"


def spring_2020_csv(locations: tuple[str, ...] = STATES, last_day: str = LAST_DAY) -> bytes:
    """The stitched as-reported deaths of a few states up to ``last_day`` (long format)."""
    path = SHARED_DATA / "csse" / "us_state_deaths_daily_stitched.csv.gz"
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    keep = [
        line
        for line in lines[1:]
        if line.split(",")[1] in locations and line.split(",")[0] <= last_day
    ]
    return ("\n".join([lines[0], *keep]) + "\n").encode()


CASES = SHARED_DATA / "csse" / "time_series_covid19_confirmed_US_states_from_daily_reports.csv"


def confirmed_csv(
    fips: set[str], last_day: date, scale_from: date | None = None, factor: int = 1
) -> bytes:
    """As-reported confirmed cases of some states (CSSE wide layout) up to ``last_day``,
    multiplied by ``factor`` from ``scale_from`` on."""
    with CASES.open(newline="") as f:
        rows = list(csv.reader(f))
    days = [None] * 8 + [
        date(2000 + int(y), int(m), int(d)) for m, d, y in (name.split("/") for name in rows[0][8:])
    ]
    keep = [i for i, day in enumerate(days) if day is None or day <= last_day]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([rows[0][i] for i in keep])
    for row in rows[1:]:
        if row[4] in fips:
            scaled = [
                str(int(row[i]) * factor)
                if scale_from and (days[i] or date.min) >= scale_from
                else row[i]
                for i in keep
            ]
            writer.writerow(scaled)
    return out.getvalue().encode()


PROBLEM = "application/problem+json"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
MAX_PAGE_BYTES = 200_000


def html_page(client: TestClient, path: str, status: int = 200) -> str:
    """A page as a browser asks for it: ``status``, HTML, and under ``MAX_PAGE_BYTES``."""
    response = client.get(path, headers=HTML)
    assert response.status_code == status, (path, response.text[:500])
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert len(response.content) < MAX_PAGE_BYTES, (path, len(response.content))
    text: str = response.text
    return text


LEVELS_5 = QUANTILES_5


def hub_csv(
    forecasts: list[tuple[str, str, int, str, list[float]]],
    levels: tuple[float, ...] = LEVELS_5,
    date_column: str = "forecast_date",
) -> bytes:
    """Rows of (forecast_date, location, N, target end, quantiles) for ``N wk ahead inc death``."""
    lines = [f"{date_column},target,target_end_date,location,type,quantile,value"]
    for made, location, n, end, values in forecasts:
        target = f"{n} wk ahead inc death"
        lines += [
            f"{made},{target},{end},{location},quantile,{q},{v}"
            for q, v in zip(levels, values, strict=True)
        ]
    return ("\n".join(lines) + "\n").encode()


def linear_deaths(location: str = "36", start: date = date(2020, 5, 1), days: int = 61) -> bytes:
    """Cumulative deaths 1000 + 10 per day: every full epiweek has 70 incident deaths."""
    rows = [f"{(start + timedelta(i)).isoformat()},{location},{1000 + 10 * i}" for i in range(days)]
    return ("date,location,cum_deaths\n" + "\n".join(rows) + "\n").encode()


def eval_snapshot(factory: sessionmaker[Session]) -> tuple[int, ...]:
    """``tests.factories.snapshot`` plus the evaluation and job tables."""
    sql = (
        "SELECT (SELECT COUNT(*) FROM external_forecast), (SELECT COUNT(*) FROM score), "
        "(SELECT COUNT(*) FROM truth_value), (SELECT COUNT(*) FROM job), "
        "(SELECT COUNT(*) FROM fit), (SELECT COUNT(*) FROM alert)"
    )
    with factory() as session:
        row = session.execute(text(sql)).one()
    return snapshot(factory) + tuple(int(v) for v in row)
