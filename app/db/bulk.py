"""Fast bulk writes of observation rows: PostgreSQL binary COPY, SQLite executemany.

The binary COPY buffer is built with one numpy structured array (no per-row Python): every
row of a block has the same layout (field count, then length-prefixed big-endian fields).
"""

from datetime import date

import numpy as np
import psycopg
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from app.core.types import IntArray

COLUMNS = "observation (region_id, series, date, release_id, value)"
PG_EPOCH = date(2000, 1, 1)
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
COPY_TRAILER = b"\xff\xff"
CHUNK = 500_000


def _binary_rows(
    series: str, release_id: int, rids: IntArray, days: IntArray, values: IntArray
) -> bytes:
    label = series.encode()
    dtype = np.dtype(
        [
            ("n", ">i2"),
            ("l1", ">i4"),
            ("rid", ">i4"),
            ("l2", ">i4"),
            ("series", f"S{len(label)}"),
            ("l3", ">i4"),
            ("day", ">i4"),
            ("l4", ">i4"),
            ("rel", ">i4"),
            ("l5", ">i4"),
            ("val", ">i8"),
        ]
    )
    rows = np.empty(len(rids), dtype=dtype)
    rows["n"], rows["l1"], rows["l2"], rows["l3"], rows["l4"], rows["l5"] = (
        5,
        4,
        len(label),
        4,
        4,
        8,
    )
    rows["rid"], rows["series"], rows["day"] = rids, label, days
    rows["rel"], rows["val"] = release_id, values
    return rows.tobytes()


def copy_postgres(
    conn: Connection,
    series: str,
    release_id: int,
    rids: IntArray,
    offsets: IntArray,
    values: IntArray,
) -> None:
    """``offsets``: each row's date as days since 2000-01-01 (PostgreSQL's date epoch)."""
    sql = f"COPY {COLUMNS} FROM STDIN (FORMAT BINARY)"
    raw = conn.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
            copy.write(COPY_HEADER)
            for start in range(0, len(rids), CHUNK):
                part = slice(start, start + CHUNK)
                copy.write(
                    _binary_rows(series, release_id, rids[part], offsets[part], values[part])
                )
            copy.write(COPY_TRAILER)
    except psycopg.Error as exc:  # a raw driver call: wrap it as SQLAlchemy wraps its own
        raise DBAPIError(sql, None, exc) from exc


def insert_sqlite(
    conn: Connection,
    series: str,
    release_id: int,
    rids: IntArray,
    days: list[str],
    values: IntArray,
) -> None:
    stmt = f"INSERT INTO {COLUMNS} VALUES (?, ?, ?, ?, ?)"
    params = zip(
        rids.tolist(),
        [series] * len(days),
        days,
        [release_id] * len(days),
        values.tolist(),
        strict=True,
    )
    conn.exec_driver_sql(stmt, list(params))
