"""Evaluation tables: imported forecasts, truth files, scores and drift alerts.

``external_forecast`` holds one row per (model, forecast_date, target, location) with the
quantile levels and values as two JSON lists (not one row per quantile): an imported file
is 5-24 times fewer rows, a forecast is read back whole, and scoring needs the whole vector.
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, utcnow


class ExternalForecast(Base):
    """Another model's forecast of one target at one location (Forecast Hub format).

    ``forecast_date`` is the file's ``forecast_date``; for the viz extracts, whose column is
    ``reference_date`` (a Saturday), it is ``reference_date + 2`` days: the Monday the hub's
    submissions were due, so they line up with hub forecast dates (``date_column`` records it).
    """

    __tablename__ = "external_forecast"
    __table_args__ = (UniqueConstraint("model", "forecast_date", "target", "region_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = mapped_column(String(64), index=True)
    forecast_date: Mapped[date] = mapped_column(Date)
    target: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    horizon: Mapped[int] = mapped_column(Integer)
    target_end_date: Mapped[date] = mapped_column(Date, index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    location: Mapped[str] = mapped_column(String(8))
    levels: Mapped[list[float]] = mapped_column(JSON)
    quantiles: Mapped[list[float]] = mapped_column(JSON)
    point: Mapped[float | None] = mapped_column(Float)
    date_column: Mapped[str] = mapped_column(String(16))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TruthValue(Base):
    """Weekly incident deaths from an imported truth file (e.g. ``jhu-final``)."""

    __tablename__ = "truth_value"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True)
    week_end_date: Mapped[date] = mapped_column(Date, primary_key=True)
    inc_deaths: Mapped[float] = mapped_column(Float)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Score(Base):
    """One forecast scored against its truth, on all the levels the forecast has.

    ``levels``/``values`` keep the scored quantiles so an evaluation can rescore on the levels
    several models share; ``truth_source`` names the truth used (``jhu-final`` or
    ``observations@release:N``); ``source``/``source_id`` point at the fit or imported row.
    """

    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("model", "region_id", "forecast_date", "target", "horizon"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(Integer)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    forecast_date: Mapped[date] = mapped_column(Date)
    target: Mapped[str] = mapped_column(String(16))
    horizon: Mapped[int] = mapped_column(Integer)
    target_end_date: Mapped[date] = mapped_column(Date, index=True)
    truth: Mapped[float] = mapped_column(Float)
    truth_source: Mapped[str] = mapped_column(String(64))
    wis: Mapped[float] = mapped_column(Float)
    abs_error: Mapped[float] = mapped_column(Float)
    cov50: Mapped[bool | None] = mapped_column(Boolean)
    cov95: Mapped[bool | None] = mapped_column(Boolean)
    levels: Mapped[list[float]] = mapped_column(JSON)
    values: Mapped[list[float]] = mapped_column(JSON)
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Alert(Base):
    """A region whose rolling relative WIS or 95 % coverage crossed its setting."""

    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("model", "region_id", "metric", "window_end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = mapped_column(String(64))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    metric: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    n_forecasts: Mapped[int] = mapped_column(Integer)
    refit_job_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
