from datetime import date

import pytest

from app.core.epiweeks import epiweek_end, hub_target_end_date


def test_epiweeks_run_sunday_to_saturday() -> None:
    assert epiweek_end(date(2020, 6, 1)) == date(2020, 6, 6)  # Monday -> Saturday
    assert epiweek_end(date(2020, 6, 6)) == date(2020, 6, 6)
    assert epiweek_end(date(2020, 5, 31)) == date(2020, 6, 6)  # Sunday starts the week


def test_hub_target_end_is_a_saturday_counted_from_the_forecast_week() -> None:
    assert hub_target_end_date(date(2020, 5, 4), 1) == date(2020, 5, 9)  # Monday
    assert hub_target_end_date(date(2020, 5, 3), 1) == date(2020, 5, 9)  # Sunday
    assert hub_target_end_date(date(2020, 5, 5), 1) == date(2020, 5, 16)  # Tuesday
    assert hub_target_end_date(date(2020, 5, 4), 4) == date(2020, 5, 30)
    with pytest.raises(ValueError, match="weeks_ahead"):
        hub_target_end_date(date(2020, 5, 4), 0)
