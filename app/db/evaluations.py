"""Evaluation queries: imported forecasts, truth, scores and alerts (our own weekly forecast
rows: ``app.db.weekly_forecasts``)."""

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import Session

from app.db.batching import chunks
from app.db.eval_models import Alert, ExternalForecast, Score, TruthValue


class ForecastKey(NamedTuple):
    """A stored weekly forecast that may be scored: ours (``fit``) or imported (``external``)."""

    source: str
    source_id: int
    model: str
    region_id: int
    forecast_date: date
    target: str  # inc_week | cum_week
    horizon: int
    target_end_date: date


class ExternalForecastRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(
        self, model: str, forecast_dates: Sequence[date], rows: Sequence[dict[str, Any]]
    ) -> int:
        """Delete the model's forecasts (and their scores) for these dates, insert ``rows``."""
        dates = list(forecast_dates)
        self.session.execute(
            delete(Score).where(
                Score.model == model, Score.source == "external", Score.forecast_date.in_(dates)
            )
        )
        self.session.execute(
            delete(ExternalForecast).where(
                ExternalForecast.model == model, ExternalForecast.forecast_date.in_(dates)
            )
        )
        for chunk in chunks(rows):
            self.session.execute(insert(ExternalForecast), [dict(r) for r in chunk])
        self.session.flush()
        return len(rows)

    def add(self, rows: Sequence[dict[str, Any]]) -> int:
        for chunk in chunks(rows):
            self.session.execute(insert(ExternalForecast), [dict(r) for r in chunk])
        self.session.flush()
        return len(rows)

    def keys(self, last_end: date) -> list[ForecastKey]:
        stmt = select(
            ExternalForecast.id,
            ExternalForecast.model,
            ExternalForecast.region_id,
            ExternalForecast.forecast_date,
            ExternalForecast.kind,
            ExternalForecast.horizon,
            ExternalForecast.target_end_date,
        ).where(ExternalForecast.target_end_date <= last_end)
        return [
            ForecastKey("external", i, m, r, f, f"{k}_week", h, e)
            for i, m, r, f, k, h, e in self.session.execute(stmt)
        ]

    def quantiles(self, ids: Sequence[int]) -> dict[int, tuple[list[float], list[float]]]:
        out: dict[int, tuple[list[float], list[float]]] = {}
        for chunk in chunks(ids):
            stmt = select(
                ExternalForecast.id, ExternalForecast.levels, ExternalForecast.quantiles
            ).where(ExternalForecast.id.in_(list(chunk)))
            out.update({i: (lv, q) for i, lv, q in self.session.execute(stmt)})
        return out

    def has(self, model: str, region_id: int, forecast_date: date) -> bool:
        stmt = select(ExternalForecast.id).where(
            ExternalForecast.model == model,
            ExternalForecast.region_id == region_id,
            ExternalForecast.forecast_date == forecast_date,
        )
        return self.session.scalar(stmt.limit(1)) is not None


class TruthRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(self, source: str, rows: Sequence[dict[str, Any]]) -> int:
        self.session.execute(delete(TruthValue).where(TruthValue.source == source))
        for chunk in chunks(rows):
            self.session.execute(insert(TruthValue), [r | {"source": source} for r in chunk])
        self.session.flush()
        return len(rows)

    def weekly(self) -> dict[tuple[int, date], tuple[float, str]]:
        """Imported weekly incident deaths per (region, week end) with their source."""
        stmt = select(
            TruthValue.region_id, TruthValue.week_end_date, TruthValue.inc_deaths, TruthValue.source
        ).order_by(TruthValue.source)
        return {(r, d): (v, s) for r, d, v, s in self.session.execute(stmt)}


class ScoreRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def existing(self) -> dict[tuple[str, int, date, str, int], tuple[str, int, str, float]]:
        """(model, region, forecast date, target, horizon) -> (source, id, truth source, truth)."""
        stmt = select(
            Score.model,
            Score.region_id,
            Score.forecast_date,
            Score.target,
            Score.horizon,
            Score.source,
            Score.source_id,
            Score.truth_source,
            Score.truth,
        )
        return {
            (m, r, f, t, h): (s, i, ts, y)
            for m, r, f, t, h, s, i, ts, y in self.session.execute(stmt)
        }

    def upsert(self, rows: Sequence[dict[str, Any]]) -> int:
        """Insert scores, replacing any with the same (model, region, date, target, horizon)."""
        keys = [
            (r["model"], r["region_id"], r["forecast_date"], r["target"], r["horizon"])
            for r in rows
        ]
        cols = (Score.model, Score.region_id, Score.forecast_date, Score.target, Score.horizon)
        for chunk in chunks(keys):
            self.session.execute(delete(Score).where(tuple_(*cols).in_(list(chunk))))
        for chunk in chunks(rows):
            self.session.execute(insert(Score), list(chunk))
        self.session.flush()
        return len(rows)

    def select(
        self,
        target: str,
        region_id: int | None = None,
        horizon: int | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> Sequence[Score]:
        """Scores of one target kind; ``start``/``end`` bound the forecast date (inclusive)."""
        stmt = select(Score).where(Score.target == target)
        if region_id is not None:
            stmt = stmt.where(Score.region_id == region_id)
        if horizon is not None:
            stmt = stmt.where(Score.horizon == horizon)
        if start is not None:
            stmt = stmt.where(Score.forecast_date >= start)
        if end is not None:
            stmt = stmt.where(Score.forecast_date <= end)
        return self.session.scalars(stmt.order_by(Score.id)).all()

    def models(self) -> list[str]:
        return sorted(self.session.scalars(select(Score.model).distinct()))


class AlertRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_new(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Store the alerts not already recorded (same model, region, metric, window end)."""
        added = []
        for alert in alerts:
            stmt = select(Alert.id).where(
                Alert.model == alert.model,
                Alert.region_id == alert.region_id,
                Alert.metric == alert.metric,
                Alert.window_end == alert.window_end,
            )
            if self.session.scalar(stmt) is None:
                self.session.add(alert)
                added.append(alert)
        self.session.flush()
        return added

    def list(self, region_id: int | None, limit: int, offset: int) -> Sequence[Alert]:
        stmt = select(Alert)
        if region_id is not None:
            stmt = stmt.where(Alert.region_id == region_id)
        return self.session.scalars(
            stmt.order_by(Alert.id.desc()).limit(limit).offset(offset)
        ).all()
