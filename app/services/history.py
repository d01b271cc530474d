"""The past forecasts ``seircast-ensemble.5`` learns from, as known at a forecast date.

For a fit of data ending the day before D, as of release R: every earlier fit of the model
or of ``seircast-ensemble.4`` (``LEARNS_FROM``: the same components), the newest per region
and forecast date, made in the ``lookback_weeks`` before D on data no newer than R; of each,
the stored weekly quantiles of every component for the epiweeks that ended before D (up to
``max_horizon`` weeks ahead), and as truth the weekly deaths reported in those weeks as of R
(``app.services.truth.DailySeries``, as the scores read them), from the observations dated
before D: nothing reported on or after D is read, neither new deaths nor later revisions.
Pooled over all regions. From them ``learned_plan`` learns the weights and interval factors
(``app.core.online_ensemble.plan``); both are cached per (database, release, D, fits) in
the process, since every region's fit of one refit asks for the same.
"""

from collections import OrderedDict
from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
from sqlalchemy.orm import Session

from app.core.learned_model import COMPONENTS, LEARNS_FROM, LearnedSettings
from app.core.online_ensemble import PastForecasts, Plan, plan
from app.core.seir import QUANTILE_LEVELS
from app.core.seir.forecast import MAX_WEEKS
from app.db.fits import FitRepository
from app.db.observations import ObservationRepository
from app.services.kept import EnsembleRecord, KeptEnsemble
from app.services.truth import SERIES, DailySeries

_Key = tuple[str, int, date, tuple[int, ...]]  # database, release, D, the fits read
_CACHE: OrderedDict[_Key, tuple[PastForecasts, Plan]] = OrderedDict()
_CACHE_SIZE = 4
WEEK = timedelta(days=7)


def past_forecasts(session: Session, release_id: int, forecast_date: date) -> PastForecasts:
    """The components' past forecasts with the truth known at ``forecast_date``."""
    return _learned(session, release_id, forecast_date)[0]


def learned_plan(session: Session, release_id: int, forecast_date: date) -> Plan:
    """The weights and interval factors (``MAX_WEEKS`` horizons) a fit at ``forecast_date``
    as of ``release_id`` uses: learned once per refit, the same for every region."""
    return _learned(session, release_id, forecast_date)[1]


def _learned(session: Session, release_id: int, forecast_date: date) -> tuple[PastForecasts, Plan]:
    online = LearnedSettings().online
    first = forecast_date - online.lookback_weeks * WEEK
    fits = FitRepository(session).learning_fits(LEARNS_FROM, first, forecast_date, release_id)
    database = session.get_bind().engine.url.render_as_string(hide_password=True)
    key = (database, release_id, forecast_date, tuple(fit_id for fit_id, _, _ in fits))
    if key not in _CACHE:
        past = _gather(session, release_id, forecast_date, fits, online.max_horizon)
        _CACHE[key] = (past, plan(past, online, MAX_WEEKS))
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    return _CACHE[key]


def _gather(
    session: Session,
    release_id: int,
    forecast_date: date,
    fits: Sequence[tuple[int, int, date]],
    max_horizon: int,
) -> PastForecasts:
    kept = FitRepository(session).kept_of([fit_id for fit_id, _, _ in fits])
    observations = ObservationRepository(session)
    truths: dict[int, DailySeries] = {}  # as of the release, the days before D only
    horizons: list[int] = []
    ys: list[float] = []
    rows: list[list[list[float]]] = []
    for fit_id, region_id, _ in fits:
        record = KeptEnsemble.model_validate(kept[fit_id]).ensemble
        if record is None or set(record.components) != set(COMPONENTS):
            continue
        if region_id not in truths:
            days, values = observations.series_as_of(region_id, SERIES, release_id)
            truths[region_id] = DailySeries(days, values).truncated(forecast_date)
        for i, (end, row) in enumerate(_rows(record)):
            y = truths[region_id].weekly_incident(end)
            if i < max_horizon and end < forecast_date and y is not None:
                horizons.append(i + 1)
                ys.append(y)
                rows.append(row)
    if not rows:
        return PastForecasts.empty(COMPONENTS, QUANTILE_LEVELS)
    quantiles = np.transpose(np.array(rows, dtype=np.float64), (1, 0, 2))
    return PastForecasts(COMPONENTS, QUANTILE_LEVELS, np.array(horizons), np.array(ys), quantiles)


def _rows(record: EnsembleRecord) -> list[tuple[date, list[list[float]]]]:
    """(week end, the components' quantiles in ``COMPONENTS`` order) of each stored week."""
    return [
        (end, [record.components[c][i] for c in COMPONENTS])
        for i, end in enumerate(record.week_end_dates)
    ]
