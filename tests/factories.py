"""Plain functions that build small data files and read database state for assertions."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

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
