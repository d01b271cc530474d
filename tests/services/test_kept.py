"""The kept-ensemble record (``fit.kept``): stored as the JSON fits had before it was a model,
and rows from before a field existed read as its default."""

from datetime import date

from app.db.models import Fit
from app.services.kept import CaseSignalRecord, EnsembleRecord, KeptEnsemble

STORED = {
    "indices": [4, 1],
    "weights": [0.75, 0.25],
    "losses": [1.5, 2.5],
    "params": [{"r": 1.1, "start": "2020-03-01"}, {"r": 0.9, "start": "2020-03-02"}],
    "best_params": {"r": 1.1, "start": "2020-03-01"},
    "case_signal": None,
}


def _fit(kept: dict[str, object]) -> Fit:
    return Fit(kept=kept)


def test_a_fit_without_case_signal_or_ensemble_round_trips() -> None:
    kept = KeptEnsemble.of(_fit(STORED))
    assert kept.indices == [4, 1] and kept.case_signal is None and kept.ensemble is None
    assert kept.to_json() == STORED  # case_signal stays a null; no ensemble key


def test_the_ensemble_and_the_case_signal_are_stored_first_and_last() -> None:
    signal = CaseSignalRecord(
        deaths_per_case=0.01,
        lag_days=17,
        case_growth_per_day=-0.02,
        last_case_date=date(2020, 7, 1),
    )
    ensemble = EnsembleRecord(weights={"rt": 0.6, "baseline": 0.4}, scored_rows=12)
    kept = KeptEnsemble(**STORED | {"case_signal": signal, "ensemble": ensemble})
    stored = kept.to_json()
    keys = list(stored)
    assert (keys[0], keys[-1]) == ("ensemble", "case_signal")
    assert stored["ensemble"] == {
        "weights": {"rt": 0.6, "baseline": 0.4},
        "scored_rows": 12,
        "components": {},
        "week_end_dates": [],
        "interval_factors": [],
    }
    assert stored["case_signal"]["last_case_date"] == "2020-07-01"
    assert KeptEnsemble.of(_fit(stored)) == kept


def test_a_learning_ensemble_keeps_its_components_weekly_quantiles() -> None:
    ensemble = EnsembleRecord(
        weights={"rt": 0.7, "baseline": 0.3},
        scored_rows=120,
        components={"rt": [[1.0, 2.0, 3.0]], "baseline": [[0.0, 2.0, 5.0]]},
        week_end_dates=[date(2022, 1, 8)],
        interval_factors=[[1.2]],
    )
    stored = KeptEnsemble(**STORED | {"ensemble": ensemble}).to_json()
    assert stored["ensemble"]["week_end_dates"] == ["2022-01-08"]
    assert KeptEnsemble.of(_fit(stored)).ensemble == ensemble


def test_an_old_row_reads_with_defaults() -> None:
    old = {"indices": [0], "weights": [1.0], "losses": [3.0]}
    kept = KeptEnsemble.of(_fit(old))
    assert (kept.params, kept.best_params, kept.case_signal, kept.ensemble) == (
        None,
        {},
        None,
        None,
    )
