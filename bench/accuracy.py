# ruff: noqa: E402
"""Backtest: 51 states x forecast Mondays 2020-05-04 .. 2020-08-31, weekly incident deaths.

Run: ``.venv/bin/python bench/accuracy.py [--stride 2] [--cache /tmp/acc.pkl] [--blend ...]``.
``--first 2020-09-07 --weeks 17`` scores other Mondays. ``--windows`` scores the five
half-year windows of forecast Mondays 2020-05-04 .. 2022-06-27 (the development period of
docs/MODEL.md; every later date and every non-US region is held out: never score them here)
and prints, per window, ``auto`` (what the service serves: the 2020 model to 2020-06-30,
after it ``ensemble.5``, seircast-ensemble.5 learning from its own forecasts from
2020-07-06 on), each of its components and COVIDhub-ensemble. ``ensemble.5`` runs
``app.core.online_ensemble.plan`` on each Monday M (``bench/_ensemble.py``): the components'
forecasts of the weeks before M whose week ended by M-2, against the deaths reported by M;
``--shrink``, ``--lookback``, ``--min-rows``, ``--prior``, ``--no-calibrate`` change it.

For every Monday M and state, the as-reported JHU daily file is cut before M (last
observation: Sunday M-1) and 1-4 week ahead epiweek incident deaths are forecast by several
components from the same data: seircast-ensemble.5's six (``app.core.learned_model.
component_forecasts`` with its sampling: ``yyg``, the 2020 model on the 1,350-set grid with
the case signal; ``rt``, ``rt-deaths`` and ``rt-cases``, ``fit_rt`` with half, none and all of
the case signal; ``stat``, ETS on the weekly deaths; ``baseline``, the hub baseline on the
weekly sums of the same data), ``yyg-2020`` (the full 16,200-set fit the service serves to
June 2020), ``yyg-deaths`` and ``yyg-plain`` (that fit without the case signal; from the 2020
model's own trajectories: no level anchor, no trend damping), ``blend``
(seircast-ensemble.2) and ``hub-baseline`` (``app.core.baseline`` with 10,000 samples).
Blends ``name=comp:weight,comp:weight`` average the components' quantiles
(Vincentisation). Scores use the 5 levels the peers have (0.025, 0.25, 0.5, 0.75, 0.975)
against the final JHU weekly truth, next to COVIDhub-baseline, COVIDhub-ensemble and
YYG-ParamSearch on the same (location, target_end_date) rows (their reference_date is the
Saturday before M). WIS, coverage and relative WIS come from ``app.core.scoring``.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import pickle
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from _data import STATES_51, case_series, peer_forecasts, series, weekly_truth
from _ensemble import (
    AUTO_FIRST_LEARNED,
    WINDOWS,
    learned_ensemble,
    window_mondays,
    window_of,
    with_auto,
)

from app.core.baseline import baseline_quantiles
from app.core.blend_model import blend_forecast
from app.core.ensemble_model import run_ensemble
from app.core.epiweeks import hub_target_end_date
from app.core.hubtypes import QUANTILES_5
from app.core.learned_model import (
    COMPONENTS,
    LearnedSettings,
    component_fits,
    component_forecasts,
)
from app.core.online_ensemble import OnlineSettings
from app.core.scoring import interval_coverage, relative_wis, weighted_interval_score
from app.core.seir import QUANTILE_LEVELS, FitSettings, Forecast, fit, forecast
from app.core.seir.regions import FIPS_TO_CODE, region_constants_for
from app.core.seir.yyg.search_space import DEFAULT_VALUES
from app.core.types import FloatArray

LEVELS: FloatArray = np.array(QUANTILES_5)
LEVEL_COLUMNS = [int(np.argmin(np.abs(QUANTILE_LEVELS - q))) for q in LEVELS]
TUNING_START, TUNING_WEEKS = date(2020, 5, 4), 18  # 2020-05-04 .. 2020-08-31


def mondays(first: date, weeks: int) -> tuple[date, ...]:
    return tuple(first + timedelta(days=7 * i) for i in range(weeks))


PEERS = ("COVIDhub-baseline", "COVIDhub-ensemble", "YYG-ParamSearch")
HORIZONS = (1, 2, 3, 4)
QCOLS = [str(q) for q in LEVELS]


@dataclass(frozen=True)
class Job:
    """One state on a forecast Monday."""

    monday: date
    fips: str
    settings: FitSettings
    variants: tuple[str, ...] = ()
    ensemble: bool = False


def weekly_observed(cumulative: FloatArray, start: date, monday: date) -> FloatArray:
    """Weekly incident deaths of the complete epiweeks before ``monday`` (ending M-2)."""
    daily = np.diff(np.nan_to_num(cumulative), prepend=0.0)
    end = (monday - timedelta(days=2) - start).days  # index of the last Saturday
    n_weeks = (end + 1) // 7
    first = end + 1 - 7 * n_weeks
    weekly: FloatArray = daily[first : end + 1].reshape(n_weeks, 7).sum(axis=1)
    return weekly


def run_job(job: Job) -> list[tuple[object, ...]]:
    """Rows (component, monday, fips, horizon, target_end_date, 5 quantiles)."""
    code = FIPS_TO_CODE[job.fips]
    obs = series(job.fips, job.monday)
    constants = region_constants_for(code, first_death=obs.first_death())
    s = job.settings
    comps: dict[str, FloatArray] = {}
    result = fit(obs.cumulative, obs.start_date, constants, None, s, region=code)
    cases = case_series(job.fips, job.monday)
    plain = replace(s, anchor_days=0, trend_power=1.0)  # the 2020 model's own trajectories
    learned = LearnedSettings()
    small, rt = component_fits(obs.cumulative, obs.start_date, constants, s, learned, region=code)
    for name, part in component_forecasts(small, rt, 28, cases, learned).items():
        comps[name] = _weeks(part, job)  # seircast-ensemble.5's components
    variants = [
        ("yyg-2020", result),
        ("yyg-deaths", replace(result, settings=replace(s, case_weight=0.0))),
        ("yyg-plain", replace(result, settings=plain)),
    ]
    for spec in job.variants:
        name, kv = spec.split("=")
        kw = {k: _typed(s, k, v) for k, v in (p.split(":") for p in kv.split(","))}
        variants.append((name, replace(result, settings=replace(s, **kw))))
    for name, res in variants:
        comps[name] = _weeks(forecast(res, 28, None if name == "yyg-plain" else cases), job)
    served_rt = replace(rt, settings=replace(rt.settings, n_samples=s.n_samples))
    comps["blend"] = _weeks(blend_forecast(served_rt, 28, cases), job)  # seircast-ensemble.2
    if job.ensemble:
        fc = run_ensemble(obs.cumulative, obs.start_date, constants, s, cases, 28).forecast
        comps["ensemble-model"] = _weeks(fc, job)
    weekly = weekly_observed(obs.cumulative, obs.start_date, job.monday)  # the hub's, 10,000
    comps["hub-baseline"] = baseline_quantiles(weekly, LEVELS, len(HORIZONS), num_samples=10_000)
    rows: list[tuple[object, ...]] = []
    for name, q in comps.items():
        for i, w in enumerate(HORIZONS):
            end = hub_target_end_date(job.monday, w)
            rows.append((name, job.monday.isoformat(), job.fips, w, end.isoformat(), *q[i]))
    return rows


def _weeks(fc: Forecast, job: Job) -> FloatArray:
    """The 5 levels of the 1-4 week ahead epiweeks of ``job.monday``."""
    weeks = [fc.week_end_dates.index(hub_target_end_date(job.monday, w)) for w in HORIZONS]
    return fc.weekly_deaths[np.ix_(weeks, LEVEL_COLUMNS)]


def _typed(settings: FitSettings, name: str, text: str) -> Any:
    """A setting's value from text, typed like its current value (float for None)."""
    current = getattr(settings, name)
    return float(text) if current is None else type(current)(text)


def peer_table(monday_dates: set[str]) -> pd.DataFrame:
    """Peers' 5 quantiles keyed by (model, monday, location, target_end_date)."""
    frames = []
    for model in PEERS:
        df = peer_forecasts(model)
        df = df[df.location.isin(STATES_51)]
        df["monday"] = (pd.to_datetime(df.reference_date) + pd.Timedelta(days=2)).dt.strftime(
            "%Y-%m-%d"
        )
        df = df[df.monday.isin(monday_dates)]
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


def blends(ours: pd.DataFrame, specs: list[str]) -> pd.DataFrame:
    """Add quantile-averaged blends ``name=comp:weight,...`` as new components."""
    key = ["monday", "location", "horizon", "target_end_date"]
    wide = {c: g.set_index(key)[QCOLS] for c, g in ours.groupby("component")}
    frames = [ours]
    for spec in specs:
        name, parts = spec.split("=")
        total: pd.DataFrame | None = None
        for part in parts.split(","):
            comp, weight = part.split(":")
            term = wide[comp] * float(weight)
            total = term if total is None else total + term
        assert total is not None
        frames.append(total.reset_index().assign(component=name))
    return pd.concat(frames, ignore_index=True)


HEAD = f"{'model':<28}{'n':>6}{'WIS':>9}{'relWIS':>8}{'cov50':>7}{'cov95':>7}{'MAE':>9}{'bias':>8}"


def _peer(peers: pd.DataFrame, model: str, prefix: str) -> pd.DataFrame:
    return peers[peers.model == model].rename(columns={q: f"{prefix}{q}" for q in LEVELS})


def _print_block(ours: pd.DataFrame, components: list[str], peers: pd.DataFrame, peer: str) -> None:
    """Each component and ``peer`` on the rows where both (and COVIDhub-baseline) forecast."""
    truth = weekly_truth().rename(columns={"week_end_date": "target_end_date"})
    truth = truth[["location", "target_end_date", "inc_deaths"]]
    key = ["monday", "location", "target_end_date"]
    base, other = _peer(peers, PEERS[0], "b"), _peer(peers, peer, "p")
    both = pd.DataFrame()
    for comp in components:
        mine = ours[ours.component == comp].merge(truth, on=["location", "target_end_date"])
        both = mine.merge(base, on=key).merge(other, on=key)
        if both.empty:
            continue
        b = both[[f"b{q}" for q in LEVELS]].to_numpy(np.float64)
        y = both.inc_deaths.to_numpy(np.float64)
        print(score(f"seircast {comp}", y, both[QCOLS].to_numpy(np.float64), b))
    if not both.empty:
        b = both[[f"b{q}" for q in LEVELS]].to_numpy(np.float64)
        y = both.inc_deaths.to_numpy(np.float64)
        print(score(peer, y, both[[f"p{q}" for q in LEVELS]].to_numpy(np.float64), b))


def print_tables(ours: pd.DataFrame, components: list[str]) -> None:
    """Each component next to each peer on the rows both have."""
    peers = peer_table(set(ours.monday))
    for peer in PEERS:
        print(f"\n--- rows where {peer} has a forecast ---\n{HEAD}")
        _print_block(ours, components, peers, peer)


def print_windows(ours: pd.DataFrame, components: list[str]) -> None:
    """Each half-year window: every component on the rows COVIDhub-ensemble also forecast."""
    peers = peer_table(set(ours.monday))
    windows = ours.monday.map(window_of)
    for name, _, _ in WINDOWS:
        print(f"\n--- {name}: rows where {PEERS[1]} has a forecast ---\n{HEAD}")
        _print_block(ours[windows == name], components, peers, PEERS[1])


def compute(
    dates: tuple[date, ...],
    stride: int,
    settings: FitSettings,
    variants: tuple[str, ...],
    ensemble: bool = False,
) -> pd.DataFrame:
    """All component forecasts (2 processes)."""
    jobs = [Job(m, f, settings, variants, ensemble) for m in dates[::stride] for f in STATES_51]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = [r for chunk in pool.map(run_job, jobs, chunksize=4) for r in chunk]
    print(f"{len(jobs)} fits in {time.perf_counter() - start:.0f} s on 2 processes; {settings}")
    cols = ["component", "monday", "location", "horizon", "target_end_date", *QCOLS]
    return pd.DataFrame(rows, columns=cols)


def main() -> None:
    defaults = FitSettings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stride", type=int, default=1, help="use every n-th Monday")
    parser.add_argument("--cache", type=Path, default=None, help="reuse/save the forecasts")
    parser.add_argument("--blend", nargs="*", default=[], help="name=comp:w,comp:w")
    parser.add_argument(
        "--variant", nargs="*", default=[], help="name=setting:value,... applied at forecast"
    )
    parser.add_argument("--drift", type=float, default=defaults.drift_sd)
    parser.add_argument("--nb", type=float, default=defaults.nb_dispersion)
    parser.add_argument("--decay", type=float, default=defaults.recency_decay)
    parser.add_argument("--set", nargs="*", default=[], help="fit setting:value ...")
    parser.add_argument(
        "--windows", action="store_true", help="the five half-year windows 2020-05..2022-06"
    )
    parser.add_argument(
        "--ensemble-model", action="store_true", help="also run seircast-ensemble.1 (slow)"
    )
    online = LearnedSettings().online
    parser.add_argument("--lookback", type=int, default=online.lookback_weeks, help="weeks")
    parser.add_argument("--shrink", type=int, default=online.shrink_rows, help="shrink rows")
    parser.add_argument("--min-rows", type=int, default=online.min_rows)
    parser.add_argument("--no-calibrate", action="store_true")
    parser.add_argument("--prior", default="", help="comp:w,comp:w (default PRIOR)")
    parser.add_argument("--first", type=date.fromisoformat, default=TUNING_START)
    parser.add_argument("--weeks", type=int, default=TUNING_WEEKS)
    args = parser.parse_args()
    settings = replace(
        defaults,
        drift_sd=args.drift,
        nb_dispersion=args.nb if args.nb > 0 else None,
        recency_decay=args.decay,
        horizon_days=35,
    )
    for item in args.set:
        k, v = item.split(":")
        if k in DEFAULT_VALUES:  # a grid axis: name:v1/v2/...
            axes = dict(settings.grid_values or ())
            axes[k] = tuple(float(x) for x in v.split("/"))
            settings = replace(settings, grid_values=tuple(sorted(axes.items())))
        else:
            settings = replace(settings, **{k: type(getattr(settings, k))(v)})
    if args.cache is not None and args.cache.exists():
        ours = pickle.loads(args.cache.read_bytes())
    else:
        if args.windows:
            ours = compute(
                window_mondays(args.stride), 1, settings, tuple(args.variant), args.ensemble_model
            )
        else:
            ours = compute(
                mondays(args.first, args.weeks), args.stride, settings, tuple(args.variant)
            )
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(ours))
    if args.windows:
        prior = dict((c, float(w)) for c, w in (p.split(":") for p in args.prior.split(",") if p))
        online = OnlineSettings(
            prior=prior or online.prior,
            min_rows=args.min_rows,
            shrink_rows=args.shrink,
            calibrate=not args.no_calibrate,
            lookback_weeks=args.lookback,
        )
        learned, weights = learned_ensemble(ours, QCOLS, LEVELS, online, since=AUTO_FIRST_LEARNED)
        ours = blends(with_auto(pd.concat([ours, learned], ignore_index=True)), args.blend)
        print(f"{online}\nensemble.5 weights by Monday:")
        for monday, w in weights.items():
            print(f"  {monday} " + " ".join(f"{c} {v:.2f}" for c, v in w.items()))
        shown = ["ensemble-model"] if args.ensemble_model else []
        extra = [b.split("=")[0] for b in args.blend]
        print_windows(ours, ["auto", *COMPONENTS, *shown, *extra, "blend", "yyg-plain"])
        return
    ours = blends(ours, args.blend)
    print_tables(ours, list(dict.fromkeys(ours.component)))


if __name__ == "__main__":
    main()
