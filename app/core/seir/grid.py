"""Parameter grid with sklearn ``ParameterGrid`` ordering plus seeded randomised parameters.

Searched parameters are a Cartesian product in sorted-key order (the last key varies
fastest), so ``index <-> parameters`` round-trips. The randomised parameters of the
original (SEIR_MODEL.md 1.11, 4.7) are drawn once per grid index from
``numpy.random.Generator(PCG64(seed))`` in a fixed order:

* ``rate_of_inflection ~ U[0.75 c, 1.25 c)`` (c = the fixed centre),
* ``daily_imports ~ randint[0.5 c, 1.5 c)``,
* ``post_reopen_equilibrium_r ~ triangular``: (0.9, 1.05, 1.1) if REOPEN_R > 1.2,
  (0.85, 0.95, 1.05) if REOPEN_R < 1, else (0.9, 1.0, 1.1), all shifted by (centre - 1)
  where the centre is the fixed value (1.0 by default: the original's bands),
* ``fall_r_multiplier ~ triangular(0.998, 1.001, 1.004)``.

Date-valued parameters (``inflection_day``) are stored as dates and converted to day
indices when a ``ParamBatch`` is built for a region.

Both models search a ``Grid`` (its order and ``grid_hash`` are stored with every fit): the
2020 model's holds the parameters above and becomes a ``ParamBatch`` for the simulator; the
rt model's (``r_level`` x ``trend``, ``randomize=False``) has none of them and is only
enumerated.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from app.core.seir.params import ParamBatch, RegionConstants
from app.core.types import FloatArray, IntArray

Value = float | date
RANDOMIZED = (
    "rate_of_inflection",
    "daily_imports",
    "post_reopen_equilibrium_r",
    "fall_r_multiplier",
)


@dataclass(frozen=True)
class Grid:
    """A named, ordered parameter grid.

    Attributes:
        values: Searched parameter -> candidate values (keys sorted on construction).
        fixed: Parameter -> constant value (for randomised ones: the centre of the draw).
        seed: Seed of the randomised draws.
        randomize: Draw the randomised parameters (False: use the fixed centres).
    """

    values: Mapping[str, Sequence[Value]]
    fixed: Mapping[str, Value] = field(default_factory=dict)
    seed: int = 0
    randomize: bool = True

    def __post_init__(self) -> None:
        ordered = {k: tuple(self.values[k]) for k in sorted(self.values)}
        if any(len(v) == 0 for v in ordered.values()):
            raise ValueError("every grid parameter needs at least one value")
        overlap = set(ordered) & set(self.fixed)
        if overlap:
            raise ValueError(f"parameters both searched and fixed: {sorted(overlap)}")
        object.__setattr__(self, "values", ordered)
        object.__setattr__(self, "fixed", dict(sorted(self.fixed.items())))

    @property
    def size(self) -> int:
        """Number of parameter sets."""
        return math.prod(len(v) for v in self.values.values())

    def __len__(self) -> int:
        return self.size

    @property
    def grid_hash(self) -> str:
        """Stable SHA-256 (hex, 16 chars) of values, fixed values, seed and randomisation."""

        def enc(v: Value) -> str | float:
            return v.isoformat() if isinstance(v, date) else float(v)

        payload = {
            "values": {k: [enc(v) for v in vs] for k, vs in self.values.items()},
            "fixed": {k: enc(v) for k, v in self.fixed.items()},
            "seed": self.seed,
            "randomize": self.randomize,
        }
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def unravel(self, indices: IntArray) -> dict[str, IntArray]:
        """Grid index (n,) -> position of each searched parameter in its value list."""
        shape = tuple(len(v) for v in self.values.values())
        pos = np.unravel_index(np.asarray(indices, dtype=np.int64), shape)
        return {k: np.asarray(p, dtype=np.int64) for k, p in zip(self.values, pos, strict=True)}

    def params(self, index: int) -> dict[str, Value]:
        """All parameters of set ``index``: searched, fixed and randomised values."""
        if not 0 <= index < self.size:
            raise IndexError(f"grid index {index} out of range [0, {self.size})")
        pos = self.unravel(np.array([index]))
        out: dict[str, Value] = {k: self.values[k][int(p[0])] for k, p in pos.items()}
        out.update(self.fixed)
        out.update({k: float(v[index]) for k, v in self.draws().items()})
        return dict(sorted(out.items()))

    def index_of(self, params: Mapping[str, Value]) -> int:
        """Grid index of the searched values in ``params`` (others are ignored)."""
        pos = [list(vs).index(params[k]) for k, vs in self.values.items()]
        shape = tuple(len(v) for v in self.values.values())
        return int(np.ravel_multi_index(tuple(pos), shape))

    def draws(self) -> dict[str, FloatArray]:
        """Randomised parameters for every index, each float (size,); empty if not random."""
        present = [k for k in RANDOMIZED if k in self.fixed or k in self.values]
        if not self.randomize or not present:
            return {}
        rng = np.random.Generator(np.random.PCG64(self.seed))
        n = self.size
        out: dict[str, FloatArray] = {}
        if "rate_of_inflection" in self.fixed:
            c = float(self.fixed["rate_of_inflection"])  # type: ignore[arg-type]
            out["rate_of_inflection"] = rng.uniform(0.75 * c, 1.25 * c, n)
        if "daily_imports" in self.fixed:
            c = float(self.fixed["daily_imports"])  # type: ignore[arg-type]
            lo, hi = int(0.5 * c), int(1.5 * c)
            out["daily_imports"] = rng.integers(lo, max(hi, lo + 1), n).astype(np.float64)
        if "post_reopen_equilibrium_r" in self.fixed:
            shift = float(self.fixed["post_reopen_equilibrium_r"]) - 1.0  # type: ignore[arg-type]
            out["post_reopen_equilibrium_r"] = _equilibrium_r(rng, self._column("reopen_r")) + shift
        if "fall_r_multiplier" in self.fixed:
            out["fall_r_multiplier"] = rng.triangular(0.998, 1.001, 1.004, n)
        return out

    def _column(self, name: str) -> FloatArray:
        """Value of ``name`` for every index, float (size,)."""
        if name in self.fixed:
            return np.full(self.size, float(self.fixed[name]))  # type: ignore[arg-type]
        pos = self.unravel(np.arange(self.size))[name]
        return np.asarray(self.values[name], dtype=np.float64)[pos]

    def batch(self, constants: RegionConstants, indices: IntArray | None = None) -> ParamBatch:
        """ParamBatch (n_sets = len(indices) or size) with dates as day indices of ``constants``."""
        idx = np.arange(self.size) if indices is None else np.asarray(indices, dtype=np.int64)
        pos = self.unravel(idx)
        draws = self.draws()
        cols: dict[str, FloatArray] = {}
        for name in set(self.values) | set(self.fixed):
            if name in draws:
                cols[name] = draws[name][idx]
            elif name in self.values:
                cols[name] = _as_float(self.values[name], constants)[pos[name]]
            else:
                cols[name] = np.full(idx.size, _as_float([self.fixed[name]], constants)[0])
        if "inflection_day" in cols:
            cols["inflection_idx"] = cols.pop("inflection_day")
        return ParamBatch(**cols)


def _as_float(values: Sequence[Value], constants: RegionConstants) -> FloatArray:
    """Numbers as floats, dates as day indices relative to constants.first_date."""
    return np.array(
        [constants.day_index(v) if isinstance(v, date) else float(v) for v in values],
        dtype=np.float64,
    )


def _equilibrium_r(rng: np.random.Generator, reopen_r: FloatArray) -> FloatArray:
    """Triangular post-reopening equilibrium R by REOPEN_R band (US rules), float (n,)."""
    low = np.where(reopen_r > 1.2, 0.9, np.where(reopen_r < 1, 0.85, 0.9))
    mode = np.where(reopen_r > 1.2, 1.05, np.where(reopen_r < 1, 0.95, 1.0))
    high = np.where(reopen_r > 1.2, 1.1, np.where(reopen_r < 1, 1.05, 1.1))
    u = rng.uniform(0.0, 1.0, reopen_r.size)
    cut = (mode - low) / (high - low)
    left = low + np.sqrt(u * (high - low) * (mode - low))
    right = high - np.sqrt((1 - u) * (high - low) * (high - mode))
    draw: FloatArray = np.where(u < cut, left, right)
    return draw
