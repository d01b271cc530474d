"""Forecast read use cases: pick the fit (published, as-of, or by id) and its targets."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.core.epiweeks import epiweek_end
from app.core.hubtypes import QUANTILES_23
from app.core.targets import DAY_TARGETS, WEEK_TARGETS, Target
from app.db.fits import FitRepository
from app.db.models import Fit, ForecastRow, Region
from app.db.repositories import normalise_alias
from app.errors import AppError, FieldProblem, no_forecast, not_found, problem
from app.services.regions import find_region, resolve_as_of

LEVELS = QUANTILES_23


@dataclass(frozen=True, slots=True)
class ForecastView:
    region: Region
    fit: Fit
    first_date: date
    last_date: date
    rows: Sequence[ForecastRow]


def _fit_for(session: Session, region: Region, as_of: str | None, fit_id: int | None) -> Fit:
    fits = FitRepository(session)
    if fit_id is not None:
        fit = fits.get(fit_id)
        if fit is None or fit.region_id != region.id:
            raise not_found(f"no fit {fit_id} for {region.code}")
        return fit
    if as_of is not None:
        release = resolve_as_of(session, as_of)
        assert release is not None
        fit = fits.latest_as_of(region.id, release.id)
    else:
        fit = fits.published(region.id)
    if fit is None:
        raise no_forecast(
            f"no published forecast for {region.code} yet: start one with POST /refit "
            f'{{"regions": ["{region.code}"]}} (or `seircast refit --region {region.code}`)',
            region=region.code,
        )
    return fit


def _out_of_range(day: date, first: date, last: date, region: str) -> AppError:
    where = "before" if day < first else "after"
    detail = (
        f"date {day} is {where} the forecast horizon of {region}: valid dates are "
        f"{first} to {last}"
        + (f"; observed data is at /regions/{region}/observations" if day < first else "")
    )
    return problem(
        "date-out-of-range",
        detail,
        [FieldProblem(f"must be between {first} and {last}", field="date")],
        valid_range=[first.isoformat(), last.isoformat()],
    )


def published_fit_id(session: Session, code: str) -> int | None:
    """The published fit of a region code or alias in one query (None: look it up fully)."""
    return FitRepository(session).published_id_by_key(code.strip().upper(), normalise_alias(code))


def resolve_fit(
    session: Session, code: str, as_of: str | None = None, fit_id: int | None = None
) -> tuple[Region, Fit]:
    """The region and the fit to serve: by id, as of a release/date, or the published one."""
    region = find_region(session, code)
    return region, _fit_for(session, region, as_of, fit_id)


def get_forecast(
    session: Session,
    code: str,
    day: date | None,
    as_of: str | None = None,
    fit_id: int | None = None,
) -> ForecastView:
    region, fit = resolve_fit(session, code, as_of, fit_id)
    return forecast_view(session, region, fit, day)


def forecast_view(session: Session, region: Region, fit: Fit, day: date | None) -> ForecastView:
    """The fit's targets for ``day`` (and its epiweek), or all of them when ``day`` is None."""
    fits = FitRepository(session)
    span = fits.date_range(fit.id, Target.INC_DAY)
    if span is None:
        raise not_found(f"fit {fit.id} has no forecast rows")
    first, last = span
    if day is None:
        return ForecastView(region, fit, first, last, fits.rows(fit.id, DAY_TARGETS + WEEK_TARGETS))
    if not first <= day <= last:
        raise _out_of_range(day, first, last, region.code)
    week = epiweek_end(day)
    rows = [*fits.rows(fit.id, DAY_TARGETS, day, day), *fits.rows(fit.id, WEEK_TARGETS, week, week)]
    return ForecastView(region, fit, first, last, rows)
