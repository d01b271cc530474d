"""POST /ingest refuses what it must not fetch, against a real local HTTP server: loopback,
private and other non-public addresses (after DNS, on every redirect hop), file:// URLs, too
many redirects and a server that trickles its body past the total deadline."""

import ipaddress
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.main import create_app
from app.services.urlsafety import AllowList, non_public_kind
from tests.factories import http_server, long_csv, snapshot

CSV = long_csv([("2020-03-01", "NY", 1), ("2020-03-02", "NY", 4)]).encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path == "/deaths.csv":
            self._answer(200, {"Content-Type": "text/csv"}, CSV)
        elif url.path.startswith("/chain/"):  # /chain/3 -> /chain/2 -> ... -> /chain/0 -> ?to=
            left = int(url.path.rsplit("/", 1)[1])
            target = f"/chain/{left - 1}?{url.query}" if left else parse_qs(url.query)["to"][0]
            self._answer(302, {"Location": target}, b"")
        elif url.path == "/trickle.csv":
            self._trickle()
        else:
            self._answer(404, {"Content-Type": "text/plain"}, b"not found")

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self) -> None:
        """Headers at once, then one byte a second: each read is quick, the whole is not."""
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.end_headers()
        try:
            for byte in (b"date,location,cum_deaths\n" * 4)[:60]:
                self.wfile.write(bytes([byte]))
                time.sleep(1)
        except OSError:  # the client hung up: what the deadline is for
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with http_server(_Handler) as url:
        yield url


@pytest.fixture
def allowed(settings: Settings) -> Iterator[TestClient]:
    """A service whose allow-list names the test server's address."""
    allowing = settings.model_copy(update={"URL_ALLOWED_HOSTS": ["127.0.0.1"]})
    with TestClient(create_app(allowing)) as test_client:
        yield test_client


def _refused(
    client: TestClient, factory: sessionmaker[Session], url: str, status: int, expected: str
) -> str:
    """Posts ``url``; checks the problem names the field and nothing is stored; its type."""
    before = snapshot(factory)
    response = client.post("/ingest", json={"url": url})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert expected in body["detail"], body
    assert [e["field"] for e in body["errors"]] == ["url"]
    assert snapshot(factory) == before
    kind: str = body["type"]
    return kind.rsplit("/", 1)[1]


def test_loopback_is_refused_by_default_and_allowed_by_the_allow_list(
    client: TestClient, allowed: TestClient, session_factory: sessionmaker[Session], server: str
) -> None:
    kind = _refused(client, session_factory, f"{server}/deaths.csv", 422, "loopback address")
    assert kind == "url-refused"
    response = allowed.post("/ingest", json={"url": f"{server}/deaths.csv"})
    assert response.status_code == 201, response.text


def test_a_name_is_checked_after_dns(
    client: TestClient, session_factory: sessionmaker[Session], server: str
) -> None:
    port = server.rsplit(":", 1)[1]
    _refused(client, session_factory, f"http://localhost:{port}/deaths.csv", 422, "loopback")


def test_an_allow_listed_name_is_fetched(
    settings: Settings, session_factory: sessionmaker[Session], server: str
) -> None:
    port = server.rsplit(":", 1)[1]
    by_name = settings.model_copy(update={"URL_ALLOWED_HOSTS": ["localhost"]})
    with TestClient(create_app(by_name)) as client:
        response = client.post("/ingest", json={"url": f"http://localhost:{port}/deaths.csv"})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.1.2.3/x.csv", "private"),
        ("http://[::1]/x.csv", "loopback"),
        ("http://0.0.0.0/x.csv", "unspecified"),
        ("http://224.0.0.1/x.csv", "multicast"),
        ("http://240.0.0.1/x.csv", "reserved"),
    ],
)
def test_a_redirect_chain_ending_at_a_refused_address_is_refused(
    allowed: TestClient,
    session_factory: sessionmaker[Session],
    server: str,
    target: str,
    kind: str,
) -> None:
    url = f"{server}/chain/3?to={target}"
    assert _refused(allowed, session_factory, url, 422, f"{kind} address") == "url-refused"


def test_a_redirect_to_a_file_url_is_refused(
    allowed: TestClient, session_factory: sessionmaker[Session], server: str
) -> None:
    url = f"{server}/chain/1?to=file:///etc/passwd"
    _refused(allowed, session_factory, url, 422, "http or https URL")


def test_redirects_are_bounded(
    allowed: TestClient, session_factory: sessionmaker[Session], server: str
) -> None:
    url = f"{server}/chain/9?to=/deaths.csv"  # ten hops; the default follows five
    _refused(allowed, session_factory, url, 422, "redirects more than 5 times")


def test_a_short_chain_is_followed(allowed: TestClient, server: str) -> None:
    response = allowed.post("/ingest", json={"url": f"{server}/chain/2?to=/deaths.csv"})
    assert response.status_code == 201, response.text
    assert response.json()["release"]["source"] == f"{server}/chain/2?to=/deaths.csv"


def test_a_trickling_server_is_cut_off_by_the_total_deadline(
    allowed: TestClient, session_factory: sessionmaker[Session], server: str
) -> None:
    # One byte a second never trips the 2 s read timeout; the 2 s total must.
    _refused(allowed, session_factory, f"{server}/trickle.csv", 422, "whole file within 2 s")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
        ("fc00::1", "private"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "non-public"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_non_public_addresses_are_named_by_kind(address: str, kind: str | None) -> None:
    assert non_public_kind(ipaddress.ip_address(address)) == kind


def test_allow_list_matches_names_exactly_and_addresses_by_network() -> None:
    allow = AllowList.parse(["10.0.0.0/8", "data.internal"])
    assert allow.allows("x", ipaddress.ip_address("10.9.8.7"))
    assert not allow.allows("x", ipaddress.ip_address("11.0.0.1"))
    assert allow.allows("Data.Internal.", ipaddress.ip_address("192.168.0.1"))
    assert not allow.allows("evil.data.internal", ipaddress.ip_address("192.168.0.1"))
