"""Readers for the original YYG best_params files and golden simulations (tests only)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from app.core.seir.params import ParamBatch, RegionConstants
from app.core.seir.regions import region_constants_for
from app.core.types import FloatArray

DATA = Path(__file__).resolve().parents[4] / ".." / "shared" / "data"
SIM_DATES = ("2020-07-27", "2020-08-10", "2020-08-24", "2020-09-07", "2020-09-21", "2020-10-04")


def best_params(params_date: str, region: str) -> dict[str, Any]:
    """The raw best_params JSON of one region (``"US"`` reads the US_ALL file)."""
    name = "ALL" if region == "US" else region
    path = DATA / "yyg_best_params" / params_date / f"{params_date}_US_{name}.json"
    result: dict[str, Any] = json.loads(path.read_text())
    return result


def _one(value: float) -> FloatArray:
    return np.array([value], dtype=np.float64)


def batch_from_best_params(
    raw: dict[str, Any], params_type: str
) -> tuple[ParamBatch, RegionConstants, int]:
    """One parameter set, the region constants and the number of simulated days."""
    values = dict(raw[f"{params_type}_params"])
    first = date.fromisoformat(raw["first_date"])
    n_days = (date.fromisoformat(raw["projection_end_date"]) - first).days + 1
    code = "US" if raw["region"] == "ALL" else raw["region"]
    constants = region_constants_for(
        code,
        raw["population"],
        first_date=first,
        reopen_date=date.fromisoformat(values["REOPEN_DATE"]),
    )
    params = ParamBatch(
        initial_r0=_one(values["INITIAL_R_0"]),
        lockdown_r0=values["LOCKDOWN_R_0"],
        inflection_idx=_one((date.fromisoformat(values["INFLECTION_DAY"]) - first).days),
        rate_of_inflection=values["RATE_OF_INFLECTION"],
        lockdown_fatigue=_one(values["LOCKDOWN_FATIGUE"]),
        daily_imports=values["DAILY_IMPORTS"],
        mortality_rate=_one(values["MORTALITY_RATE"]),
        reopen_shift_days=values["REOPEN_SHIFT_DAYS"],
        reopen_r=_one(values["REOPEN_R"]),
        reopen_inflection=values["REOPEN_INFLECTION"],
        post_reopen_equilibrium_r=_one(values["POST_REOPEN_EQUILIBRIUM_R"]),
        fall_r_multiplier=values["FALL_R_MULTIPLIER"],
    )
    return params, constants, n_days
