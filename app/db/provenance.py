"""Which release stored the value an observation cell holds now (the cell's source)."""

from collections.abc import Sequence
from datetime import date

import numpy as np
from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from app.core.types import IntArray
from app.db.models import Release

_WRITERS = text(
    "SELECT region_id, date, MAX(release_id) FROM observation "
    "WHERE series = :series AND region_id IN :ids AND date >= :first AND date <= :last "
    "GROUP BY region_id, date"
).bindparams(bindparam("ids", expanding=True))


def writer_matrix(
    session: Session, series: str, region_ids: Sequence[int], dates: Sequence[date]
) -> IntArray:
    """Release id of the latest stored value per (region, date), 0 where none.

    Returns:
        int array of shape (n_regions, n_dates).
    """
    out = np.zeros((len(region_ids), len(dates)), dtype=np.int64)
    if not region_ids or not dates:
        return out
    row_of = {rid: i for i, rid in enumerate(region_ids)}
    col_of = {d.isoformat(): j for j, d in enumerate(dates)}
    conn = session.connection()
    first, last = min(dates), max(dates)
    bounds: dict[str, object]
    if session.get_bind().dialect.name == "sqlite":  # dates are stored as ISO text there
        bounds = {"series": series, "first": first.isoformat(), "last": last.isoformat()}
    else:
        bounds = {"series": series, "first": first, "last": last}
    for start in range(0, len(region_ids), 500):
        chunk = list(region_ids[start : start + 500])
        for rid, day, release_id in conn.execute(_WRITERS, {**bounds, "ids": chunk}):
            j = col_of.get(day if isinstance(day, str) else day.isoformat())
            if j is not None:
                out[row_of[rid], j] = release_id
    return out


def releases_by_id(session: Session, ids: Sequence[int]) -> dict[int, Release]:
    rows = session.scalars(select(Release).where(Release.id.in_(list(ids)))).all()
    return {r.id: r for r in rows}
