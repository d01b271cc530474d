"""The job table's JSON contracts: each kind's payload and result is stored as the same JSON
the queue wrote before it had models, reads back equal, and is read only as its own kind."""

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from app.db.job_contracts import (
    BacktestPayload,
    FitRef,
    FitRegionPayload,
    FitRegionResult,
    JobKind,
    JobStatus,
    ParentResult,
    PipelinePayload,
    PipelineResult,
    RefitPayload,
    SourceFailed,
    SourceIngested,
    payload_of,
    result_of,
)
from app.db.jobs import new_job

CHILD = {
    "regions": ["US-NY"],
    "release_id": 3,
    "model": "auto",
    "seed": 0,
    "overrides": {"min_keep": 30, "keep_fraction": 0.1},
    "region_id": 36,
}


def test_a_refit_child_is_stored_without_the_backtest_fields() -> None:
    child = FitRegionPayload.model_validate(CHILD)
    assert child.to_json() == CHILD
    assert (child.region, child.cutoff_date, child.publish) == ("US-NY", None, True)
    assert type(child.overrides["min_keep"]) is int  # an int setting stays an int


def test_a_backtest_child_stores_its_cutoff_and_publish_flag() -> None:
    child = FitRegionPayload(
        **CHILD | {"overrides": {}}, cutoff_date=date(2020, 6, 1), publish=False
    )
    stored = child.to_json()
    assert stored == CHILD | {"overrides": {}, "cutoff_date": "2020-06-01", "publish": False}
    assert FitRegionPayload.model_validate(stored) == child


def test_parent_and_pipeline_payloads_round_trip() -> None:
    refit = RefitPayload(
        regions=["US-NY", "US-TX"], release_id=3, model="auto", seed=1, overrides={}
    )
    backtest = BacktestPayload(
        forecast_dates=[date(2020, 6, 1)],
        regions=["US-NY"],
        model="auto",
        seed=0,
        calibration="none",
    )
    tick = PipelinePayload(tick=datetime(2026, 1, 5, 6, tzinfo=UTC))
    assert backtest.to_json()["forecast_dates"] == ["2020-06-01"]
    assert tick.to_json() == {"tick": "2026-01-05T06:00:00+00:00"}  # datetime.isoformat
    for payload in (refit, backtest, tick):
        assert type(payload).model_validate(payload.to_json()) == payload


def test_new_job_takes_its_kind_from_the_payload() -> None:
    job = new_job(FitRegionPayload.model_validate(CHILD), max_attempts=3)
    assert (job.kind, job.status, job.payload) == (JobKind.FIT_REGION, JobStatus.QUEUED, CHILD)
    assert payload_of(job, FitRegionPayload).region_id == 36
    with pytest.raises(ValueError, match="is a fit_region job, not refit"):
        payload_of(job, RefitPayload)


def test_old_rows_with_unknown_keys_still_read() -> None:
    job = new_job(FitRegionPayload.model_validate(CHILD), max_attempts=3)
    job.payload = CHILD | {"retired_option": 1}
    assert payload_of(job, FitRegionPayload) == FitRegionPayload.model_validate(CHILD)


def test_results_are_stored_as_before() -> None:
    fitted = FitRegionResult(region="US-NY", seconds=1.25)
    assert fitted.to_json() == {"region": "US-NY", "seconds": 1.25}
    stored = fitted.model_copy(update={"fit_id": 7}).to_json()
    assert stored == {"region": "US-NY", "seconds": 1.25, "fit_id": 7}
    parent = ParentResult(
        succeeded=1,
        failed=0,
        cancelled=0,
        regions={"succeeded": ["US-NY"], "failed": [], "cancelled": []},
        fits=[FitRef(region="US-NY", fit_id=7)],
    )
    assert parent.to_json()["fits"] == [{"region": "US-NY", "fit_id": 7}]
    pipeline = PipelineResult(
        ingested=[
            SourceIngested(source="a.csv", message="ok"),
            SourceFailed(source="b", error="x"),
        ],
        refit_job=None,
        refit_regions=[],
        scored=0,
        drift_alerts=0,
    )
    assert pipeline.to_json() == {
        "ingested": [{"source": "a.csv", "message": "ok"}, {"source": "b", "error": "x"}],
        "refit_job": None,
        "refit_regions": [],
        "scored": 0,
        "drift_alerts": 0,
    }
    assert PipelineResult.model_validate(pipeline.to_json()) == pipeline


def test_a_job_without_a_result_has_no_fit_result() -> None:
    job = new_job(FitRegionPayload.model_validate(CHILD), max_attempts=3)
    with pytest.raises(ValidationError):
        result_of(job, FitRegionResult)
    job.result = {"region": "US-NY", "seconds": 2.0, "fit_id": 9}
    assert result_of(job, FitRegionResult).fit_id == 9


def test_statuses_and_kinds_are_the_stored_strings() -> None:
    assert [s.value for s in JobStatus] == ["queued", "running", "succeeded", "failed", "cancelled"]
    assert {k.value for k in JobKind} == {"refit", "backtest", "fit_region", "pipeline"}
