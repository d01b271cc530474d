"""CSV download of a region: observed days, then the published forecast's days."""

import csv
import io

from sqlalchemy.orm import Session

from app.core.targets import Target
from app.services.fits import forecast_rows, published_fit
from app.services.forecasts import LEVELS
from app.services.regions import find_region, observed_series
from app.web.quantiles import SHOWN, by_target

HEADER = [
    "region",
    "date",
    "kind",
    "cumulative_deaths",
    "daily_deaths",
    "daily_deaths_smoothed",
    *(f"daily_q{q}" for q in SHOWN),
    *(f"cumulative_q{q}" for q in SHOWN),
    "fit_id",
]


def region_csv(session: Session, code: str) -> tuple[str, str]:
    """``(region code, CSV text)``: one row per observed day and per forecast day."""
    region = find_region(session, code)
    obs = observed_series(session, region, "deaths", None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    blank = [""] * (2 * len(SHOWN))
    for i, day in enumerate(obs.dates):
        writer.writerow(
            [
                region.code,
                day.isoformat(),
                "observed",
                int(obs.cumulative[i]),
                int(obs.cleaned.raw_daily[i]),
                round(float(obs.cleaned.smoothed_daily[i]), 2),
                *blank,
                "",
            ]
        )
    fit = published_fit(session, region)
    if fit is not None:
        grouped = by_target(forecast_rows(session, fit, [Target.INC_DAY, Target.CUM_DAY]))
        cum = {r.target_date: r.quantiles for r in grouped.get(Target.CUM_DAY, [])}
        at = [LEVELS.index(q) for q in SHOWN]
        for row in grouped.get(Target.INC_DAY, []):
            c = cum.get(row.target_date)
            writer.writerow(
                [
                    region.code,
                    row.target_date.isoformat(),
                    "forecast",
                    "",
                    "",
                    "",
                    *(round(row.quantiles[j], 2) for j in at),
                    *((round(c[j], 2) for j in at) if c else [""] * len(SHOWN)),
                    fit.id,
                ]
            )
    return region.code, out.getvalue()
