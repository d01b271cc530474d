"""GET /alerts: bad query values are problems."""

import pytest
from fastapi.testclient import TestClient

from tests.factories import PROBLEM


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"region": "Atlantis"}, 404),
        ({"limit": 0}, 422),
        ({"offset": -1}, 422),
        ({"region": ""}, 422),
    ],
)
def test_bad_alert_queries_are_problems(
    client: TestClient, params: dict[str, object], status: int
) -> None:
    response = client.get("/alerts", params=params)
    assert response.status_code == status and response.headers["content-type"] == PROBLEM
