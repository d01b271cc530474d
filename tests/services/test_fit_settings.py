"""Fit-setting overrides (``fit_settings``): validated against ``FitSettings``' own field types,
with no reflection on the defaults, so optional fields (default None) take values too."""

from dataclasses import fields

import pytest

from app.api.job_schemas import FitOverrides
from app.core.seir import FitSettings
from app.services.modeling import fit_settings


def test_no_overrides_are_the_defaults() -> None:
    assert fit_settings({}) == FitSettings()


def test_an_optional_field_takes_a_value() -> None:
    # fit_window_days defaults to None: type(None)(60) raised TypeError before
    assert fit_settings({"fit_window_days": 60}) == FitSettings(fit_window_days=60)


def test_an_optional_field_can_be_switched_off() -> None:
    assert fit_settings({"nb_dispersion": None}).nb_dispersion is None


def test_values_take_the_field_types() -> None:
    settings = fit_settings({"keep_fraction": 1, "min_keep": 30.0, "horizon_days": 40})
    assert settings == FitSettings(keep_fraction=1.0, min_keep=30, horizon_days=40)
    assert type(settings.keep_fraction) is float and type(settings.min_keep) is int


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"keep_fractoin": 0.1}, "unknown fit settings: keep_fractoin"),
        ({"min_keep": 2.5}, "min_keep"),
        ({"use_region_centres": "maybe"}, "use_region_centres"),
    ],
)
def test_unknown_fields_and_wrong_types_are_refused(
    overrides: dict[str, float | str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        fit_settings(overrides)  # type: ignore[arg-type]


def test_every_api_override_is_a_fit_setting() -> None:
    known = {f.name for f in fields(FitSettings)}
    assert set(FitOverrides.model_fields) <= known
    full = FitOverrides(
        keep_fraction=0.2,
        min_keep=10,
        weight_power=2.0,
        recency_decay=0.9,
        horizon_days=30,
        case_weight=0.0,
    )
    settings = fit_settings(full.model_dump(exclude_none=True))
    assert (settings.keep_fraction, settings.min_keep, settings.case_weight) == (0.2, 10, 0.0)
