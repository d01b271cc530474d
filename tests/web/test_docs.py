"""The docs pages name only local assets (tests/e2e/web/test_docs_browser.py renders them)."""

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_docs_pages_name_only_local_assets(client: TestClient) -> None:
    for path, asset in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        page = client.get(path)
        assert page.status_code == 200 and f"/static/vendor/{asset}" in page.text
        assert "https://" not in page.text and "http://" not in page.text, path
        assert client.get(f"/static/vendor/{asset}").status_code == 200
    redirect = client.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200 and "oauth2" in redirect.text.lower()
    assert not {"/docs", "/redoc"} & set(client.get("/openapi.json").json()["paths"])
