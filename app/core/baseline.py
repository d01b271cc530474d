"""The COVID-19 Forecast Hub's COVIDhub-baseline for weekly incident deaths.

Re-implemented from the hub's R code (reichlab/covidModels, ``R-package/R/quantile_baseline.R``
and ``weekly-submission/fit_baseline_model.R``); the algorithm, for one location:

1. Trim (``trim_leading_weeks``), rule ``"hub2020"`` (the hub's code of 2020, used until
   2021-09): drop the first week of the series, and the weeks more than two weeks before the
   week of the first death (start = max(first + 1 wk, first death - 2 wk)). Rule ``"hub2022"``
   (the hub's later code, in use from 2022-01): start at the first non-zero week.
2. Fit: the week-to-week differences ``d`` of the trimmed incidence, symmetrized to
   ``D = (d, -d)`` (so their distribution has median 0).
3. Horizon 1: ``num_samples`` evenly spaced quantiles of ``D`` (R type 7 = numpy "linear",
   at probabilities ``linspace(0, 1, num_samples)``) are added to the last observed weekly
   incidence ``x``: ``raw_1 = x + s_1``; the forecast is ``max(raw_1, 0)``.
4. Horizon h >= 2: ``raw_h = raw_{h-1} + perm_h(s)`` with a fresh random permutation of the
   same quantile grid (so ``raw_h`` is x plus a sum of h draws from D); it is shifted so its
   median is exactly ``x``, then truncated at 0.
5. Quantile levels of each horizon's samples (type 7) are the forecast.

Horizon 1 is deterministic and its median is ``x`` (or 0 if ``x < 0``). Horizons >= 2 use a
seeded ``numpy.random.Generator`` (the hub used R's RNG, so the permutations and hence the
outer quantiles differ from the hub's by sampling noise; their medians are ``max(x, 0)``
exactly because the shift is applied before the truncation).

Checked against the hub's own COVIDhub-baseline (viz extract, 5 levels, 1,000 random
(reference date, location) pairs; truth = the viz vintage as of the reference date with the
six zero weeks before 2020-03-07 prepended; rule "hub2020" up to 2021-09-18, "hub2022" from
2022-01-22): medians agree to 0.004 in every case (the gap only at x = 0, where the hub's
sampled median is a hair above 0); 1 wk quantiles agree to 1e-13 in 96 % (2020-21) and 93 %
(2022-23) of the cases, the rest differ by at most 5.6 % of the 95 % interval width because a
past week of the viz vintage differs from the hub's data (in 2020-21 mostly WA, US); 2-4 wk
quantiles differ by sampling noise (median 0.6 %, 99th percentile 3 % of the width). In the hub's
transition months (2021-09-25 .. 2022-01-15) neither rule is exact for most cases (start one
week after the first non-zero week fits most of them); the gaps stay below 2 %.
``tests/core/test_baseline.py`` pins ten cases.
"""

from typing import Literal

import numpy as np

from app.core.types import FloatArray

StartRule = Literal["hub2020", "hub2022"]

NUM_SAMPLES = 100_000  # as in the hub's fit_baseline_model.R


def trim_leading_weeks(weekly_inc: FloatArray, rule: StartRule = "hub2020") -> FloatArray:
    """Drop the leading weeks the hub baseline ignores (step 1 of the module docstring).

    ``"hub2020"`` (the hub's rule until 2021-09): drop the first week, and the weeks more
    than two weeks before the first death. The hub's weekly JHU series starts with the week
    ending 2020-01-25; pass the series from that week (prepend zero weeks if yours starts
    later, e.g. the viz vintages start on 2020-03-07), or the "drop the first week" rule
    drops a week the hub kept. ``"hub2022"`` (the hub's rule from 2022-01): if the first week
    is 0, start at the first week with a non-zero count (one week earlier if that is the last
    week); otherwise keep everything.

    Args:
        weekly_inc: weekly incident deaths from the first week of data, shape (n_weeks,).
        rule: which of the hub's two start rules to apply.

    Returns:
        The kept tail of the series, shape (n_kept,).
    """
    if rule == "hub2022":
        nonzero = np.flatnonzero(weekly_inc != 0)
        if weekly_inc.size == 0 or weekly_inc[0] != 0 or nonzero.size == 0:
            return weekly_inc
        first = int(nonzero[0])
        kept: FloatArray = weekly_inc[first - 1 if first == weekly_inc.size - 1 else first :]
        return kept
    deaths = np.flatnonzero(np.cumsum(weekly_inc) > 0)
    start = 1 if deaths.size == 0 else max(1, int(deaths[0]) - 2)
    result: FloatArray = weekly_inc[start:]
    return result


def symmetrized_differences(weekly_inc: FloatArray) -> FloatArray:
    """Week-to-week differences and their negatives, shape (2 * (n_weeks - 1),)."""
    diffs = np.diff(weekly_inc)
    result: FloatArray = np.concatenate([diffs, -diffs])
    return result


def baseline_samples(
    weekly_inc: FloatArray,
    horizons: int,
    *,
    num_samples: int = NUM_SAMPLES,
    seed: int = 0,
) -> FloatArray:
    """Sampled incidence paths of the hub baseline (steps 2 to 4 of the module docstring).

    Args:
        weekly_inc: weekly incident deaths, already trimmed, shape (n_weeks,), n_weeks >= 2.
        horizons: number of weeks ahead H >= 1.
        num_samples: samples per horizon.
        seed: seed of the ``numpy.random.Generator`` that permutes the draws.

    Returns:
        Non-negative weekly incidence samples, shape (H, num_samples); row 0 is sorted.

    Raises:
        ValueError: on fewer than 2 weeks, non-finite data, or H < 1.
    """
    if weekly_inc.ndim != 1 or weekly_inc.size < 2:
        raise ValueError(f"need at least 2 weeks of incidence, got shape {weekly_inc.shape}")
    if not np.all(np.isfinite(weekly_inc)):
        raise ValueError("weekly incidence must be finite (no NaN or inf)")
    if horizons < 1:
        raise ValueError(f"horizons must be >= 1, got {horizons}")
    rng = np.random.default_rng(seed)
    last = float(weekly_inc[-1])
    grid = np.quantile(symmetrized_differences(weekly_inc), np.linspace(0.0, 1.0, num_samples))
    out = np.empty((horizons, num_samples))
    raw = last + grid
    out[0] = np.maximum(raw, 0.0)
    for h in range(1, horizons):
        raw = raw + rng.permutation(grid)
        out[h] = np.maximum(raw - (np.median(raw) - last), 0.0)
    return out


def baseline_quantiles(
    weekly_inc: FloatArray,
    levels: FloatArray,
    horizons: int,
    *,
    trim: bool = True,
    rule: StartRule = "hub2020",
    num_samples: int = NUM_SAMPLES,
    seed: int = 0,
) -> FloatArray:
    """COVIDhub-baseline quantiles of weekly incident deaths, 1..H weeks ahead.

    Args:
        weekly_inc: weekly incident deaths as known at the forecast date, oldest first,
            ending with the last complete epiweek, shape (n_weeks,).
        levels: quantile levels in [0, 1], shape (k,).
        horizons: number of weeks ahead H >= 1.
        trim: apply ``trim_leading_weeks`` first (the hub does; pass False if already done).
        rule: the start rule for the trim (``"hub2020"`` or ``"hub2022"``).
        num_samples: samples per horizon (the hub uses 100,000).
        seed: seed for the permutations of horizons >= 2 (same seed, same result).

    Returns:
        Quantiles, shape (H, k), non-negative and non-decreasing along k; row h-1 is h
        weeks ahead. The median row entries equal ``max(weekly_inc[-1], 0)``.
    """
    series = trim_leading_weeks(weekly_inc, rule) if trim else weekly_inc
    samples = baseline_samples(series, horizons, num_samples=num_samples, seed=seed)
    result: FloatArray = np.quantile(samples, levels, axis=1).T
    return result
