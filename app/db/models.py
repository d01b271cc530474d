"""SQLAlchemy 2 typed models: regions, data releases and versioned observations."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, CreatedAtMixin, utcnow


class Region(CreatedAtMixin, Base):
    """A place with a time series: country, state/province, county, or an odd row ("other")."""

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(64), index=True)
    population: Mapped[int | None] = mapped_column(BigInteger)
    fips: Mapped[str | None] = mapped_column(String(5))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    constants: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RegionAlias(Base):
    """Case-folded names a client may use for a region: ``ny``, ``new york``, ``36``."""

    __tablename__ = "region_alias"

    alias: Mapped[str] = mapped_column(String(200), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)


class Release(Base):
    """One ingested data release. Observations point at the release that first stored them."""

    __tablename__ = "release"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    retrieved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    vintage_date: Mapped[date | None] = mapped_column(Date)
    rows_read: Mapped[int] = mapped_column(Integer)
    values_read: Mapped[int] = mapped_column(BigInteger)
    values_stored: Mapped[int] = mapped_column(BigInteger)
    regions: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[date | None] = mapped_column(Date)
    last_date: Mapped[date | None] = mapped_column(Date)
    series: Mapped[str] = mapped_column(String(32))


class Observation(Base):
    """Cumulative count of ``series`` for (region, date), as first stored by ``release_id``.

    A row is written only when the value differs from the latest stored one, so the value "as
    of release R" is the row with the greatest ``release_id <= R``.

    ``region_id`` and ``release_id`` carry no foreign-key constraints on purpose: checking
    two constraints per row made a county-scale ingest (3.8 M rows) several times slower on
    PostgreSQL. Only the ingest service writes this table, inside the same transaction that
    creates the release and the regions it points at, and neither is ever deleted.
    """

    __tablename__ = "observation"

    region_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Byte-order collation on PostgreSQL: the key compares no locale-aware text.
    series: Mapped[str] = mapped_column(
        String(8).with_variant(postgresql.VARCHAR(8, collation="C"), "postgresql"),
        primary_key=True,
    )
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    release_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)

    # SQLite keeps the rows in the primary-key b-tree itself (no rowid table beside it).
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy's own attribute
