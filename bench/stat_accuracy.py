# ruff: noqa: E402
"""Development-window accuracy of the ETS component (``app.core.stat_model``) next to the
hub baseline (``baseline_paths``), both from the same reported deaths.

Run: ``.venv/bin/python bench/stat_accuracy.py [--stride 4]``.

51 states x every ``stride``-th forecast Monday of the five development windows
(2020-05-04 .. 2022-06-27, ``_ensemble.WINDOWS``; every later date and every non-US region
is held out: never score them here). For each Monday M the as-reported JHU daily file is cut
before M; both components turn the same ``History`` into 2,000 daily paths; the epiweek
totals 1-4 weeks ahead (with Sunday M-1, already reported) give the 23 quantile levels,
scored (WIS) against the final JHU weekly truth. Prints the mean WIS by window and
horizon, and the relative WIS (ETS / baseline), and the time per ``stat_paths`` call.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import time
from collections.abc import Callable
from datetime import date

import numpy as np
from _data import STATES_51, stitched, weekly_truth
from _ensemble import WINDOWS, window_mondays, window_of

from app.core.ensemble_model import baseline_paths
from app.core.epiweeks import hub_target_end_date
from app.core.scoring import relative_wis, weighted_interval_score
from app.core.seir import QUANTILE_LEVELS
from app.core.seir.forecast import History
from app.core.stat_model import stat_paths
from app.core.types import FloatArray

HORIZONS = (1, 2, 3, 4)
N_PATHS = 2000
Paths = Callable[[History, date, int, int, int], FloatArray]
COMPONENTS: dict[str, Paths] = {"ets": stat_paths, "baseline": baseline_paths}


def daily_by_state() -> dict[str, tuple[date, FloatArray]]:
    """Start date and daily reported deaths (differences of cum_deaths) of the 51 states."""
    frame = stitched()
    out = {}
    for fips in STATES_51:
        rows = frame[frame.location == fips].sort_values("date")
        cumulative = np.nan_to_num(rows.cum_deaths.to_numpy(np.float64))
        out[fips] = (date.fromisoformat(rows.date.iloc[0]), np.diff(cumulative, prepend=0.0))
    return out


def weekly_quantiles(paths: FloatArray, sunday: float) -> FloatArray:
    """Quantiles (4, 23) of the epiweeks 1-4 ahead of a Monday from its daily paths."""
    totals = [paths[:6].sum(axis=0) + sunday]
    totals += [paths[6 + 7 * k : 13 + 7 * k].sum(axis=0) for k in range(3)]
    result: FloatArray = np.quantile(np.array(totals), QUANTILE_LEVELS, axis=1).T
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stride", type=int, default=4, help="every n-th Monday")
    args = parser.parse_args()
    truth_frame = weekly_truth()
    truth = {
        (loc, end): float(v)
        for loc, end, v in zip(
            truth_frame.location, truth_frame.week_end_date, truth_frame.inc_deaths, strict=True
        )
    }
    series = daily_by_state()
    wis: dict[tuple[str, str, int], list[float]] = {}
    seconds, calls = 0.0, 0
    for monday in window_mondays(args.stride):
        window = window_of(monday.isoformat()) or "?"
        for fips, (start, daily) in series.items():
            reported = daily[: (monday - start).days]
            history = History(reported, float(reported.sum()))
            for name, make in COMPONENTS.items():
                began = time.perf_counter()
                paths = make(history, monday, 28, N_PATHS, 0)
                if name == "ets":
                    seconds, calls = seconds + time.perf_counter() - began, calls + 1
                q = weekly_quantiles(paths, float(reported[-1]))
                for i, h in enumerate(HORIZONS):
                    y = truth[(fips, hub_target_end_date(monday, h).isoformat())]
                    score = weighted_interval_score(np.array([y]), QUANTILE_LEVELS, q[i : i + 1])
                    wis.setdefault((name, window, h), []).append(float(score[0]))
    report(wis)
    print(f"stat_paths: {1e3 * seconds / calls:.1f} ms per call ({calls} calls)")


def report(wis: dict[tuple[str, str, int], list[float]]) -> None:
    """Mean WIS per window (all horizons) and per horizon, and the relative WIS."""
    groups: list[tuple[str, tuple[int, ...]]] = [(w, HORIZONS) for w, _, _ in WINDOWS]
    groups += [("all", HORIZONS)]
    groups += [(f"all {h} wk", (h,)) for h in HORIZONS]
    print(f"{'rows':<14}{'n':>6}{'ets':>10}{'baseline':>10}{'rel WIS':>9}")
    for label, hs in groups:
        windows = [w for w, _, _ in WINDOWS] if label.startswith("all") else [label]
        ets = np.array([s for w in windows for h in hs for s in wis.get(("ets", w, h), [])])
        base = np.array([s for w in windows for h in hs for s in wis.get(("baseline", w, h), [])])
        if ets.size:
            rel = relative_wis(ets, base)
            print(f"{label:<14}{ets.size:>6}{ets.mean():>10.1f}{base.mean():>10.1f}{rel:>9.3f}")


if __name__ == "__main__":
    main()
