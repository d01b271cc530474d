"""MMWR epiweeks: weeks run Sunday to Saturday and are named by their Saturday (Forecast Hub)."""

from datetime import date, timedelta


def epiweek_end(day: date) -> date:
    """The Saturday that ends the epiweek containing ``day``."""
    # date.weekday(): Monday=0 .. Sunday=6; Saturday is 5.
    return day + timedelta(days=(5 - day.weekday()) % 7)


def hub_target_end_date(forecast_date: date, weeks_ahead: int) -> date:
    """Target end date of an ``N wk ahead`` Forecast Hub target.

    Hub rule: a forecast made on a Sunday or Monday targets the epiweek that ends on the
    Saturday after it for ``1 wk ahead``; a forecast made Tuesday to Saturday targets the
    Saturday of the following week.
    """
    if weeks_ahead < 1:
        raise ValueError(f"weeks_ahead must be >= 1, got {weeks_ahead}")
    first = epiweek_end(forecast_date)
    if forecast_date.weekday() not in (6, 0):  # not Sunday or Monday
        first += timedelta(days=7)
    return first + timedelta(days=7 * (weeks_ahead - 1))
