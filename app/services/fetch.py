"""Download a data file from a URL: only public addresses (or allow-listed ones), redirects
followed here hop by hop, size-capped, and within one total deadline."""

import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.config import Settings
from app.errors import AppError, FieldProblem, invalid_input, not_found, problem, too_large
from app.services.urlsafety import AllowList, checked_address

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
WEB_SCHEMES = frozenset({"http", "https"})  # file:// and the rest: never, whatever is configured


@dataclass(frozen=True, slots=True)
class Download:
    url: str
    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class FetchLimits:
    max_bytes: int
    timeout: float  # seconds for the whole fetch: every hop, headers and body
    schemes: frozenset[str]
    allow: AllowList
    max_redirects: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "FetchLimits":
        return cls(
            max_bytes=settings.MAX_UPLOAD_BYTES,
            timeout=settings.URL_TIMEOUT_SECONDS,
            schemes=frozenset(settings.ALLOWED_URL_SCHEMES) & WEB_SCHEMES,
            allow=AllowList.parse(settings.URL_ALLOWED_HOSTS),
            max_redirects=settings.URL_MAX_REDIRECTS,
        )


def _url_error(detail: str) -> AppError:
    return problem("bad-url", detail, [FieldProblem(detail, field="url")])


def _check_url(url: str, schemes: frozenset[str]) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in schemes or not parsed.host:
        allowed = " or ".join(sorted(schemes))
        raise invalid_input(
            f"url must be an absolute {allowed} URL, got {url!r}",
            [FieldProblem("unsupported URL", field="url")],
        )
    return parsed


def read_source(source: str, settings: Settings) -> Download:
    """A data file named by an http(s) URL (fetched) or a local path (read)."""
    if "://" in source:
        return fetch(source, FetchLimits.from_settings(settings))
    path = Path(source)
    if not path.is_file():
        raise not_found(f"no such file: {source}")
    if path.stat().st_size > settings.MAX_UPLOAD_BYTES:
        raise too_large(f"{source} is larger than the limit of {settings.MAX_UPLOAD_BYTES:,} bytes")
    return Download(source, path.name, path.read_bytes())


def fetch(url: str, limits: FetchLimits) -> Download:
    """Stream ``url`` into memory, following at most ``limits.max_redirects`` redirects.

    Every hop's host is resolved and checked (app/services/urlsafety.py) and the connection
    goes to the checked address. The timeout bounds the whole fetch, so a server that trickles
    its body is cut off too.

    Raises:
        AppError: 422 for a bad or refused URL, an HTTP error status, an HTML page, too many
            redirects or the deadline passing; 413 when the body exceeds ``limits.max_bytes``.
    """
    target = _check_url(url, limits.schemes)
    name = target.path.rsplit("/", 1)[-1] or target.host
    deadline = time.monotonic() + limits.timeout
    try:
        with httpx.Client(trust_env=False, follow_redirects=False) as client:
            for _ in range(limits.max_redirects + 1):
                response = _send(client, target, limits, deadline)
                try:
                    location = _redirect(url, response)
                    if location is None:
                        return Download(url, name, _read_body(url, response, limits, deadline))
                finally:
                    response.close()
                target = _check_url(str(target.join(location)), limits.schemes)
    except httpx.TimeoutException as exc:
        raise _url_error(f"{url} did not answer within {limits.timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise _url_error(f"{url} could not be fetched: {exc}") from exc
    raise _url_error(f"{url} redirects more than {limits.max_redirects} times")


def _send(
    client: httpx.Client, target: httpx.URL, limits: FetchLimits, deadline: float
) -> httpx.Response:
    """GET ``target`` from the address its host was checked at, with the time that is left."""
    port = target.port or (443 if target.scheme == "https" else 80)
    address = checked_address(str(target), target.host, port, limits.allow)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise httpx.ReadTimeout("deadline passed between redirects")
    request = client.build_request(
        "GET",
        target.copy_with(host=str(address)),
        headers={"Host": target.netloc.decode("ascii")},
        extensions={"sni_hostname": target.raw_host.decode("ascii")},
        timeout=remaining,
    )
    return client.send(request, stream=True)


def _redirect(url: str, response: httpx.Response) -> str | None:
    """The Location of a redirect (None for any other answer)."""
    if response.status_code not in REDIRECT_STATUSES:
        return None
    location: str | None = response.headers.get("location")
    if not location:
        raise _url_error(f"{url} answered HTTP {response.status_code} without a Location")
    return location


def _read_body(url: str, response: httpx.Response, limits: FetchLimits, deadline: float) -> bytes:
    if response.status_code >= 300:
        raise _url_error(f"{url} answered HTTP {response.status_code}")
    if "html" in response.headers.get("content-type", ""):
        raise _url_error(f"{url} returned an HTML page, not a CSV file")
    too_big = too_large(f"{url} sends more than the limit of {limits.max_bytes:,} bytes")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise too_big
        if time.monotonic() > deadline:
            raise _url_error(f"{url} did not send the whole file within {limits.timeout:g} s")
        chunks.append(chunk)
    data = b"".join(chunks)
    if data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise _url_error(f"{url} returned an HTML page, not a CSV file")
    return data
