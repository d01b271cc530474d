"""What a fit searched and kept: kept parameter sets and grid-edge warnings.

Used by ``FitResult.kept_params`` and ``FitResult.edge_warnings`` so the service can report
the retained ensemble and flag searched parameters whose best or weighted-median value sits
on the first or last value of its grid axis (the optimum may lie outside the searched range).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from app.core.seir.grid import Grid, Value
from app.core.types import FloatArray, IntArray


def kept_params(grid: Grid, indices: IntArray) -> list[dict[str, Value]]:
    """All parameters (searched, fixed, randomised; dates as ``date``) of each index."""
    idx = np.asarray(indices, dtype=np.int64)
    pos = grid.unravel(idx)
    draws = {k: v[idx] for k, v in grid.draws().items()}
    rows: list[dict[str, Value]] = []
    for j in range(idx.size):
        row = {k: _plain(grid.values[k][int(p[j])]) for k, p in pos.items()}
        row.update({k: _plain(v) for k, v in grid.fixed.items()})
        row.update({k: float(v[j]) for k, v in draws.items()})
        rows.append(dict(sorted(row.items())))
    return rows


def _plain(v: Value) -> Value:
    """Dates stay dates; numbers (also numpy scalars) become Python floats."""
    return v if isinstance(v, date) else float(v)


def _weighted_median(positions: IntArray, weights: FloatArray) -> int:
    """Weighted median of integer positions (the lower one at an exact half)."""
    order = np.argsort(positions, kind="stable")
    cum = np.cumsum(weights[order])
    at = int(np.searchsorted(cum, 0.5 * cum[-1] - 1e-12))
    return int(positions[order][min(at, order.size - 1)])


def _text(v: Value) -> str:
    return v.isoformat() if isinstance(v, date) else f"{v:g}"


def edge_warnings(grid: Grid, indices: IntArray, weights: FloatArray) -> list[str]:
    """One sentence per searched parameter (>= 3 values) whose best or weighted-median kept
    value is the first or last value of its axis; ``indices[0]`` is the best set."""
    idx = np.asarray(indices, dtype=np.int64)
    if idx.size == 0:
        return []
    out = []
    for name, pos in grid.unravel(idx).items():
        axis = grid.values[name]
        if len(axis) < 3:
            continue
        which = {"best": int(pos[0]), "weighted median": _weighted_median(pos, weights)}
        for edge, at in (("lowest", 0), ("highest", len(axis) - 1)):
            hits = [label for label, p in which.items() if p == at]
            if hits:
                out.append(
                    f"{name}: the {' and '.join(hits)} value {_text(axis[at])} is the {edge} "
                    f"of the grid ({_text(axis[0])}..{_text(axis[-1])}); the optimum may lie "
                    "outside the searched range"
                )
    return out
