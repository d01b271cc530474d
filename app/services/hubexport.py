"""Our weekly forecasts in Forecast Hub format, optionally recalibrated (conformal widening).

Rows: ``N wk ahead inc death`` and ``N wk ahead cum death`` for every week the fit has
(N = 1..8), the 23 quantiles and a point row (the median); locations as 2-digit FIPS, ``US``
or a country's ISO 3166-1 alpha-2 code (``scores.hub_location``; regions without one, such as
provinces and counties, are left out). Quantiles are made non-decreasing
and non-negative before writing, so the file passes ``parse_hub_csv``.

Calibration ``conformal-widening-2`` (``app.core.calibration``, the default): for forecast
date D, the factors per horizon and interval come from our earlier forecasts (forecast dates
in the 8 weeks before D)
of weeks that ended before D, scored against the data as known on D (the release a backtest
at D uses, observations dated before D): no truth from after D is used. Fits of a model
that recalibrates itself (``seircast-ensemble.5``, and the retired .3 and .4) are exported
as stored.
"""

from collections import defaultdict
from datetime import date, timedelta

import numpy as np
from sqlalchemy.orm import Session

from app.core.calibration import (
    CALIBRATION_VERSION,
    LOOKBACK_WEEKS,
    MIN_ROWS,
    apply_widening,
    recalibration_factors,
)
from app.core.hubformat import MAX_WEEKS, HubRow
from app.core.hubtypes import QUANTILES_23, hub_target
from app.core.targets import HUB_KINDS, Target
from app.core.types import FloatArray
from app.db.models import Fit, ForecastRow
from app.db.weekly_forecasts import WeeklyForecastRepository
from app.errors import not_found
from app.services.backtest import release_at
from app.services.models import recalibrates_itself
from app.services.scores import horizon_of, hub_location, latest_fit_keys
from app.services.truth import Truth

LEVELS = np.array(QUANTILES_23)


def _clean(values: list[float] | FloatArray) -> FloatArray:
    out: FloatArray = np.maximum.accumulate(np.maximum(np.asarray(values, dtype=np.float64), 0.0))
    return out


def hub_rows(
    session: Session, fits: list[Fit], factors: dict[date, dict[str, FloatArray]] | None = None
) -> list[HubRow]:
    """Hub rows of ``fits`` (widened by ``factors[forecast date][target]`` when given)."""
    repo = WeeklyForecastRepository(session)
    regions = repo.regions(f.region_id for f in fits)
    by_fit: dict[int, list[ForecastRow]] = defaultdict(list)
    for row in repo.rows([f.id for f in fits]):
        by_fit[row.fit_id].append(row)
    out: list[HubRow] = []
    for fit in sorted(fits, key=lambda f: (f.forecast_date, regions[f.region_id].code)):
        location = hub_location(regions[fit.region_id])
        if location is None:
            continue
        own = recalibrates_itself(fit.model_version)  # seircast-ensemble.5 (.3, .4): already done
        for row in sorted(by_fit[fit.id], key=lambda r: (r.target, r.target_date)):
            n = horizon_of(fit.forecast_date, row.target_date)
            if not 1 <= n <= MAX_WEEKS:
                continue
            values = np.asarray(row.quantiles, dtype=np.float64)
            widen = None if own else (factors or {}).get(fit.forecast_date, {}).get(row.target)
            if widen is not None:
                values = apply_widening(LEVELS, values, widen[n - 1])
            values = _clean(values)
            kind = HUB_KINDS[Target(row.target)]
            target = hub_target(n, kind)
            common = (fit.forecast_date, target, n, kind, row.target_date, location)
            median = float(values[QUANTILES_23.index(0.5)])
            out.append(HubRow(*common, "point", None, median))
            out += [
                HubRow(*common, "quantile", q, float(v))
                for q, v in zip(QUANTILES_23, values, strict=True)
            ]
    return out


def fits_on(session: Session, forecast_date: date) -> list[Fit]:
    fits = WeeklyForecastRepository(session).fits_on(forecast_date)
    if not fits:
        raise not_found(f"no forecast was made on {forecast_date}", field="forecast_date")
    return fits


def backtest_fits(session: Session, parent_id: int) -> list[Fit]:
    """The newest fit per (region, forecast date) made by a backtest's child jobs."""
    newest: dict[tuple[int, date], Fit] = {}
    for fit, _ in WeeklyForecastRepository(session).fits_of_children(parent_id):
        newest[(fit.region_id, fit.forecast_date)] = fit
    return list(newest.values())


def calibration_factors(
    session: Session, dates: list[date], min_rows: int = MIN_ROWS
) -> dict[date, dict[str, FloatArray]]:
    """Widening factors per forecast date and target, shape (8, 11), from past-known truth:
    our forecasts of the ``LOOKBACK_WEEKS`` before each date, of weeks that ended before it."""
    keys = latest_fit_keys(session, max(dates, default=date.min))
    repo = WeeklyForecastRepository(session)
    out: dict[date, dict[str, FloatArray]] = {}
    for day in dates:
        first = day - timedelta(weeks=LOOKBACK_WEEKS)
        past = [k for k in keys if first <= k.forecast_date < day and k.target_end_date < day]
        quantiles = repo.quantiles([(k.source_id, k.target, k.target_end_date) for k in past])
        truth = Truth(session, release_at(session, day).id)
        out[day] = {}
        for target in HUB_KINDS:
            y, h, values = [], [], []
            for k in past:
                if k.target != target:
                    continue
                known = truth.series(k.region_id).truncated(day)
                value = (
                    known.weekly_incident(k.target_end_date)
                    if target == Target.INC_WEEK
                    else known.cumulative(k.target_end_date)
                )
                if value is not None:
                    y.append(value)
                    h.append(k.horizon)
                    values.append(quantiles[(k.source_id, k.target, k.target_end_date)])
            out[day][target] = recalibration_factors(
                np.array(h, dtype=np.int64),
                np.array(y, dtype=np.float64),
                LEVELS,
                np.array(values, dtype=np.float64).reshape(len(values), LEVELS.size),
                MAX_WEEKS,
                min_rows,
            )
    return out


def backtest_rows(session: Session, parent_id: int, calibration: str) -> list[HubRow]:
    fits = backtest_fits(session, parent_id)
    factors = None
    if calibration == CALIBRATION_VERSION:
        factors = calibration_factors(session, sorted({f.forecast_date for f in fits}))
    return hub_rows(session, fits, factors)
