"""Loss, selection and weights of the grid-search fit (SEIR_MODEL.md 4.4-4.6).

* ``L_k = sum_t w_t (D_k[t] - y[t])^2`` with ``w_t = max(floor, decay^(T - 1 - t))``;
* keep the best ``max(min_keep, ceil(keep_fraction x n_group))`` valid sets per group
  (candidate inflection day);
* weights ``L_k^-p`` normalised to sum to 1.
"""

from __future__ import annotations

import math

import numpy as np

from app.core.types import BoolArray, FloatArray, IntArray


def recency_weights(n_days: int, decay: float, floor: float) -> FloatArray:
    """Loss weight per day, float (n_days,): max(floor, decay^(n_days - 1 - t))."""
    age = np.arange(n_days - 1, -1, -1, dtype=np.float64)
    weights: FloatArray = np.maximum(floor, decay**age)
    return weights


def losses_of(simulated: FloatArray, observed: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted squared error per set: simulated (n_days, n_sets), observed/weights (n_days,)."""
    err = simulated - observed[:, None]
    np.multiply(err, err, out=err)
    loss: FloatArray = weights @ err
    return loss


def select(
    losses: FloatArray,
    valid: BoolArray,
    groups: IntArray,
    keep_fraction: float,
    min_keep: int,
) -> IntArray:
    """Indices kept: best fraction per group among valid sets, sorted by loss, int (n_kept,)."""
    kept = []
    for g in np.unique(groups):
        members = np.flatnonzero((groups == g) & valid & np.isfinite(losses))
        n_keep = max(min_keep, math.ceil(keep_fraction * np.sum(groups == g)))
        n_keep = min(n_keep, members.size)
        if n_keep == 0:
            continue
        best = np.argpartition(losses[members], n_keep - 1)[:n_keep]
        kept.append(members[best])
    if not kept:
        raise ValueError("no valid parameter set in the grid")
    chosen = np.concatenate(kept)
    ordered: IntArray = chosen[np.argsort(losses[chosen], kind="stable")]
    return ordered


def loss_weights(losses: FloatArray, power: float) -> FloatArray:
    """Normalised weights loss^-power, float (n,), always finite and summing to 1.

    Losses are floored at 1e-3 x the smallest positive loss (so a perfect fit gets the
    largest, finite weight). When no loss is positive and finite (e.g. no recent deaths and
    every set predicts none) or the weights underflow, all sets get equal weight.
    """
    n = losses.size
    if n == 0:
        return np.empty(0)
    finite = np.isfinite(losses)
    positive = losses[finite & (losses > 0)]
    if positive.size == 0:
        equal: FloatArray = finite / finite.sum() if finite.any() else np.full(n, 1.0 / n)
        return equal
    floor = max(float(positive.min()) * 1e-3, 1e-300)
    with np.errstate(over="ignore", divide="ignore"):
        w = np.where(finite, np.maximum(losses, floor) / floor, np.inf) ** -power
    total = float(w.sum())
    if not np.isfinite(total) or total <= 0:
        return np.full(n, 1.0 / n)
    normalised: FloatArray = w / total
    return normalised
