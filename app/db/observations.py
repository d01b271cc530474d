"""Observation repository: bulk writes (COPY on PostgreSQL) and as-of reads."""

from collections.abc import Sequence
from datetime import date

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from app.core.types import FloatArray, IntArray
from app.db.base import as_date
from app.db.bulk import PG_EPOCH, copy_postgres, insert_sqlite

_LATEST = text(
    "SELECT region_id, date, value FROM observation "
    "WHERE series = :series AND region_id IN :ids ORDER BY region_id, date, release_id"
).bindparams(bindparam("ids", expanding=True))


class ObservationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def latest_matrix(
        self, series: str, region_ids: Sequence[int], dates: Sequence[date]
    ) -> FloatArray:
        """Latest stored value per (region, date), NaN where none: shape (n_regions, n_dates)."""
        out = np.full((len(region_ids), len(dates)), np.nan)
        row_of = {rid: i for i, rid in enumerate(region_ids)}
        col_of = {d.isoformat(): j for j, d in enumerate(dates)}
        conn = self.session.connection()
        for start in range(0, len(region_ids), 500):
            chunk = list(region_ids[start : start + 500])
            for rid, day, value in conn.execute(_LATEST, {"series": series, "ids": chunk}):
                j = col_of.get(day if isinstance(day, str) else day.isoformat())
                if j is not None:
                    out[row_of[rid], j] = value
        return out

    def insert_changed(
        self,
        series: str,
        release_id: int,
        region_ids: IntArray,
        dates: Sequence[date],
        cells: tuple[IntArray, IntArray],
        values: FloatArray,
    ) -> int:
        """Insert ``values[cells]`` for ``region_ids[cells[0]]`` and ``dates[cells[1]]``.

        Rows are written in primary-key order (region, date) so index pages fill in sequence.
        """
        rows_idx, cols_idx = cells
        if rows_idx.size == 0:
            return 0
        rids = region_ids[rows_idx]
        order = np.lexsort((cols_idx, rids))
        rids, cols = rids[order], cols_idx[order]
        vals = values[rows_idx[order], cols].astype(np.int64)
        conn = self.session.connection()
        if self.dialect == "postgresql":
            offsets = np.array([(d - PG_EPOCH).days for d in dates], dtype=np.int64)
            copy_postgres(conn, series, release_id, rids, offsets[cols], vals)
        else:
            iso = np.array([d.isoformat() for d in dates])
            insert_sqlite(conn, series, release_id, rids, iso[cols].tolist(), vals)
        return int(vals.size)

    def series_as_of(
        self, region_id: int, series: str, release_id: int | None
    ) -> tuple[list[date], FloatArray]:
        """The cumulative series as of ``release_id`` (None: latest): dates and values (n,)."""
        sql = (
            "SELECT date, value FROM observation WHERE region_id = :rid AND series = :series"
            + ("" if release_id is None else " AND release_id <= :rel")
            + " ORDER BY date, release_id"
        )
        params: dict[str, object] = {"rid": region_id, "series": series, "rel": release_id}
        latest: dict[date, int] = {}
        for day, value in self.session.connection().execute(text(sql), params):
            latest[as_date(day)] = int(value)
        days = sorted(latest)
        return days, np.array([latest[d] for d in days], dtype=np.float64)

    def last_date(self, region_id: int, series: str) -> date | None:
        sql = text("SELECT MAX(date) FROM observation WHERE region_id = :rid AND series = :s")
        day = self.session.connection().execute(sql, {"rid": region_id, "s": series}).scalar()
        return None if day is None else as_date(day)

    def last_dates(self, series: str) -> dict[int, date]:
        sql = text(
            "SELECT region_id, MAX(date) FROM observation WHERE series = :s GROUP BY region_id"
        )
        return {rid: as_date(d) for rid, d in self.session.connection().execute(sql, {"s": series})}
