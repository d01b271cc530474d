"""POST /ingest against a real local HTTP server: success and each way a URL can fail.

The server is on loopback, which URL ingest refuses by default: these tests allow-list it
(tests/services/test_urlsafety.py tests the refusals).
"""

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from tests.factories import http_server, long_csv, snapshot

CSV = long_csv([("2020-03-01", "NY", 1), ("2020-03-02", "NY", 4)]).encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes = {
            "/deaths.csv": (200, "text/csv", CSV),
            "/page": (200, "text/html; charset=utf-8", b"<html><body>hi</body></html>"),
            "/sneaky.csv": (200, "text/plain", b"<!DOCTYPE html><html></html>"),
        }
        if self.path == "/slow.csv":
            time.sleep(3)
        if self.path == "/big.csv":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            for _ in range(300):
                self.wfile.write(b"2020-03-01,NY,1\n" * 1000)
            return
        status, kind, body = routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings with the local test server's address allow-listed."""
    return settings.model_copy(update={"URL_ALLOWED_HOSTS": ["127.0.0.1"]})


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with http_server(_Handler) as url:
        yield url


def test_ingest_from_url_stores_a_release_once(client: TestClient, server: str) -> None:
    response = client.post("/ingest", json={"url": f"{server}/deaths.csv"})
    assert response.status_code == 201, response.text
    assert response.json()["release"]["source"] == f"{server}/deaths.csv"
    again = client.post("/ingest", json={"url": f"{server}/deaths.csv"})
    assert again.status_code == 200 and not again.json()["created"]


@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        ("/missing.csv", 422, "HTTP 404"),
        ("/page", 422, "HTML"),
        ("/sneaky.csv", 422, "HTML"),
        ("/slow.csv", 422, "did not answer"),
        ("/big.csv", 413, "limit"),
    ],
)
def test_bad_urls_are_problems_and_store_nothing(
    client: TestClient,
    session_factory: sessionmaker[Session],
    server: str,
    path: str,
    status: int,
    expected: str,
) -> None:
    before = snapshot(session_factory)
    response = client.post("/ingest", json={"url": server + path})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert expected in response.json()["detail"]
    assert snapshot(session_factory) == before


@pytest.mark.parametrize("body", [{"url": "ftp://example.org/x.csv"}, {"url": "not a url"}, {}])
def test_malformed_ingest_bodies_are_422(client: TestClient, body: dict[str, str]) -> None:
    response = client.post("/ingest", json=body)
    assert response.status_code == 422
    assert "url" in response.json()["detail"]


def test_unreachable_host_is_422(client: TestClient) -> None:
    response = client.post("/ingest", json={"url": "http://127.0.0.1:9/x.csv"})
    assert response.status_code == 422 and "could not be fetched" in response.json()["detail"]
