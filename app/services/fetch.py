"""Download a data file from a URL: streamed, with a size limit and a timeout."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx

from app.config import Settings
from app.errors import AppError, FieldProblem, invalid_input, too_large


@dataclass(frozen=True, slots=True)
class Download:
    url: str
    name: str
    data: bytes


def _url_error(detail: str) -> AppError:
    return AppError(
        detail, 422, "The URL could not be ingested", "bad-url", [FieldProblem(detail, field="url")]
    )


def _check_url(url: str, schemes: list[str]) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise invalid_input(
            f"url must be an absolute {' or '.join(schemes)} URL, got {url!r}",
            [FieldProblem("unsupported URL", field="url")],
        )
    return parsed.path.rsplit("/", 1)[-1] or parsed.netloc


def read_source(source: str, settings: Settings) -> Download:
    """A data file named by an http(s) URL (fetched) or a local path (read)."""
    if source.startswith(("http://", "https://")):
        return fetch(
            source,
            max_bytes=settings.MAX_UPLOAD_BYTES,
            timeout=settings.URL_TIMEOUT_SECONDS,
            schemes=settings.ALLOWED_URL_SCHEMES,
        )
    path = Path(source)
    if not path.is_file():
        raise AppError(f"no such file: {source}", 404, "Not found", "not-found")
    if path.stat().st_size > settings.MAX_UPLOAD_BYTES:
        raise too_large(f"{source} is larger than the limit of {settings.MAX_UPLOAD_BYTES:,} bytes")
    return Download(source, path.name, path.read_bytes())


def fetch(url: str, *, max_bytes: int, timeout: float, schemes: list[str]) -> Download:
    """Stream ``url`` into memory.

    Raises:
        AppError: 422 for a bad URL, an HTTP error status, an HTML page or a timeout;
            413 when the body exceeds ``max_bytes``.
    """
    name = _check_url(url, schemes)
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            if response.status_code >= 400:
                raise _url_error(f"{url} answered HTTP {response.status_code}")
            if "html" in response.headers.get("content-type", ""):
                raise _url_error(f"{url} returned an HTML page, not a CSV file")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise too_large(f"{url} sends more than the limit of {max_bytes:,} bytes")
                chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise _url_error(f"{url} did not answer within {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise _url_error(f"{url} could not be fetched: {exc}") from exc
    data = b"".join(chunks)
    if data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise _url_error(f"{url} returned an HTML page, not a CSV file")
    return Download(url, name, data)
