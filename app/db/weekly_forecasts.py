"""Our fits' weekly forecast rows, read for scoring and the hub export."""

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from app.core.targets import WEEK_TARGETS as WEEKLY_TARGETS
from app.db.batching import chunks
from app.db.models import Fit, ForecastRow, Job, Region


class WeeklyForecastRepository:
    """Our fits' weekly forecast rows, read for scoring and hub export."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def keys(self, last_end: date) -> list[tuple[int, int, date, str, date]]:
        """(fit id, region id, forecast date, target, target date) of weekly rows to date."""
        stmt = (
            select(
                Fit.id,
                Fit.region_id,
                Fit.forecast_date,
                ForecastRow.target,
                ForecastRow.target_date,
            )
            .join(ForecastRow, ForecastRow.fit_id == Fit.id)
            .where(ForecastRow.target.in_(WEEKLY_TARGETS), ForecastRow.target_date <= last_end)
        )
        return [(i, r, f, t, d) for i, r, f, t, d in self.session.execute(stmt)]

    def quantiles(
        self, keys: Sequence[tuple[int, str, date]]
    ) -> dict[tuple[int, str, date], list[float]]:
        out: dict[tuple[int, str, date], list[float]] = {}
        cols = (ForecastRow.fit_id, ForecastRow.target, ForecastRow.target_date)
        for chunk in chunks(keys):
            stmt = select(*cols, ForecastRow.quantiles).where(tuple_(*cols).in_(list(chunk)))
            out.update({(i, t, d): q for i, t, d, q in self.session.execute(stmt)})
        return out

    def fits_on(self, forecast_date: date) -> list[Fit]:
        """The newest fit per region whose forecast date is ``forecast_date``."""
        stmt = select(Fit).where(Fit.forecast_date == forecast_date).order_by(Fit.id)
        latest: dict[int, Fit] = {}
        for fit in self.session.scalars(stmt):
            latest[fit.region_id] = fit
        return list(latest.values())

    def fits_by_ids(self, ids: Sequence[int]) -> list[Fit]:
        out: list[Fit] = []
        for chunk in chunks(ids):
            out.extend(self.session.scalars(select(Fit).where(Fit.id.in_(list(chunk)))))
        return out

    def fits_of_children(self, parent_id: int) -> list[tuple[Fit, Job]]:
        stmt = (
            select(Fit, Job)
            .join(Job, Fit.job_id == Job.id)
            .where(Job.parent_id == parent_id)
            .order_by(Fit.id)
        )
        return [(f, j) for f, j in self.session.execute(stmt).all()]

    def rows(self, fit_ids: Sequence[int]) -> Sequence[ForecastRow]:
        out: list[ForecastRow] = []
        for chunk in chunks(fit_ids):
            stmt = select(ForecastRow).where(
                ForecastRow.fit_id.in_(list(chunk)), ForecastRow.target.in_(WEEKLY_TARGETS)
            )
            out.extend(self.session.scalars(stmt))
        return out

    def regions(self, ids: Iterable[int]) -> dict[int, Region]:
        wanted = sorted(set(ids))
        out: dict[int, Region] = {}
        for chunk in chunks(wanted):
            out.update(
                {
                    r.id: r
                    for r in self.session.scalars(select(Region).where(Region.id.in_(list(chunk))))
                }
            )
        return out
