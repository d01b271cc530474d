"""Score stored forecasts as their truth arrives (``score_pending``).

Forecasts scored: ours (the newest fit per region and forecast date, its ``inc_week`` and
``cum_week`` rows, model ``seircast``), imported ones (``external_forecast``), and the built-in
COVIDhub-baseline (model ``seircast-baseline``), which is computed here for every (region,
forecast date) we have a fit for, from the data that fit saw (``app.core.baseline``).

A score is (re)computed when none exists for its (model, region, forecast date, target,
horizon), when the forecast behind it changed (a newer fit, a re-import) or when its truth
changed (a revision, or an imported truth file that now takes precedence).
"""

import logging
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.baseline import baseline_quantiles
from app.core.epiweeks import hub_target_end_date
from app.core.hubtypes import COUNTRY_LOCATIONS, QUANTILES_23, hub_target
from app.core.scoring import METRICS, score_forecasts
from app.db.evaluations import ExternalForecastRepository, ForecastKey, ScoreRepository
from app.db.models import Region
from app.db.weekly_forecasts import WeeklyForecastRepository
from app.services.external import BUILTIN_BASELINE, OURS
from app.services.truth import Truth

log = logging.getLogger(__name__)
LEVELS_23 = list(QUANTILES_23)
BASELINE_HORIZONS = 4


def horizon_of(forecast_date: date, target_end: date) -> int:
    """N of the ``N wk ahead`` target of a forecast made on ``forecast_date`` (0 if none)."""
    weeks, rest = divmod((target_end - hub_target_end_date(forecast_date, 1)).days, 7)
    return weeks + 1 if rest == 0 and weeks >= 0 else 0


def hub_location(region: Region) -> str | None:
    """2-digit FIPS for a US state or territory, ``US`` for the nation, the ISO 3166-1 alpha-2
    code of a country in the hub vocabulary (``FR``), else None (provinces, counties, ships)."""
    if region.code == "US":
        return "US"
    if region.level == "state" and region.parent_code == "US" and region.fips:
        return region.fips
    if region.level == "country" and region.code in COUNTRY_LOCATIONS:
        return region.code
    return None


def latest_fit_keys(session: Session, last_end: date) -> list[ForecastKey]:
    """Weekly rows of the newest fit per (region, forecast date)."""
    rows = WeeklyForecastRepository(session).keys(last_end)
    newest: dict[tuple[int, date], int] = {}
    for fit_id, region_id, made, _, _ in rows:
        newest[(region_id, made)] = max(fit_id, newest.get((region_id, made), 0))
    keys = []
    for fit_id, region_id, made, target, end in rows:
        horizon = horizon_of(made, end)
        if newest[(region_id, made)] == fit_id and horizon:
            keys.append(ForecastKey("fit", fit_id, OURS, region_id, made, target, horizon, end))
    return keys


def _last_saturday_before(day: date) -> date:
    yesterday = day - timedelta(days=1)
    return yesterday - timedelta(days=(yesterday.weekday() - 5) % 7)


def ensure_baselines(session: Session) -> int:
    """Store the built-in baseline for each (region, forecast date) of our fits lacking one."""
    wanted: dict[tuple[int, date], int] = {}
    for key in latest_fit_keys(session, date.max):
        wanted.setdefault((key.region_id, key.forecast_date), key.source_id)
    external = ExternalForecastRepository(session)
    todo = {k: v for k, v in wanted.items() if not external.has(BUILTIN_BASELINE, *k)}
    if not todo:
        return 0
    fits = WeeklyForecastRepository(session)
    release_of = {f.id: f.release_id for f in fits.fits_by_ids(list(todo.values()))}
    regions = fits.regions(r for r, _ in todo)
    truths: dict[int, Truth] = {}
    rows: list[dict[str, Any]] = []
    for (region_id, made), fit_id in sorted(todo.items()):
        location = hub_location(regions[region_id])
        release = release_of[fit_id]
        truth = truths.setdefault(release, Truth(session, release))
        rows += _baseline_rows(truth, region_id, location, made)
    return external.add(rows)


def _baseline_rows(
    truth: Truth, region_id: int, location: str | None, made: date
) -> list[dict[str, Any]]:
    known = truth.series(region_id).truncated(made)
    last = _last_saturday_before(made)
    if location is None or known.cumulative(last) is None:
        return []
    ends = [hub_target_end_date(made, n) for n in range(1, BASELINE_HORIZONS + 1)]
    steps = [(end - last).days // 7 for end in ends]
    try:
        q = baseline_quantiles(known.weekly_history(last), np.array(LEVELS_23), max(steps))
    except ValueError:
        return []  # too short a history for the baseline
    return [
        {
            "model": BUILTIN_BASELINE,
            "forecast_date": made,
            "target": hub_target(n, "inc"),
            "kind": "inc",
            "horizon": n,
            "target_end_date": end,
            "region_id": region_id,
            "location": location,
            "levels": LEVELS_23,
            "quantiles": [float(v) for v in np.maximum.accumulate(q[step - 1])],
            "point": float(q[step - 1][LEVELS_23.index(0.5)]),
            "date_column": "computed",
        }
        for n, (end, step) in enumerate(zip(ends, steps, strict=True), start=1)
    ]


def _is_current(
    old: tuple[str, int, str, float] | None, key: ForecastKey, found: tuple[float, str]
) -> bool:
    if old is None:
        return False
    source, source_id, truth_source, truth = old
    same_kind = truth_source.split("@")[0] == found[1].split("@")[0]
    return source == key.source and source_id == key.source_id and truth == found[0] and same_kind


def score_pending(session: Session) -> int:
    """Score every stored forecast whose truth is known and not scored as it stands; count."""
    ensure_baselines(session)
    truth = Truth(session)
    last = truth.last_date()
    keys = latest_fit_keys(session, last) + ExternalForecastRepository(session).keys(last)
    scores = ScoreRepository(session)
    existing = scores.existing()
    todo: list[tuple[ForecastKey, tuple[float, str]]] = []
    for key in keys:
        found = truth.value(key.region_id, key.target, key.target_end_date)
        score_key = (key.model, key.region_id, key.forecast_date, key.target, key.horizon)
        if found is not None and not _is_current(existing.get(score_key), key, found):
            todo.append((key, found))
    if not todo:
        return 0
    return scores.upsert(_scored(session, todo))


def _quantiles(
    session: Session, keys: list[ForecastKey]
) -> dict[ForecastKey, tuple[list[float], list[float]]]:
    ours = [(k.source_id, k.target, k.target_end_date) for k in keys if k.source == "fit"]
    theirs = [k.source_id for k in keys if k.source == "external"]
    fit_q = WeeklyForecastRepository(session).quantiles(ours)
    ext_q = ExternalForecastRepository(session).quantiles(theirs)
    return {
        k: (LEVELS_23, fit_q[(k.source_id, k.target, k.target_end_date)])
        if k.source == "fit"
        else ext_q[k.source_id]
        for k in keys
    }


def _scored(
    session: Session, todo: list[tuple[ForecastKey, tuple[float, str]]]
) -> list[dict[str, Any]]:
    quantiles = _quantiles(session, [k for k, _ in todo])
    groups: dict[tuple[float, ...], list[int]] = defaultdict(list)
    for i, (key, _) in enumerate(todo):
        groups[tuple(quantiles[key][0])].append(i)
    out: list[dict[str, Any]] = []
    for levels_t, members in groups.items():
        levels = np.array(levels_t)
        y = np.array([todo[i][1][0] for i in members])
        values = np.array([quantiles[todo[i][0]][1] for i in members], dtype=np.float64)
        scores = score_forecasts(y, levels, values)
        stored = {m.column: scores[m.name] for m in METRICS if m.column is not None}
        for j, i in enumerate(members):
            key, (value, source) = todo[i]
            out.append(
                key._asdict()
                | {"truth": value, "truth_source": source}
                | {col: None if s is None else s[j].item() for col, s in stored.items()}
                | {"levels": list(levels_t), "values": [float(v) for v in values[j]]}
            )
    return out


def score_after_ingest(session: Session) -> int:
    """``score_pending`` in a savepoint: a scoring failure never fails the ingest itself."""
    try:
        with session.begin_nested():
            return score_pending(session)
    except (ValueError, SQLAlchemyError) as exc:
        log.warning("scoring after ingest failed (the ingest is kept): %s", exc)
        return 0
