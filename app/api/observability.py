"""Request ids, structured access logs and Prometheus metrics (``GET /metrics``)."""

import contextvars
import json
import logging
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.examples import METRICS
from app.services.records import JobStatus
from app.services.status import job_counts

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
access_log = logging.getLogger("seircast.access")


def utc_stamp(created: float) -> str:
    """ISO 8601 in UTC with Z, as every timestamp of the API."""
    moment = datetime.fromtimestamp(created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id of the request being served."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": utc_stamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure_logging(level: str) -> None:
    """Called by the CLI entry points, never at import."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=level, handlers=[handler], force=True)


class _DatabaseCollector(Collector):
    """Queue depth, jobs by status and fit counts, read from the database at scrape time so
    they are right however many API and worker processes there are."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def collect(self) -> Any:
        jobs, fits, fit_seconds = job_counts(self.factory)
        gauge = GaugeMetricFamily(
            "seircast_jobs", "Jobs by kind and status", labels=["kind", "status"]
        )
        for (kind, status), n in jobs.items():
            gauge.add_metric([kind, status], n)
        yield gauge
        queued = sum(n for (kind, status), n in jobs.items() if status == JobStatus.QUEUED)
        yield GaugeMetricFamily("seircast_queue_depth", "Queued jobs", value=queued)
        yield GaugeMetricFamily("seircast_fits_stored", "Fits stored", value=fits)
        # a counter (fits are never deleted): exposed as seircast_fit_seconds_total
        yield CounterMetricFamily(
            "seircast_fit_seconds", "Sum of the stored fits' wall times", value=fit_seconds
        )


class Observability:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "seircast_http_requests",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "seircast_http_request_duration_seconds",
            "Request latency",
            ["route"],
            registry=self.registry,
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
        )
        # process_cpu_seconds_total, process_resident_memory_bytes, ..., python_info
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)

    def watch_database(self, factory: sessionmaker[Session]) -> None:
        self.registry.register(_DatabaseCollector(factory))


def route_label(scope: Scope, original: Scope, routes: Sequence[BaseRoute]) -> str:
    """The route template a request matched (``/regions/{code}``, ``/docs``, ``/static``):
    FastAPI records API routes in the scope; others (OpenAPI, static mounts) are matched on
    the request's scope as it came in, before a mount rewrote its paths."""
    route = scope.get("route")
    if route is None:
        route = next((r for r in routes if r.matches(original)[0] is not Match.NONE), None)
    return str(getattr(route, "path", None) or "unmatched")


class RequestContextMiddleware:
    """Pure ASGI: a request id (``X-Request-ID`` in, or new) in logs and response headers."""

    def __init__(
        self, app: ASGIApp, observability: Observability, routes: Sequence[BaseRoute] = ()
    ) -> None:
        self.app, self.obs, self.routes = app, observability, routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode()[:64]
        rid = incoming or uuid.uuid4().hex
        token = request_id.set(rid)
        started, status, original = time.perf_counter(), 500, dict(scope)

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = route_label(scope, original, self.routes)
            elapsed = time.perf_counter() - started
            self.obs.requests.labels(scope["method"], route, str(status)).inc()
            self.obs.latency.labels(route).observe(elapsed)
            access_log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "ms": round(elapsed * 1000, 2),
                    }
                },
            )
            request_id.reset(token)


def install_observability(app: FastAPI) -> Observability:
    obs = Observability()
    # the router's own list: routes added later are matched too
    app.add_middleware(RequestContextMiddleware, observability=obs, routes=app.router.routes)

    @app.get(
        "/metrics",
        tags=["health"],
        response_class=Response,
        responses={200: {"content": {"text/plain": {"example": METRICS}}}},
    )
    def metrics(request: Request) -> Response:
        """Prometheus metrics: requests, latency, jobs by status, queue depth, fits."""
        return Response(generate_latest(obs.registry), media_type="text/plain; version=0.0.4")

    return obs
