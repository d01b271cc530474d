"""The kept ensemble of a fit (``fit.kept``): which parameter sets the forecast uses, with
their weights and losses, and what the forecast leaned on (the case signal, an ensemble's
component weights). ``to_json`` writes the column and ``KeptEnsemble.of`` reads it back, the
only place that does; rows from before a field existed read as its default."""

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, JsonValue

if TYPE_CHECKING:  # not imported at run time: fits run in processes without a database
    from app.db.models import Fit

Params = dict[str, JsonValue]
"""One parameter set: every parameter by name (dates as ISO strings)."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class CaseSignalRecord(_Record):
    deaths_per_case: float
    lag_days: int
    case_growth_per_day: float
    last_case_date: date


class EnsembleRecord(_Record):
    weights: dict[str, float]  # component -> weight (sums to 1)
    scored_rows: int  # past weekly forecasts per component behind them (0: fixed weights)
    # seircast-ensemble.5: each component's weekly incident quantiles (n_weeks x 23) for
    # ``week_end_dates``, read back by the next forecast dates' learning; the interval
    # factors (n_weeks x 11, 1: none) the forecast was recalibrated with
    components: dict[str, list[list[float]]] = {}
    week_end_dates: list[date] = []
    interval_factors: list[list[float]] = []


class KeptEnsemble(_Record):
    """Aligned lists: ``indices`` (grid positions), ``weights``, ``losses``, ``params``."""

    ensemble: EnsembleRecord | None = None  # stored only for the ensemble model
    indices: list[int]
    weights: list[float]
    losses: list[float]
    params: list[Params] | None = None
    best_params: Params = {}
    case_signal: CaseSignalRecord | None = None

    @classmethod
    def of(cls, fit: "Fit") -> "KeptEnsemble":
        return cls.model_validate(fit.kept)

    def to_json(self) -> dict[str, Any]:
        """The stored column: ``ensemble`` only when there is one, ``case_signal`` always."""
        return self.model_dump(mode="json", exclude=None if self.ensemble else {"ensemble"})
