"""create_app(): the FastAPI application; the lifespan owns the engine and start-up work."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app import __version__
from app.api.errors import install_error_handlers
from app.api.observability import install_observability
from app.api.router import api_router
from app.config import Settings, get_settings
from app.db.migrate import upgrade
from app.db.session import make_engine, make_session_factory, unit_of_work
from app.jobs.runner import BackgroundWorker
from app.jobs.scheduler import Scheduler
from app.services.bootstrap import load_bundled_data, seed_regions
from app.services.refit import ensure_initial_refit
from app.web.docs import install_docs
from app.web.routes import install_web

log = logging.getLogger("seircast")

DESCRIPTION = """
Epidemic death forecasting: JHU CSSE time series in, YYG SEIR grid-search fits, probabilistic
forecasts out. Errors are RFC 9457 `application/problem+json`.

Data: COVID-19 Data Repository by the Center for Systems Science and Engineering (CSSE) at Johns
Hopkins University, CC BY 4.0.
"""


def prepare_database(settings: Settings) -> None:
    """Migrate, load the bundled data and queue the first refit, as settings ask (idempotent)."""
    engine = make_engine(settings.DATABASE_URL)
    try:
        _prepare(make_session_factory(engine), engine, settings)
    finally:
        engine.dispose()


def _prepare(factory: sessionmaker[Session], engine: Engine, settings: Settings) -> None:
    if settings.AUTO_MIGRATE:
        upgrade(engine, settings.MIGRATIONS_DIR)
    if settings.LOAD_BUNDLED_DATA:
        load_bundled_data(factory)
    else:
        with unit_of_work(factory) as session:
            seed_regions(session)
    if settings.REFIT_ON_START:
        with unit_of_work(factory) as session:
            job = ensure_initial_refit(session, settings.JOB_MAX_ATTEMPTS)
        if job is not None:
            log.info(
                "no published forecast yet: refit of the US states and the US queued as job %s",
                job.id,
            )


def _start(app: FastAPI, settings: Settings) -> None:
    engine = make_engine(settings.DATABASE_URL)
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.observability.watch_database(app.state.session_factory)
    _prepare(app.state.session_factory, engine, settings)
    app.state.worker = None
    if settings.EMBEDDED_WORKER:
        app.state.worker = BackgroundWorker(app.state.session_factory, settings)
        app.state.worker.start()
    app.state.scheduler = None
    if settings.SCHEDULE_CRON:
        app.state.scheduler = Scheduler(app.state.session_factory, settings)
        app.state.scheduler.start()
    if not settings.API_KEYS:
        log.warning("SEIRCAST_API_KEYS is not set: mutating endpoints are open (local use only)")


def _stop(app: FastAPI) -> None:
    if app.state.scheduler is not None:
        app.state.scheduler.stop()
    if app.state.worker is not None:
        app.state.worker.stop()
    app.state.engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_start, app, settings)
        yield
        await run_in_threadpool(_stop, app)

    app = FastAPI(
        title="seircast",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by install_docs from vendored files (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.state.observability = install_observability(app)
    app.add_middleware(GZipMiddleware, minimum_size=1000)  # forecasts, hub CSV, pages
    install_docs(app)
    install_web(app)  # before the API: /regions/{code} and /jobs pages answer browsers only
    app.include_router(api_router)
    return app
