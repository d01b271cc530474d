"""Scores shown on the website: the leaderboard and a region's scorecard.

No evaluation service exists yet, so both are honestly empty (None): the pages say that no
scores exist rather than showing placeholders.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class ScoreRow:
    model: str
    horizon: int  # weeks ahead
    n: int  # forecasts scored
    wis: float | None
    relative_wis: float | None  # against COVIDhub-baseline
    coverage_50: float | None
    coverage_95: float | None
    abs_error: float | None


def leaderboard(session: Session) -> list[ScoreRow] | None:
    """Every model by horizon; None while nothing can be scored."""
    return None


def region_scores(session: Session, region: str) -> list[ScoreRow] | None:
    """seircast's scores for one region by horizon; None while nothing can be scored."""
    return None
