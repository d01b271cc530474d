"""Examples of every request and response body, shown on the OpenAPI page (``/docs``).

Plain data (the models import these, not the other way round); tests/api/test_openapi.py
validates each against its model."""

from pydantic import JsonValue
from pydantic.config import JsonDict

from app.core import scoring
from app.core.hubtypes import QUANTILES_23

STAMP = "2023-03-10T06:00:12Z"
LEVELS = list(QUANTILES_23)


def _distribution(median: float, spread: float) -> JsonDict:
    quantiles: list[JsonValue] = [round(median + spread * (q - 0.5) * 4, 3) for q in LEVELS]
    return {
        "mean": round(median * 1.02, 3),
        "median": median,
        "quantiles": quantiles,
        "interval_50": [quantiles[LEVELS.index(0.25)], quantiles[LEVELS.index(0.75)]],
        "interval_95": [quantiles[1], quantiles[-2]],
    }


REGION: JsonDict = {
    "code": "US-NY",
    "name": "New York",
    "level": "state",
    "kind": "state",
    "parent_code": "US",
    "population": 19453561,
    "fips": "36",
}
REGION_DETAIL: JsonDict = {**REGION, "last_date": "2023-03-09"}
REGION_PAGE: JsonDict = {"total": 1, "limit": 100, "offset": 0, "items": [REGION]}
OBSERVATIONS: JsonDict = {
    "region": "US-NY",
    "metric": "deaths",
    "series": "raw",
    "as_of_release": 5,
    "points": [
        {"date": "2020-04-11", "cumulative": 8627.0, "daily": 783.0},
        {"date": "2020-04-12", "cumulative": 9385.0, "daily": 758.0},
    ],
    "flags": [{"date": "2020-04-12", "kind": "dump", "reason": "3,395 deaths added at once"}],
}
RELEASE: JsonDict = {
    "id": 5,
    "source": "bundled:us_state_deaths_daily_stitched.csv.gz",
    "format": "long",
    "sha256": "9f2c1e0b" * 8,
    "retrieved_at": STAMP,
    "vintage_date": "2023-03-10",
    "rows_read": 63336,
    "values_read": 63336,
    "values_stored": 12874,
    "regions": 57,
    "first_date": "2020-01-22",
    "last_date": "2023-03-09",
    "series": "deaths",
}
INGEST: JsonDict = {
    "created": True,
    "message": "release 5: 12,874 values stored",
    "release": RELEASE,
}
INGEST_URL: JsonDict = {
    "url": "https://raw.githubusercontent.com/CSSEGISandData/COVID-19/master/csse_covid_19_data/"
    "csse_covid_19_time_series/time_series_covid19_deaths_global.csv",
    "format": "auto",
    "series": "deaths",
    "vintage_date": "2023-03-10",
}
HEALTH: JsonDict = {"status": "ok", "version": "0.1.0"}
READY: JsonDict = {
    "status": "ready",
    "database": "postgresql",
    "regions": 3604,
    "releases": 5,
    "attribution": "Data: COVID-19 Data Repository by the Center for Systems Science and "
    "Engineering (CSSE) at Johns Hopkins University, CC BY 4.0.",
}
REFIT: JsonDict = {"regions": ["US-NY", "TX"], "seed": 0, "settings": {"horizon_days": 56}}
JOB: JsonDict = {
    "id": 12,
    "kind": "refit",
    "status": "succeeded",
    "progress": {"done": 2, "total": 2},
    "attempts": 1,
    "cancel_requested": False,
    "created_at": STAMP,
    "started_at": "2023-03-10T06:00:13Z",
    "finished_at": "2023-03-10T06:00:21Z",
    "error": None,
    "payload": {"regions": ["US-NY", "US-TX"], "release_id": 5, "model": "auto", "seed": 0},
    "result": {
        "succeeded": 2,
        "failed": 0,
        "cancelled": 0,
        "regions": {"succeeded": ["US-NY", "US-TX"], "failed": [], "cancelled": []},
        "fits": [{"region": "US-NY", "fit_id": 40}, {"region": "US-TX", "fit_id": 41}],
    },
    "region_errors": [],
    "deduplicated": {},
}
JOB_PAGE: JsonDict = {"total": 1, "limit": 50, "offset": 0, "items": [JOB]}
FORECAST: JsonDict = {
    "region": "US-NY",
    "region_name": "New York",
    "valid_range": ["2023-03-10", "2023-05-04"],
    "quantile_levels": list[JsonValue](LEVELS),
    "provenance": {
        "fit_id": 40,
        "model_version": "seircast-rt.1",
        "data_release": 5,
        "data_end_date": "2023-03-09",
        "forecast_date": "2023-03-10",
        "grid_hash": "5be0c1a2" * 8,
        "seed": 0,
        "fitted_at": STAMP,
    },
    "days": [
        {
            "date": "2023-03-23",
            "incident": _distribution(19.5, 6.0),
            "cumulative": _distribution(77412.0, 60.0),
        }
    ],
    "weeks": [
        {
            "week_end": "2023-03-25",
            "incident": _distribution(131.0, 30.0),
            "cumulative": _distribution(77450.0, 80.0),
        }
    ],
}
FIT: JsonDict = {
    "id": 40,
    "region": "US-NY",
    "job_id": 13,
    "model_version": "seircast-rt.1",
    "grid_hash": "5be0c1a2" * 8,
    "seed": 0,
    "data_release": 5,
    "data_start_date": "2020-03-01",
    "data_end_date": "2023-03-09",
    "forecast_date": "2023-03-10",
    "settings": {"keep_fraction": 0.075, "weight_power": 1.5},
    "n_sets": 16200,
    "n_valid": 16188,
    "n_kept": 2,
    "best_loss": 31.6,
    "best_params": {"recent_r": 0.98, "trend_per_day": -0.002},
    "warnings": [],
    "case_signal": None,
    "ensemble": None,
    "fit_seconds": 0.21,
    "fitted_at": STAMP,
    "kept": [
        {"index": 812, "weight": 0.6, "loss": 31.6, "params": {"recent_r": 0.98}},
        {"index": 815, "weight": 0.4, "loss": 33.0, "params": {"recent_r": 1.0}},
    ],
}
IMPORT: JsonDict = {
    "model": "COVIDhub-ensemble",
    "forecast_dates": ["2020-06-01"],
    "forecasts": 204,
    "rows": 2244,
    "date_column": "forecast_date",
    "scored": 204,
}
SUMMARY: JsonDict = {
    "model": "seircast",
    "n": 2652,
    **{m.name: m.example for m in scoring.METRICS},  # seircast in the README table
}
EVALUATION: JsonDict = {
    "target": "inc_week",
    "baseline": "COVIDhub-baseline",
    "models": ["COVIDhub-baseline", "seircast"],
    "levels": [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975],
    "forecasts": 2652,
    "truth_sources": ["weekly_deaths_final_jhu.csv"],
    "overall": [SUMMARY],
    "by_region": [{**SUMMARY, "region": "US-NY", "n": 52}],
    "by_horizon": [{**SUMMARY, "horizon": 1, "n": 663}],
}
BACKTEST: JsonDict = {"forecast_dates": ["2020-06-01", "2020-06-08"], "regions": ["NY", "TX"]}
ALERT: JsonDict = {
    "id": 3,
    "model": "seircast",
    "region": "US-FL",
    "metric": "relative_wis",
    "value": 1.72,
    "threshold": 1.5,
    "window_start": "2020-07-04",
    "window_end": "2020-08-01",
    "n_forecasts": 16,
    "refit_job_id": 14,
    "created_at": STAMP,
}
METRICS = (
    "# TYPE seircast_http_requests_total counter\n"
    'seircast_http_requests_total{method="GET",route="/forecast",status="200"} 42.0\n'
    "seircast_queue_depth 0.0\n"
)
HUB_CSV = (
    "forecast_date,target,target_end_date,location,type,quantile,value\n"
    "2020-06-01,1 wk ahead inc death,2020-06-06,36,point,NA,412.0\n"
    "2020-06-01,1 wk ahead inc death,2020-06-06,36,quantile,0.5,412.0\n"
)
