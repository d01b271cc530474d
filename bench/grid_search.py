# ruff: noqa: E402
"""Grid-search benchmark: vectorised simulator vs a per-set Python loop, fit time, memory.

Run: ``.venv/bin/python bench/grid_search.py``. Prints figures; never asserts on time.

1. Simulations/second on one core for the 16,200-set default grid of New York
   (2020-02-16 .. 2020-11-01, 260 days), next to a straightforward per-set Python loop of the
   same model (a few hundred sets, extrapolated; the original runs ~224-250 sets/s).
2. Wall time of a full fit (16,200 sets: simulation, loss, selection, re-simulation of the
   kept sets) plus the forecast quantiles, and its peak traced memory.
3. The 56 US regions fitted and forecast with a 2-process pool.
4. One region's fit + forecast by each served model on data to 2022-06-26 (NY): the rt model
   alone (what ``auto`` fitted for 2021-22 data when issue 10 was filed), the rt model pooled
   with the baseline (``seircast-ensemble.2``, ``auto`` until this change) and the learning
   ensemble (``seircast-ensemble.5``, ``auto`` from July 2020 now: six components), with the
   ratios.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core per process; must precede the numpy import

import math
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta

import numpy as np
from _data import Series, case_series, series

from app.core.blend_model import MODEL_BLEND, blend_forecast
from app.core.learned_model import MODEL_LEARNED, run_learned
from app.core.seir import (
    MODEL_RT,
    MODEL_YYG_2020,
    FitSettings,
    Forecast,
    RegionConstants,
    fit,
    fit_rt,
    forecast,
    region_constants_for,
)
from app.core.seir import kernels as kn
from app.core.seir.params import ParamBatch
from app.core.seir.regions import REGIONS
from app.core.seir.yyg import default_grid
from app.core.seir.yyg.search_space import inflection_candidates
from app.core.seir.yyg.simulator import simulate_reported_deaths
from app.core.types import FloatArray

FIRST_DATE = date(2020, 2, 16)
END_DATE = date(2020, 11, 1)
N_LOOP_SETS = 300


def best_of(repeats: int, func: Callable[[], object]) -> float:
    """Smallest wall time of ``repeats`` calls, seconds."""
    return min(times_of(repeats, func))


def times_of(repeats: int, func: Callable[[], object]) -> list[float]:
    """Wall times of ``repeats`` calls, seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def loop_r(p: dict[str, float], c: RegionConstants, n: int) -> list[float]:
    """R_t of one set, day by day as in the original's build_r_0_arr."""

    def sig(x: float, centre: float, rate: float, low: float, high: float) -> float:
        z = math.exp(-rate * (x - centre))
        return (low - high) * z / (1 + z) + high

    reopen = c.day_index(c.reopen_date) + int(p["reopen_shift_days"]) + 15
    infl = int(p["inflection_idx"])
    k = int(np.rint(6 / p["reopen_inflection"]))
    lr, lf = p["lockdown_r0"], p["lockdown_fatigue"]
    reopen_r = max(lr, p["reopen_r"]) if lr < 1 else p["reopen_r"]
    post_r = min(reopen_r, p["post_reopen_equilibrium_r"])
    fall = c.day_index(c.fall_start) if c.fall_start else n
    r = [p["initial_r0"]]
    for x in range(1, n):
        if x < (infl + reopen) // 2:
            rt = sig(x, infl, p["rate_of_inflection"], p["initial_r0"], lr)
            if abs(lf - 1) > 1e-9:
                rt *= 1 + sig(x, infl + 28, 0.2, 0, lf - 1)
        elif x > reopen + k:
            rt = sig(x, reopen + 2 * k, p["reopen_inflection"], reopen_r, post_r)
        else:
            rt = sig(x, reopen, p["reopen_inflection"], lr * lf, reopen_r)
        if x > fall:
            rt *= max(0.9, min(1.35, p["fall_r_multiplier"] ** (x - fall)))
        r.append(rt)
    return r


def loop_simulate(p: dict[str, float], c: RegionConstants, n: int) -> FloatArray:
    """Reported deaths of one set with per-day Python loops (the original's structure)."""
    r = loop_r(p, c, n)
    inf = np.zeros(n)
    g_rev = kn.GENERATION_KERNEL[::-1]
    n_imp = n - 10 - (n - min(n, 100)) + 1
    for i in range(n):
        if i < 9:
            inf[i] = p["daily_imports"]
            continue
        old = inf[: max(0, i - 180)].sum()
        frac = min(1.0, (0.5 * old + inf[max(0, i - 180) : i - 1].sum()) / c.population)
        imports = p["daily_imports"] * (1 - min(1, max(0, i - 9) / n_imp))
        imports = max(imports, min(10, 0.1 * p["daily_imports"]))
        inf[i] = r[i] * (1 - frac) ** c.immunity_mult * (inf[i - 8 : i - 1] * g_rev).sum() + imports
    reopen = c.day_index(c.reopen_date) + int(p["reopen_shift_days"]) + 15
    ifr_fall = c.day_index(c.ifr_fall_start) if c.ifr_fall_start else n
    reported = np.zeros(n)
    for t in range(15, n):
        after = max(0, min(30, t - (reopen + 11)))
        mult = max(c.ifr_min_mult, 0.995 ** max(0, max(0, t - 30) - after) * 0.975**after)
        mult *= 1.002 ** max(0, t - ifr_fall)
        ifr = max(c.min_ifr, p["mortality_rate"] * mult)
        lo = max(0, t - 29)
        window = inf[lo : t - 14] * kn.DEATH_KERNEL[::-1][lo - (t - 29) :]
        detected = ifr * window.sum() * (1 - max(0.05, 1 - 0.95 / 60 * t))
        m = min(31, n - t)
        reported[t : t + m] += kn.REPORTING_KERNEL[:m] * detected
    return reported


def _fit_region(args: tuple[str, Series]) -> tuple[str, float]:
    code, obs = args
    constants = region_constants_for(code, first_death=obs.first_death())
    fit_result = fit(obs.cumulative, obs.start_date, constants, region=code)
    fc: Forecast = forecast(fit_result)
    return code, float(fc.weekly_deaths_mean[0])


def bench_simulation(batch: ParamBatch, constants: RegionConstants, n_days: int) -> float:
    """Vectorised sets/second (best of 3) after checking it against the loop."""
    times = times_of(7, lambda: simulate_reported_deaths(batch, constants, n_days))
    seconds = statistics.median(times)
    rate = batch.n_sets / seconds
    print(
        f"vectorised simulate: {batch.n_sets:,} sets x {n_days} days in {seconds:.3f} s "
        f"(median of 7; best {min(times):.3f} s) = {rate:,.0f} sets/s (one core)"
    )
    return rate


def bench_loop(batch: ParamBatch, constants: RegionConstants, n_days: int) -> float:
    """Per-set loop sets/second on N_LOOP_SETS sets; checks agreement with the vector code."""
    sub = batch.take(np.arange(N_LOOP_SETS))
    columns = sub.as_dict()
    sets = [{k: float(v[j]) for k, v in columns.items()} for j in range(N_LOOP_SETS)]
    start = time.perf_counter()
    loop_out = np.stack([loop_simulate(p, constants, n_days) for p in sets], axis=1)
    seconds = time.perf_counter() - start
    vec_out, _ = simulate_reported_deaths(sub, constants, n_days)
    diff = np.max(np.abs(loop_out - vec_out) / np.maximum(np.abs(vec_out), 1e-9))
    rate = N_LOOP_SETS / seconds
    print(
        f"per-set python loop: {N_LOOP_SETS} sets in {seconds:.2f} s = {rate:,.0f} sets/s "
        f"(16,200 sets: {batch.n_sets / rate:.0f} s); max rel diff vs vectorised {diff:.1e}"
    )
    return rate


def bench_fit(code: str, obs: Series) -> None:
    """Wall time and peak memory of a full default-grid fit plus forecast quantiles."""
    constants = region_constants_for(code, first_date=FIRST_DATE)

    def run() -> Forecast:
        return forecast(fit(obs.cumulative, obs.start_date, constants, region=code))

    times = times_of(7, run)
    seconds = statistics.median(times)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"full fit + forecast ({code}, 16,200 sets, data to {END_DATE}): {seconds:.3f} s "
        f"(median of 7; best {min(times):.3f} s); "
        f"peak traced memory {peak / 2**20:.0f} MB, max RSS {rss:.0f} MB"
    )


def bench_regions(before: date) -> None:
    """All 56 regions of the table fitted and forecast with a 2-process pool."""
    jobs = [(code, series(row.fips, before)) for code, row in REGIONS.items()]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_fit_region, jobs))
    seconds = time.perf_counter() - start
    print(
        f"{len(results)} regions fitted + forecast on 2 processes: {seconds:.1f} s "
        f"(data to {before - timedelta(days=1)})"
    )


def bench_served(code: str, before: date) -> None:
    """Median of 5 fit + forecast times of the served models on one region's data."""
    obs = series(REGIONS[code].fips, before)
    constants = region_constants_for(code, first_death=obs.first_death())
    cases = case_series(REGIONS[code].fips, before)
    s = FitSettings()
    runs: dict[str, Callable[[], object]] = {
        MODEL_RT: lambda: forecast(fit_rt(obs.cumulative, obs.start_date, constants, s), 62, cases),
        MODEL_BLEND: lambda: blend_forecast(
            fit_rt(obs.cumulative, obs.start_date, constants, s), 62, cases
        ),
        MODEL_LEARNED: lambda: run_learned(
            obs.cumulative, obs.start_date, constants, s, cases, 62, None, region=code
        ),
        f"{MODEL_YYG_2020} (16,200 sets)": lambda: forecast(
            fit(obs.cumulative, obs.start_date, constants, None, s, region=code), 62, cases
        ),
    }
    seconds = {name: statistics.median(times_of(5, run)) for name, run in runs.items()}
    base = seconds[MODEL_RT]
    for name, t in seconds.items():
        print(f"{code} to {before - timedelta(days=1)}, {name}: {t:.3f} s ({t / base:.1f}x rt)")


def main() -> None:
    print(
        f"numpy {np.__version__}; BLAS threads forced to 1 "
        f"(OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']})"
    )
    obs = series("36", END_DATE + timedelta(days=1))
    constants = region_constants_for("NY", first_date=FIRST_DATE)
    n_days = (END_DATE - FIRST_DATE).days + 1
    cleaned_days = inflection_candidates(
        np.diff(obs.cumulative, prepend=0.0), obs.start_date, FIRST_DATE
    )
    grid = default_grid("NY", constants.population, cleaned_days)
    batch = grid.batch(constants)
    vec = bench_simulation(batch, constants, n_days)
    loop = bench_loop(batch, constants, n_days)
    print(
        f"speed-up vs per-set loop: {vec / loop:,.0f}x; vs the original's ~237 sets/s: "
        f"{vec / 237:,.0f}x"
    )
    bench_fit("NY", obs)
    bench_regions(END_DATE + timedelta(days=1))
    bench_served("NY", date(2022, 6, 27))


if __name__ == "__main__":
    main()
