"""Backtests on a real process pool: POST /backtests, hub export, scores, no look-ahead."""

from concurrent.futures import ProcessPoolExecutor
from datetime import date

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.core.calibration import CALIBRATION_VERSION
from app.core.ensemble_model import MODEL_ENSEMBLE
from app.core.hubformat import parse_hub_csv
from app.core.learned_model import MODEL_LEARNED, PRIOR
from app.core.online_ensemble import OnlineSettings, PastForecasts, plan
from app.core.seir import MODEL_RT
from app.db.eval_models import Score
from app.db.models import Fit, ForecastRow, Publication, Release
from app.jobs.worker import Worker
from app.services.history import past_forecasts
from app.services.hubexport import backtest_rows, calibration_factors
from tests.factories import confirmed_csv, spring_2020_csv

D = "2020-06-01"


def _drain(factory: sessionmaker[Session], settings: Settings, pool: ProcessPoolExecutor) -> None:
    worker = Worker(factory, settings, pool, name="test-worker")
    while worker.run_once():
        pass


def _backtest(client: TestClient, **body: object) -> int:
    response = client.post("/backtests", json={"forecast_dates": [D], "regions": ["NY"], **body})
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"/jobs/{response.json()['id']}"
    job_id: int = response.json()["id"]
    return job_id


def _fit_rows(
    factory: sessionmaker[Session], parent_id: int, n_fits: int = 1
) -> list[tuple[str, date, list[float]]]:
    from app.db.weekly_forecasts import WeeklyForecastRepository

    with factory() as session:
        fits = WeeklyForecastRepository(session).fits_of_children(parent_id)
        assert len(fits) == n_fits
        rows: list[ForecastRow] = []
        for fit, *_ in sorted(fits, key=lambda f: f[0].region_id):
            assert fit.forecast_date == date(2020, 6, 1)
            assert fit.data_end_date == date(2020, 5, 31)
            rows += session.scalars(
                select(ForecastRow)
                .where(ForecastRow.fit_id == fit.id)
                .order_by(ForecastRow.target, ForecastRow.target_date)
            ).all()
        return [(r.target, r.target_date, list(r.quantiles)) for r in rows]


def _fit_id(factory: sessionmaker[Session], parent_id: int) -> int:
    from app.db.weekly_forecasts import WeeklyForecastRepository

    with factory() as session:
        fit_id: int = WeeklyForecastRepository(session).fits_of_children(parent_id)[0][0].id
        return fit_id


def _upload(
    client: TestClient, data: bytes, vintage: str | None = None, name: str = "d.csv"
) -> None:
    form = {"vintage_date": vintage} if vintage else {}
    response = client.post("/observations", files={"file": (name, data)}, data=form)
    assert response.status_code == 201, response.text


def _changed(data: bytes, since: str, factor: int) -> bytes:
    """The long file with cum_deaths multiplied by ``factor`` on and after ``since``."""
    lines = data.decode().splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        if cells[0] >= since and cells[3]:
            cells[3] = str(int(float(cells[3])) * factor)
        out.append(",".join(cells))
    return ("\n".join(out) + "\n").encode()


@pytest.mark.parametrize("model", ["auto", MODEL_ENSEMBLE])
def test_backtest_cannot_see_the_future(
    client: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
    model: str,
) -> None:
    """Later data (after D in a new final release, or revised in a release published after D)
    leaves the forecast made at D unchanged: deaths and the cases it leans on, and for the
    ensemble its weights (scored on the weeks before D only)."""
    data = spring_2020_csv(("36",))
    _upload(client, data, vintage="2020-05-31")
    cases = confirmed_csv({"36"}, date(2020, 6, 30))  # reported after D too
    _upload(client, cases, vintage="2020-05-31", name="confirmed.csv")
    first = _backtest(client, model=model)
    _drain(session_factory, settings, pool)
    original = _fit_rows(session_factory, first)
    weights = client.get(f"/fits/{_fit_id(session_factory, first)}").json().get("ensemble")
    if model == MODEL_ENSEMBLE:
        assert weights is not None and weights["scored_rows"] > 0
    signal = client.get(f"/fits/{_fit_id(session_factory, first)}").json()["case_signal"]
    assert signal["last_case_date"] == "2020-05-31"
    # a release published after D revising the whole series: the as-of-D release is still used
    _upload(client, _changed(data, "2020-01-01", 3), vintage="2020-07-01")
    second = _backtest(client, model=model)
    _drain(session_factory, settings, pool)
    assert _fit_rows(session_factory, second) == original
    # a release published after D (no vintage: dated today) changing days from D on is not
    # read either; the cutoff itself is what kept the first release's later days out (above)
    _upload(client, _changed(data, D, 2))
    later_cases = confirmed_csv({"36"}, date(2020, 6, 30), date.fromisoformat(D), 3)
    _upload(client, later_cases, name="confirmed.csv")
    third = _backtest(client, model=model)
    _drain(session_factory, settings, pool)
    assert _fit_rows(session_factory, third) == original
    assert client.get(f"/fits/{_fit_id(session_factory, third)}").json().get("ensemble") == weights
    with session_factory() as session:
        assert session.scalars(select(Publication)).first() is None  # backtests never publish


def test_learned_weights_and_factors_cannot_see_the_future(
    client: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    """seircast-ensemble.5 at D learns from its fits of the Mondays before D, scored on the
    deaths reported before D as of D's release: a release published after D that revises
    everything, and one changing the days from D on, leave the past it learns from, its
    weights, its factors and its forecast as they were."""
    data = spring_2020_csv(("36", "48", "06"))
    _upload(client, data, vintage="2020-04-19")
    regions = ["NY", "TX", "US-CA"]
    mondays = ["2020-04-20", "2020-04-27", "2020-05-04", "2020-05-11", "2020-05-18", "2020-05-25"]
    body = {"forecast_dates": mondays, "regions": regions, "model": MODEL_LEARNED}
    assert client.post("/backtests", json=body).status_code == 202
    _drain(session_factory, settings, pool)
    day = date.fromisoformat(D)

    def learned_at_d() -> tuple[list[tuple[str, date, list[float]]], dict[str, object]]:
        first = _backtest(client, regions=regions, model=MODEL_LEARNED)
        _drain(session_factory, settings, pool)
        fit = client.get(f"/fits/{_fit_id(session_factory, first)}").json()
        with session_factory() as session:  # recalibrated already: exported as stored
            exported = backtest_rows(session, first, CALIBRATION_VERSION)
            assert exported == backtest_rows(session, first, "none") and len(exported) > 0
        return _fit_rows(session_factory, first, len(regions)), fit["ensemble"]

    def learned_past(release: int) -> PastForecasts:
        with session_factory() as session:
            return past_forecasts(session, release, day)

    rows, record = learned_at_d()
    with session_factory() as session:
        (first_release,) = session.scalars(select(Release.id)).all()
    past = learned_past(first_release)
    assert past.rows == record["scored_rows"] == 3 * (4 + 4 + 4 + 3 + 2 + 1)
    loose = OnlineSettings(prior=PRIOR, min_rows=1, shrink_rows=0, min_calibration_rows=1)
    chosen = plan(past, loose, 4)
    assert chosen.weights != PRIOR and not np.allclose(chosen.factors, 1.0)
    _upload(client, _changed(data, "2020-01-01", 3), vintage="2020-07-01")
    _upload(client, _changed(data, D, 2))
    assert learned_at_d() == (rows, record)
    with session_factory() as session:
        releases = session.scalars(select(Release.id).order_by(Release.id)).all()
    again = learned_past(first_release)
    np.testing.assert_array_equal(again.truth, past.truth)
    np.testing.assert_array_equal(again.quantiles, past.quantiles)
    replanned = plan(again, loose, 4)
    assert replanned.weights == chosen.weights
    np.testing.assert_array_equal(replanned.factors, chosen.factors)
    # the revised release's truth differs: the past is read as of the fit's release only
    assert not np.array_equal(learned_past(releases[1]).truth, past.truth)
    # fits stored by seircast-ensemble.4 (the same components) count too; other models' not
    for version, rows_expected in (("seircast-ensemble.4", past.rows), (MODEL_RT, 0)):
        with session_factory() as session:
            session.execute(update(Fit).values(model_version=version))
            session.commit()
        assert learned_past(first_release).rows == rows_expected


def test_recalibration_cannot_see_the_future(
    client: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    """The widening factors at D come from the forecasts before D scored on the data known at
    D: a release published after D that revises everything leaves them as they were."""
    data = spring_2020_csv(("36", "48"))
    _upload(client, data, vintage="2020-05-31")
    mondays = ["2020-05-11", "2020-05-18", "2020-05-25", D]
    body = {"forecast_dates": mondays, "regions": ["NY", "TX"]}
    assert client.post("/backtests", json=body).status_code == 202
    _drain(session_factory, settings, pool)
    day = date.fromisoformat(D)
    with session_factory() as session:
        before = calibration_factors(session, [day], min_rows=1)[day]
    assert not np.allclose(before["inc_week"][:3], 1.0)  # computed from the earlier Mondays
    _upload(client, _changed(data, "2020-01-01", 3), vintage="2020-07-01")
    with session_factory() as session:
        after = calibration_factors(session, [day], min_rows=1)[day]
        default = calibration_factors(session, [day])[day]
    for target in before:
        np.testing.assert_array_equal(after[target], before[target])
        np.testing.assert_array_equal(default[target], 1.0)  # under 100 past forecasts


def test_backtest_exports_valid_hub_csv_and_scores(
    client: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    pool: ProcessPoolExecutor,
) -> None:
    _upload(client, spring_2020_csv(("36", "48")))
    job = _backtest(client, regions=["NY", "TX"], calibration="conformal-widening-2")
    _drain(session_factory, settings, pool)
    assert client.get(f"/jobs/{job}").json()["status"] == "succeeded"
    response = client.get("/forecasts/hub.csv", params={"forecast_date": D})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    parsed = parse_hub_csv(response.text)
    assert parsed.ok, parsed.errors[:3]
    assert {r.location for r in parsed.rows} == {"36", "48"}
    targets = {r.target for r in parsed.rows}
    assert {f"{n} wk ahead {k} death" for n in range(1, 5) for k in ("inc", "cum")} <= targets
    per_target = [
        r for r in parsed.rows if r.target == "1 wk ahead inc death" and r.location == "36"
    ]
    assert len(per_target) == 24  # 23 quantiles and the point
    from app.db.session import unit_of_work
    from app.services.scores import score_pending

    with unit_of_work(session_factory) as session:
        score_pending(session)
        models = set(session.scalars(select(Score.model)))
    assert models == {"seircast", "seircast-baseline"}  # truth to 2020-06-30 is in the data
    body = client.get("/evaluations").json()
    assert body["baseline"] == "seircast-baseline" and body["forecasts"] > 0
    assert {s["model"] for s in body["overall"]} == {"seircast", "seircast-baseline"}
