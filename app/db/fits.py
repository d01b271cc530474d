"""Fits, their forecast rows and publications."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from app.core.targets import Target
from app.db.base import as_date, utcnow
from app.db.models import Fit, ForecastRow, Publication

_PUBLISHED_BY_KEY = text(
    "SELECT fit_id FROM ("
    " SELECT p.fit_id AS fit_id, 0 AS rank FROM publication p"
    " JOIN region r ON r.id = p.region_id WHERE r.code = :code"
    " UNION ALL"
    " SELECT p.fit_id AS fit_id, 1 AS rank FROM publication p"
    " JOIN region_alias a ON a.region_id = p.region_id WHERE a.alias = :alias"
    " AND NOT EXISTS (SELECT 1 FROM region c WHERE c.code = :code)"
    ") AS candidates ORDER BY rank LIMIT 1"
)


@dataclass(frozen=True, slots=True)
class ForecastValues:
    """One forecast row of a fit: a target on a date, its mean and its 23 quantiles."""

    target: Target
    target_date: date
    mean: float
    quantiles: list[float]


class FitRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, fit: Fit, rows: Sequence[ForecastValues]) -> Fit:
        """Store a fit and its forecast rows."""
        self.session.add(fit)
        self.session.flush()
        if rows:
            values = [
                {
                    "fit_id": fit.id,
                    "target": r.target,
                    "target_date": r.target_date,
                    "mean": r.mean,
                    "quantiles": r.quantiles,
                }
                for r in rows
            ]
            self.session.execute(insert(ForecastRow), values)
        return fit

    def publish(self, region_id: int, fit_id: int) -> None:
        """Point the region's publication at ``fit_id`` (one row, same transaction)."""
        publication = self.session.get(Publication, region_id)
        if publication is None:
            self.session.add(Publication(region_id=region_id, fit_id=fit_id, published_at=utcnow()))
        else:
            self.session.execute(
                update(Publication)
                .where(Publication.region_id == region_id)
                .values(fit_id=fit_id, published_at=utcnow())
            )
        self.session.flush()

    def get(self, fit_id: int) -> Fit | None:
        return self.session.get(Fit, fit_id)

    def published_id_by_key(self, code: str, alias: str) -> int | None:
        """Published fit id of the region with this code, else this alias (code first).

        A prepared text statement: this runs on every ``GET /forecast``.
        """
        row = self.session.connection().execute(_PUBLISHED_BY_KEY, {"code": code, "alias": alias})
        return row.scalar()

    def published(self, region_id: int) -> Fit | None:
        stmt = (
            select(Fit)
            .join(Publication, Publication.fit_id == Fit.id)
            .where(Publication.region_id == region_id)
        )
        return self.session.scalar(stmt)

    def published_all(self) -> Sequence[tuple[int, Fit]]:
        stmt = select(Publication.region_id, Fit).join(Fit, Publication.fit_id == Fit.id)
        return [(rid, fit) for rid, fit in self.session.execute(stmt).all()]

    def latest_as_of(self, region_id: int, release_id: int) -> Fit | None:
        """The newest fit of the region made on data no newer than ``release_id``."""
        stmt = (
            select(Fit)
            .where(Fit.region_id == region_id, Fit.release_id <= release_id)
            .order_by(Fit.id.desc())
            .limit(1)
        )
        return self.session.scalar(stmt)

    def rows(
        self,
        fit_id: int,
        targets: Sequence[Target],
        start: date | None = None,
        end: date | None = None,
    ) -> Sequence[ForecastRow]:
        stmt = select(ForecastRow).where(
            ForecastRow.fit_id == fit_id, ForecastRow.target.in_(list(targets))
        )
        if start is not None:
            stmt = stmt.where(ForecastRow.target_date >= start)
        if end is not None:
            stmt = stmt.where(ForecastRow.target_date <= end)
        return self.session.scalars(
            stmt.order_by(ForecastRow.target, ForecastRow.target_date)
        ).all()

    def totals(self) -> tuple[int, float]:
        """Number of fits and the sum of their wall times, seconds."""
        n, seconds = self.session.execute(
            select(func.count(Fit.id), func.coalesce(func.sum(Fit.fit_seconds), 0.0))
        ).one()
        return int(n), float(seconds)

    def date_range(self, fit_id: int, target: Target) -> tuple[date, date] | None:
        stmt = select(func.min(ForecastRow.target_date), func.max(ForecastRow.target_date)).where(
            ForecastRow.fit_id == fit_id, ForecastRow.target == target
        )
        first, last = self.session.execute(stmt).one()
        if first is None or last is None:
            return None
        return as_date(first), as_date(last)

    def list_for_region(self, region_id: int, limit: int) -> Sequence[Fit]:
        stmt = select(Fit).where(Fit.region_id == region_id).order_by(Fit.id.desc()).limit(limit)
        return self.session.scalars(stmt).all()

    def learning_fits(
        self, model_versions: tuple[str, ...], first: date, before: date, max_release: int
    ) -> Sequence[tuple[int, int, date]]:
        """(id, region_id, forecast_date) of the newest fit per region and forecast date of
        any of ``model_versions`` made in [first, before) on data no newer than
        ``max_release``."""
        stmt = (
            select(func.max(Fit.id), Fit.region_id, Fit.forecast_date)
            .where(
                Fit.model_version.in_(list(model_versions)),
                Fit.forecast_date >= first,
                Fit.forecast_date < before,
                Fit.release_id <= max_release,
            )
            .group_by(Fit.region_id, Fit.forecast_date)
            .order_by(Fit.region_id, Fit.forecast_date)
        )
        return [(int(i), int(r), as_date(d)) for i, r, d in self.session.execute(stmt).all()]

    def kept_of(self, fit_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The ``kept`` column of each fit id."""
        stmt = select(Fit.id, Fit.kept).where(Fit.id.in_(list(fit_ids)))
        return {int(i): kept for i, kept in self.session.execute(stmt).all()}
