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


class Job(CreatedAtMixin, Base):
    """The queue itself: a unit of background work with a lease (see app/jobs/queue.py)."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("job.id"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    dedupe_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # claimable only once no job of the same parent with a smaller id is queued or running
    # (a backtest's dates in order: a learning model reads the earlier dates' fits)
    wait_below_id: Mapped[int | None] = mapped_column(Integer)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Fit(CreatedAtMixin, Base):
    """One grid search for one region, with enough provenance to replay it exactly."""

    __tablename__ = "fit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id"), index=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"))
    model_version: Mapped[str] = mapped_column(String(32))
    grid_hash: Mapped[str] = mapped_column(String(64))
    seed: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    data_start_date: Mapped[date] = mapped_column(Date)
    data_end_date: Mapped[date] = mapped_column(Date)
    forecast_date: Mapped[date] = mapped_column(Date)
    last_cumulative: Mapped[float] = mapped_column(Float)
    best_loss: Mapped[float] = mapped_column(Float)
    n_sets: Mapped[int] = mapped_column(Integer)
    n_valid: Mapped[int] = mapped_column(Integer)
    n_kept: Mapped[int] = mapped_column(Integer)
    kept: Mapped[dict[str, Any]] = mapped_column(JSON)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    fit_seconds: Mapped[float] = mapped_column(Float)


class ForecastRow(Base):
    """Quantiles of one target of one fit: (fit, target, target_date)."""

    __tablename__ = "forecast"

    fit_id: Mapped[int] = mapped_column(ForeignKey("fit.id", ondelete="CASCADE"), primary_key=True)
    target: Mapped[str] = mapped_column(String(24), primary_key=True)
    target_date: Mapped[date] = mapped_column(Date, primary_key=True)
    mean: Mapped[float] = mapped_column(Float)
    quantiles: Mapped[list[float]] = mapped_column(JSON)


class Publication(Base):
    """The fit that ``/forecast`` serves for a region; switching it is one row update."""

    __tablename__ = "publication"

    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True)
    fit_id: Mapped[int] = mapped_column(ForeignKey("fit.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
