"""``hub_location``: the Forecast Hub location of every region the registry seeds."""

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.core.hubtypes import COUNTRY_LOCATIONS, HUB_LOCATIONS, LOCATIONS
from app.db.models import Region
from app.ingest.registry import countries
from app.services.scores import hub_location


def test_country_vocabulary_is_the_registry_countries() -> None:
    registry = {r.code for r in countries().values() if r.level == "country"}
    assert registry == set(COUNTRY_LOCATIONS) | {"US"}


def test_every_hub_location_is_one_seeded_region(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        regions = session.scalars(select(Region)).all()
        located = Counter(hub_location(r) for r in regions)
    located.pop(None)
    assert set(located) == HUB_LOCATIONS
    assert set(located.values()) == {1}  # no two regions share a location


@pytest.mark.parametrize(
    ("code", "location"),
    [
        ("FR", "FR"),
        ("DE", "DE"),  # Germany; Delaware is 10
        ("US-DE", "10"),
        ("GB", "GB"),
        ("CA", "CA"),  # Canada; California is 06
        ("US-CA", "06"),
        ("XK", "XK"),
        ("US", "US"),
        ("US-NY", "36"),
        ("US-PR", "72"),
        ("CA-ON", None),  # provinces have none
        ("AU-NSW", None),
        ("AQ", None),  # not a country
        ("XX-DIAMOND-PRINCESS", None),
    ],
)
def test_hub_location_of_seeded_regions(
    session_factory: sessionmaker[Session], code: str, location: str | None
) -> None:
    with session_factory() as session:
        region = session.scalars(select(Region).where(Region.code == code)).one()
        assert hub_location(region) == location


def test_counties_have_no_hub_location() -> None:
    county = Region(code="US-36061", name="New York", level="county", kind="county")
    county.parent_code, county.fips = "US-NY", "36061"
    assert hub_location(county) is None
    assert "36061" not in LOCATIONS
