"""Stored fits read for ``GET /fits/{id}`` and the website: published fits, their forecast
rows, the releases behind them and a region's earlier fits."""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from app.core.targets import Target
from app.db.fits import FitRepository
from app.db.models import Fit, ForecastRow, Region, Release
from app.db.repositories import ReleaseRepository
from app.errors import not_found

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Publications:
    """What the website's cached overview depends on."""

    database: str  # the database URL without its password
    latest_release: int | None
    published: dict[int, Fit]  # region id -> its published fit


def get_fit(session: Session, fit_id: int) -> tuple[Fit, str]:
    """A fit and its region's code (``"?"`` if the region is gone); 404 for no such fit."""
    fit = FitRepository(session).get(fit_id)
    if fit is None:
        raise not_found(f"no fit {fit_id}")
    region = session.get(Region, fit.region_id)
    return fit, region.code if region else "?"


def published_fit(session: Session, region: Region) -> Fit | None:
    return FitRepository(session).published(region.id)


def publications(session: Session) -> Publications:
    latest = ReleaseRepository(session).latest()
    return Publications(
        database=session.get_bind().engine.url.render_as_string(hide_password=True),
        latest_release=latest.id if latest else None,
        published=dict(FitRepository(session).published_all()),
    )


class PublishedCache(Generic[T]):
    """Values built from the published forecasts, rebuilt only when new data or a new
    publication arrives: keyed by (database, the caller's key, latest release, every
    region's published fit). Beyond ``size`` keys it starts again from empty."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self.values: dict[tuple[object, ...], T] = {}

    def get(self, session: Session, key: Hashable, build: Callable[[Publications], T]) -> T:
        state = publications(session)
        published = tuple(sorted((region_id, fit.id) for region_id, fit in state.published.items()))
        full = (state.database, key, state.latest_release, published)
        found = self.values.get(full)
        if found is None:
            found = build(state)
            if len(self.values) >= self.size:
                self.values.clear()
            self.values[full] = found
        return found


def forecast_rows(
    session: Session, fit: Fit, targets: Sequence[Target], end: date | None = None
) -> Sequence[ForecastRow]:
    """The fit's rows of these targets up to ``end``, by target and then date."""
    return FitRepository(session).rows(fit.id, targets, None, end)


def earlier_fits(session: Session, region: Region, limit: int) -> Sequence[Fit]:
    """The region's fits, newest first (the published one among them)."""
    return FitRepository(session).list_for_region(region.id, limit)


def release_of(session: Session, fit: Fit) -> Release | None:
    return ReleaseRepository(session).get(fit.release_id)
