# ruff: noqa: E402
"""Backtest: 51 states x forecast Mondays 2020-05-04 .. 2020-08-31, weekly incident deaths.

Run: ``.venv/bin/python bench/accuracy.py [--stride 2] [--noise 0:none 0.03:20 ...]``.

For every Monday M and state, the as-reported JHU daily file is cut before M (last
observation: Sunday M-1), the default grid is fitted and 1-4 week ahead epiweek incident
deaths are forecast. Scores use the 5 levels the peers have (0.025, 0.25, 0.5, 0.75, 0.975)
against the final JHU weekly truth, next to COVIDhub-baseline, COVIDhub-ensemble and
YYG-ParamSearch on the same (location, target_end_date) rows (their reference_date is the
Saturday before M). Several forecast-noise settings (``drift_sd:nb_dispersion``) are scored
from the same fits. WIS, coverage and relative WIS come from ``app.core.scoring``.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
from _data import STATES_51, peer_forecasts, series, weekly_truth

from app.core.epiweeks import hub_target_end_date
from app.core.scoring import interval_coverage, relative_wis, weighted_interval_score
from app.core.seir import QUANTILE_LEVELS, FitSettings, fit, forecast
from app.core.seir.regions import FIPS_TO_CODE, region_constants_for
from app.core.types import FloatArray

LEVELS: FloatArray = np.array([0.025, 0.25, 0.5, 0.75, 0.975])
LEVEL_COLUMNS = [int(np.argmin(np.abs(QUANTILE_LEVELS - q))) for q in LEVELS]
MONDAYS = tuple(date(2020, 5, 4) + timedelta(days=7 * i) for i in range(18))
PEERS = ("COVIDhub-baseline", "COVIDhub-ensemble", "YYG-ParamSearch")
HORIZONS = (1, 2, 3, 4)
DEFAULTS = FitSettings()


@dataclass(frozen=True)
class Job:
    """One fit: a state on a forecast Monday, scored under several noise settings."""

    monday: date
    fips: str
    settings: FitSettings
    noises: tuple[tuple[float, float | None], ...]


def run_job(job: Job) -> list[tuple[object, ...]]:
    """Rows (noise index, monday, fips, horizon, target_end_date, 5 quantiles)."""
    code = FIPS_TO_CODE[job.fips]
    obs = series(job.fips, job.monday)
    constants = region_constants_for(code, first_death=obs.first_death())
    result = fit(obs.cumulative, obs.start_date, constants, None, job.settings, region=code)
    rows: list[tuple[object, ...]] = []
    for k, (drift, nb) in enumerate(job.noises):
        noisy = replace(result, settings=replace(job.settings, drift_sd=drift, nb_dispersion=nb))
        fc = forecast(noisy, 28)
        for w in HORIZONS:
            end = hub_target_end_date(job.monday, w)
            week = fc.week_end_dates.index(end)
            q = fc.weekly_deaths[week, LEVEL_COLUMNS]
            rows.append((k, job.monday.isoformat(), job.fips, w, end.isoformat(), *q))
    return rows


def peer_table() -> pd.DataFrame:
    """Peers' 5 quantiles keyed by (model, monday, location, target_end_date)."""
    frames = []
    for model in PEERS:
        df = peer_forecasts(model)
        df = df[df.location.isin(STATES_51)]
        df["monday"] = (pd.to_datetime(df.reference_date) + pd.Timedelta(days=2)).dt.strftime(
            "%Y-%m-%d"
        )
        df = df[df.monday.isin([m.isoformat() for m in MONDAYS])]
        wide = df.pivot_table(
            index=["monday", "location", "target_end_date"], columns="quantile", values="value"
        ).reset_index()
        wide["model"] = model
        frames.append(wide)
    return pd.concat(frames, ignore_index=True)


def score(name: str, y: FloatArray, q: FloatArray, base: FloatArray) -> str:
    """One table line: WIS, relative WIS vs baseline, coverage, median absolute error."""
    wis = weighted_interval_score(y, LEVELS, q)
    rel = relative_wis(wis, weighted_interval_score(y, LEVELS, base))
    c50 = interval_coverage(y, LEVELS, q, 0.5).mean()
    c95 = interval_coverage(y, LEVELS, q, 0.95).mean()
    mae = np.abs(y - q[:, 2]).mean()
    bias = (q[:, 2] - y).mean()
    return (
        f"{name:<28}{y.size:>6}{wis.mean():>9.1f}{rel:>8.3f}{c50:>7.2f}{c95:>7.2f}"
        f"{mae:>9.1f}{bias:>8.1f}"
    )


def ours_frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    cols = ["noise", "monday", "location", "horizon", "target_end_date", *map(str, LEVELS)]
    return pd.DataFrame(rows, columns=cols)


def print_tables(ours: pd.DataFrame, noises: list[tuple[float, float | None]]) -> None:
    """For each noise setting: our scores next to each peer on the rows both have."""
    truth = weekly_truth().rename(columns={"week_end_date": "target_end_date"})
    truth = truth[["location", "target_end_date", "inc_deaths"]]
    peers = peer_table()
    key = ["monday", "location", "target_end_date"]
    qcols = [str(q) for q in LEVELS]
    base = peers[peers.model == PEERS[0]].rename(columns={q: f"b{q}" for q in LEVELS})
    head = (
        f"{'model':<28}{'n':>6}{'WIS':>9}{'relWIS':>8}{'cov50':>7}{'cov95':>7}{'MAE':>9}{'bias':>8}"
    )
    for k, (drift, nb) in enumerate(noises):
        mine = ours[ours.noise == k].merge(truth, on=["location", "target_end_date"])
        mine = mine.merge(base, on=key)
        print(f"\n=== noise drift_sd={drift} nb_dispersion={nb} ===")
        for peer in PEERS:
            other = peers[peers.model == peer].rename(columns={q: f"p{q}" for q in LEVELS})
            both = mine.merge(other, on=key)
            y = both.inc_deaths.to_numpy(np.float64)
            b = both[[f"b{q}" for q in LEVELS]].to_numpy(np.float64)
            print(f"--- rows where {peer} has a forecast ---\n{head}")
            print(score("seircast " + "yyg-2020.1", y, both[qcols].to_numpy(np.float64), b))
            print(score(peer, y, both[[f"p{q}" for q in LEVELS]].to_numpy(np.float64), b))


def parse_noise(text: str) -> tuple[float, float | None]:
    drift, nb = text.split(":")
    return float(drift), None if nb == "none" else float(nb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stride", type=int, default=1, help="use every n-th Monday")
    parser.add_argument("--noise", nargs="+", default=["0:none", "0.03:none", "0.03:10"])
    parser.add_argument("--decay", type=float, default=DEFAULTS.recency_decay)
    parser.add_argument("--min-weight", type=float, default=DEFAULTS.min_recency_weight)
    parser.add_argument("--keep", type=float, default=DEFAULTS.keep_fraction)
    parser.add_argument("--power", type=float, default=DEFAULTS.weight_power)
    parser.add_argument("--window", type=int, default=None, help="fit window, days")
    parser.add_argument("--region-centres", action="store_true", help="hindsight centres")
    parser.add_argument("--no-calibration", action="store_true")
    parser.add_argument("--skip-last", type=int, default=DEFAULTS.skip_last_days)
    args = parser.parse_args()
    settings = FitSettings(
        recency_decay=args.decay,
        min_recency_weight=args.min_weight,
        keep_fraction=args.keep,
        weight_power=args.power,
        fit_window_days=args.window,
        horizon_days=35,
    )
    noises = [parse_noise(n) for n in args.noise]
    jobs = [Job(m, f, settings, tuple(noises)) for m in MONDAYS[:: args.stride] for f in STATES_51]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = [r for chunk in pool.map(run_job, jobs, chunksize=4) for r in chunk]
    print(f"{len(jobs)} fits in {time.perf_counter() - start:.0f} s on 2 processes; {settings}")
    print_tables(ours_frame(rows), noises)


if __name__ == "__main__":
    main()
