"""The model registry: what ``auto`` resolves to, and which fits recalibrated themselves."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.learned_model import MODEL_LEARNED
from app.core.seir.versions import MODEL_RT, MODEL_YYG_2020
from app.services.models import AUTO, learns_from_past, recalibrates_itself, resolve


def test_auto_is_the_2020_model_to_june_2020_and_the_learning_ensemble_after() -> None:
    assert resolve(AUTO, date(2020, 6, 30)).version == MODEL_YYG_2020
    assert resolve(AUTO, date(2020, 7, 1)).version == MODEL_LEARNED
    assert learns_from_past(AUTO, date(2022, 6, 26)) and not learns_from_past(
        MODEL_RT, date(2022, 6, 26)
    )


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (MODEL_LEARNED, True),
        ("seircast-ensemble.4", True),
        ("seircast-ensemble.3", True),
        (MODEL_RT, False),
        ("nope.1", False),
    ],
)
def test_the_learning_ensembles_stored_fits_are_exported_as_stored(
    version: str, expected: bool
) -> None:
    assert recalibrates_itself(version) is expected


@pytest.mark.parametrize("retired", ["seircast-ensemble.3", "seircast-ensemble.4"])
def test_an_unknown_or_retired_name_is_refused_with_the_choices(retired: str) -> None:
    with pytest.raises(ValueError, match="one of auto"):
        resolve(retired, date(2022, 1, 1))
