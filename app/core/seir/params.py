"""Inputs of the simulator: per-region constants and a batch of K parameter sets.

`RegionConstants` holds everything the original code hard-coded per country or state
(IFR overrides, immunity multiplier, reopen date, fall dates, undetected-death schedule,
import floor, country-type branches). `ParamBatch` holds the searched and randomised
parameters as float arrays of shape (n_sets,), one entry per parameter set.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from app.core.types import BoolArray, FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class RegionConstants:
    """Fixed per-region inputs (SEIR_MODEL.md 1.3-1.9); defaults are the US-state values.

    Attributes:
        population: People in the region.
        first_date: Day 0 of the simulation (first reported death minus 24 days, 1.1).
        reopen_date: Reopening date (NYT reopening map; 1.7). Day index = days from first_date.
        immunity_mult: Exponent on (1 - fraction infected) (1.5; 0.5 for US states).
        ifr_min_mult: Floor of the IFR multiplier (1.8; 0.3, CT 0.15, MA 0.5, ND 0.6, RI 0.4).
        ifr_daily_mult: Daily IFR decline factor (1.8; 0.995, CT 0.99).
        ifr_reopen_daily_mult: Extra daily decline after reopening (1.8; 0.975).
        ifr_decline_start_day: Day index at which the IFR starts to decline (30; 120 for
            countries outside the "early impacted" list).
        ifr_reopen_acceleration: Whether the post-reopening decline applies (early-impacted).
        ifr_reopen_lag_days: Days after the shifted reopen index before the faster decline
            starts (DAYS_BEFORE_DEATH // 2 = 11).
        ifr_reopen_max_days: Cap on the number of faster-decline days (30).
        min_ifr: Absolute IFR floor (0.002).
        ifr_fall_start: First date after which the IFR rises by ifr_fall_daily_mult per day
            (2020-09-22 minus 30 days for the US); None disables it.
        ifr_fall_daily_mult: Daily IFR increase after ifr_fall_start (1.002).
        fall_start: Date after which R is multiplied by FALL_R_MULTIPLIER^(days since);
            (2020-09-22 minus 45 days for the US); None disables the fall wave.
        fall_mult_min: Lower clip of the compounded fall multiplier (0.9).
        fall_mult_max: Upper clip of the compounded fall multiplier (1.35).
        undetected_start: Undetected-deaths ratio on day 0 (1.0).
        undetected_floor: Floor of the undetected-deaths ratio (0.05 high income).
        undetected_days: Days to fall linearly from start to floor (60 high income, else 120).
        imports_floor: Keep min(10, 0.1 x imports) imports per day forever (False for China,
            South Korea, Australia).
        cap_post_reopen_r: post_r = min(reopen_r, equilibrium R) (True for US states except WI).
        floor_reopen_r_at_lockdown: reopen_r = max(lockdown R, REOPEN_R) when lockdown R < 1
            (True except Sweden/Belarus).
        days_with_imports: Day by which imports have decayed to zero (100).
        reopen_shift_default_days: Always added to REOPEN_SHIFT_DAYS (15).
        fatigue_delay_days: Days after the inflection day of the fatigue midpoint (28).
    """

    population: float
    first_date: date
    reopen_date: date
    immunity_mult: float = 0.5
    ifr_min_mult: float = 0.3
    ifr_daily_mult: float = 0.995
    ifr_reopen_daily_mult: float = 0.975
    ifr_decline_start_day: int = 30
    ifr_reopen_acceleration: bool = True
    ifr_reopen_lag_days: int = 11
    ifr_reopen_max_days: int = 30
    min_ifr: float = 0.002
    ifr_fall_start: date | None = None
    ifr_fall_daily_mult: float = 1.002
    fall_start: date | None = None
    fall_mult_min: float = 0.9
    fall_mult_max: float = 1.35
    undetected_start: float = 1.0
    undetected_floor: float = 0.05
    undetected_days: int = 60
    imports_floor: bool = True
    cap_post_reopen_r: bool = True
    floor_reopen_r_at_lockdown: bool = True
    days_with_imports: int = 100
    reopen_shift_default_days: int = 15
    fatigue_delay_days: int = 28

    def __post_init__(self) -> None:
        if not self.population > 0:
            raise ValueError(f"population must be > 0, got {self.population}")
        if not 0 <= self.immunity_mult <= 2:
            raise ValueError(f"immunity_mult must be in [0, 2], got {self.immunity_mult}")
        if not 0 < self.ifr_min_mult < 1:
            raise ValueError(f"ifr_min_mult must be in (0, 1), got {self.ifr_min_mult}")
        if not 0 <= self.undetected_floor <= self.undetected_start <= 1:
            raise ValueError("need 0 <= undetected_floor <= undetected_start <= 1")
        if self.undetected_days <= 0:
            raise ValueError("undetected_days must be > 0")

    def day_index(self, day: date) -> int:
        """Day index of ``day`` (0 = first_date)."""
        return (day - self.first_date).days


@dataclass(frozen=True, slots=True)
class ParamBatch:
    """K parameter sets of the 2020 model (SEIR_MODEL.md 1.11), each a float array (n_sets,).

    Attributes:
        initial_r0: R before mitigation.
        lockdown_r0: R after mitigation.
        inflection_idx: Day index (from first_date) of the R0 -> lockdown midpoint.
        rate_of_inflection: Steepness of that transition, per day.
        lockdown_fatigue: Multiplier on lockdown R from ~28 days after the inflection day.
        daily_imports: Seed infections per day (people/day).
        mortality_rate: Initial IFR (fraction).
        reopen_shift_days: Shift of the reopening, days (truncated toward zero).
        reopen_r: Maximum R after reopening.
        reopen_inflection: Steepness of the reopening sigmoids, per day.
        post_reopen_equilibrium_r: Long-run R after reopening.
        fall_r_multiplier: Daily compounding R multiplier after the fall start.
    """

    initial_r0: FloatArray
    lockdown_r0: FloatArray
    inflection_idx: FloatArray
    rate_of_inflection: FloatArray
    lockdown_fatigue: FloatArray
    daily_imports: FloatArray
    mortality_rate: FloatArray
    reopen_shift_days: FloatArray
    reopen_r: FloatArray
    reopen_inflection: FloatArray
    post_reopen_equilibrium_r: FloatArray
    fall_r_multiplier: FloatArray

    def __post_init__(self) -> None:
        arrays = [
            np.atleast_1d(np.asarray(getattr(self, f.name), np.float64)) for f in fields(self)
        ]
        n_sets = max(a.shape[0] for a in arrays)
        for f, a in zip(fields(self), arrays, strict=True):
            if a.ndim != 1 or a.shape[0] not in (1, n_sets):
                raise ValueError(f"{f.name} must have shape ({n_sets},) or (1,), got {a.shape}")
            if not np.all(np.isfinite(a)):
                raise ValueError(f"{f.name} must be finite")
            object.__setattr__(self, f.name, np.broadcast_to(a, (n_sets,)))

    @property
    def n_sets(self) -> int:
        """Number of parameter sets K."""
        return int(self.initial_r0.shape[0])

    def take(self, index: slice | IntArray | BoolArray) -> ParamBatch:
        """The sub-batch selected by ``index`` (slice, integer indices or boolean mask)."""
        return ParamBatch(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def as_dict(self) -> dict[str, FloatArray]:
        """Field name -> array of shape (n_sets,)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
