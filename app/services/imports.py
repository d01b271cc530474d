"""Import other models' forecasts (or truth), then score what became scorable.

One use case for ``POST /external-forecasts`` and ``seircast import-forecasts`` /
``import-truth``: both run in the caller's unit of work, so an import that fails scores
nothing and a scoring that fails imports nothing.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.services.external import ImportResult, import_forecasts, import_truth
from app.services.scores import score_pending


@dataclass(frozen=True, slots=True)
class ScoredImport:
    result: ImportResult
    scored: int  # forecasts (re)scored after the import


def import_and_score(session: Session, model: str, data: bytes) -> ScoredImport:
    """Import a model's Forecast Hub file (its forecast dates replaced), then score."""
    result = import_forecasts(session, model, data)
    return ScoredImport(result, score_pending(session))


def import_truth_and_score(session: Session, data: bytes, source: str) -> tuple[int, int]:
    """(weekly truth values stored, forecasts (re)scored) for a truth file."""
    stored = import_truth(session, data, source)
    return stored, score_pending(session)
