"""Fixed delay kernels of the 2020 model (SEIR_MODEL.md 1.2, 1.4) and a fast causal convolution.

* Generation kernel ``g[lag]``, lag = 2..8: weights 0.5, 1, 2, 3, 2, 1, 0.5 normalised (mean 5 d).
* Infection-to-death kernel ``d[lag]``, lag = 15..29: 1,2,3,4,4,3,3,3,3,3,2,2,2,2,2 / 39.
* Reporting kernel ``rep[k]``, k = 0..30: 16.5 x [0, 0.8^0..0.8^9, 0.8^9 x 0.95^1..0.95^20],
  normalised (rep[0] = 0, mean lag 7.83 d).

``causal_convolve`` computes ``y[t] = sum_j w[j] x[t - first_lag - j]`` for a batch of series
(n_days, n_sets) as a block-Toeplitz matrix product: with blocks of B >= max lag days, output
block b only needs input blocks b-1 and b, so it is one (B, 2B) @ (2B, n_sets) product per
block (BLAS) instead of a Python loop over lags.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from app.core.types import FloatArray

INCUBATION_DAYS = 2
GENERATION_WEIGHTS = np.array([0.5, 1.0, 2.0, 3.0, 2.0, 1.0, 0.5])
GENERATION_KERNEL: FloatArray = GENERATION_WEIGHTS / GENERATION_WEIGHTS.sum()
"""g[lag - 2] for lag = 2..8 (sums to 1)."""
DEATH_FIRST_LAG = 15
DEATH_WEIGHTS = np.array([1, 2, 3, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2], dtype=np.float64)
DEATH_KERNEL: FloatArray = DEATH_WEIGHTS / DEATH_WEIGHTS.sum()
"""d[lag - 15] for lag = 15..29 (sums to 1)."""
REPORTING_WEIGHTS = 16.5 * np.concatenate(
    [[0.0], 0.8 ** np.arange(10), 0.8**9 * 0.95 ** np.arange(1, 21)]
)
REPORTING_KERNEL: FloatArray = REPORTING_WEIGHTS / REPORTING_WEIGHTS.sum()
"""rep[k] for k = 0..30 (sums to 1)."""
SEED_DAYS = INCUBATION_DAYS + GENERATION_KERNEL.size
"""Days 0..8 are seeded with DAILY_IMPORTS infections (1.3)."""
IMMUNITY_WANING_DAYS = 180
"""Half of infections older than 180 days no longer count toward immunity (1.3)."""
BLOCK = 32


def band_matrix(kernel: FloatArray, first_lag: int, block: int = BLOCK) -> FloatArray:
    """The (block, 2 block) matrix M with ``M[r, c] = w[block + r - c - first_lag]`` (0 outside)."""
    if first_lag + kernel.size - 1 > block:
        raise ValueError("block must be >= the largest lag")
    r = np.arange(block)[:, None]
    c = np.arange(2 * block)[None, :]
    j = block + r - c - first_lag
    inside = (j >= 0) & (j < kernel.size)
    band: FloatArray = np.where(inside, kernel[np.clip(j, 0, kernel.size - 1)], 0.0)
    return band


def causal_convolve(x: FloatArray, band: FloatArray) -> FloatArray:
    """Causal convolution of each column of ``x`` with the kernel encoded in ``band``.

    Args:
        x: Float array (n_days, n_sets), any unit per day.
        band: Matrix from ``band_matrix``, shape (B, 2B).

    Returns:
        Float array (n_days, n_sets), same unit, ``y[t] = sum_lag w[lag] x[t - lag]``.
    """
    block = band.shape[0]
    n_days, n_sets = x.shape
    padded = padded_buffer(n_days, n_sets, block)
    padded[block : block + n_days] = x
    return convolve_padded(padded, band, n_days)[:n_days]


def padded_buffer(n_days: int, n_sets: int, block: int = BLOCK) -> FloatArray:
    """Zeroed input buffer for ``convolve_padded``: rows [block, block + n_days) hold x."""
    return np.zeros(((-(-n_days // block) + 1) * block, n_sets))


def convolve_padded(
    padded: FloatArray, band: FloatArray, n_days: int, out: FloatArray | None = None
) -> FloatArray:
    """``causal_convolve`` of x stored in ``padded`` (from ``padded_buffer``).

    Returns (n_blocks x B, n_sets); rows < n_days are the result (later rows are the
    convolution past the end and only feed later days of a chained causal convolution).
    ``out`` may be rows [B, ...) of another padded buffer, so two convolutions chain
    without a copy.
    """
    block = band.shape[0]
    n_sets = padded.shape[1]
    n_blocks = -(-n_days // block)
    used = np.flatnonzero(np.any(band != 0, axis=0))
    lo, hi = int(used[0]), int(used[-1]) + 1
    s0, s1 = padded.strides
    windows = as_strided(padded[lo:], (n_blocks, hi - lo, n_sets), (block * s0, s0, s1))
    target = None if out is None else out.reshape(n_blocks, block, n_sets)
    result: FloatArray = np.matmul(band[:, lo:hi], windows, out=target)
    return result.reshape(n_blocks * block, n_sets)
