"""Drift: rolling relative WIS and 95 % coverage of our forecasts per region -> alerts.

For each region, the scores of ``seircast`` (incident weeks, the horizons both models share)
on the last ``DRIFT_WINDOW_WEEKS`` forecast dates are compared with the baseline on the same
forecasts (COVIDhub-baseline if it has them, else seircast-baseline) and, as in
``GET /evaluations``, on the quantile levels both have: our 23-level forecasts are rescored on
the viz baseline's 5 levels, never divided by a WIS of another level set. An alert is recorded
when the relative WIS exceeds ``DRIFT_RELATIVE_WIS`` or the 95 % coverage falls below
``DRIFT_COVERAGE_95``; with ``DRIFT_REFIT`` true a refit of the region is enqueued too.
"""

from collections import defaultdict
from datetime import date

from sqlalchemy.orm import Session

from app.config import Settings
from app.core.scoring import METRIC, Better, Metric, common_levels
from app.core.targets import Target
from app.db.eval_models import Alert, Score
from app.db.evaluations import AlertRepository, ScoreRepository
from app.db.models import Region
from app.services.evaluation import metric_table
from app.services.external import BASELINES, OURS
from app.services.refit import RefitRequest, enqueue_refit


def _limits(settings: Settings) -> dict[str, float]:
    """The metrics drift watches, with the setting each is checked against."""
    return {"relative_wis": settings.DRIFT_RELATIVE_WIS, "coverage_95": settings.DRIFT_COVERAGE_95}


def _crossed(metric: Metric, value: float, limit: float) -> bool:
    """Lower-is-better metrics alert above their limit; coverages (nominal) when below it."""
    return value > limit if metric.better is Better.LOWER else value < limit


def _alerts_for(
    region_id: int,
    ours: list[Score],
    baseline: str,
    base: dict[tuple[date, int], Score],
    settings: Settings,
) -> list[Alert]:
    dates = sorted({s.forecast_date for s in ours})[-settings.DRIFT_WINDOW_WEEKS :]
    window = [
        s for s in ours if s.forecast_date in dates and (s.target_end_date, s.horizon) in base
    ]
    if len(window) < settings.DRIFT_MIN_FORECASTS:
        return []
    reference = [base[(s.target_end_date, s.horizon)] for s in window]
    levels = common_levels(s.levels for s in window + reference)
    values = metric_table({OURS: window, baseline: reference}, levels, baseline)[OURS]
    common = {
        "model": OURS,
        "region_id": region_id,
        "window_start": dates[0],
        "window_end": dates[-1],
        "n_forecasts": len(window),
    }
    return [
        Alert(metric=name, value=value, threshold=limit, **common)
        for name, limit in _limits(settings).items()
        if (value := values[name]) is not None and _crossed(METRIC[name], value, limit)
    ]


def check_drift(session: Session, settings: Settings) -> list[Alert]:
    """Record new drift alerts (and enqueue refits when enabled); returns the new alerts."""
    scores = ScoreRepository(session).select(Target.INC_WEEK)
    ours: dict[int, list[Score]] = defaultdict(list)
    base: dict[str, dict[int, dict[tuple[date, int], Score]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for s in scores:
        if s.model == OURS:
            ours[s.region_id].append(s)
        elif s.model in BASELINES:
            base[s.model][s.region_id][(s.target_end_date, s.horizon)] = s
    alerts: list[Alert] = []
    for region_id, rows in ours.items():
        baseline = next((b for b in BASELINES if base[b].get(region_id)), BASELINES[-1])
        reference = base[baseline].get(region_id, {})
        alerts += _alerts_for(region_id, rows, baseline, reference, settings)
    added = AlertRepository(session).add_new(alerts)
    if added and settings.DRIFT_REFIT:
        for alert in added:
            region = session.get(Region, alert.region_id)
            if region is not None:
                outcome = enqueue_refit(
                    session, RefitRequest([region.code]), settings.JOB_MAX_ATTEMPTS
                )
                alert.refit_job_id = outcome.job.id
        session.flush()
    return added


def list_alerts(
    session: Session, region: str | None, limit: int, offset: int
) -> list[tuple[Alert, str]]:
    """Alerts, newest first, with their region codes."""
    from app.services.regions import find_region

    region_id = find_region(session, region).id if region else None
    rows = AlertRepository(session).list(region_id, limit, offset)
    codes = {r.id: r.code for r in (session.get(Region, a.region_id) for a in rows) if r}
    return [(a, codes.get(a.region_id, "?")) for a in rows]
