"""Dependencies as Annotated aliases: routes never touch the engine or environment."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.session import unit_of_work
from app.errors import problem
from app.services.forecast_cache import ForecastCache
from app.services.forecast_reader import ForecastReader


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session_factory(request: Request) -> sessionmaker[Session]:
    """Opaque to routes: handed on to services that open their own short units of work."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


def get_session(request: Request) -> Iterator[Session]:
    with unit_of_work(get_session_factory(request)) as session:
        yield session


async def get_forecast_reader(request: Request) -> ForecastReader:
    """One reader (and cache) per application: fit ids are only unique within one database.

    ``async``: resolved on the event loop, so a cached forecast never waits for a thread.
    """
    state = request.app.state
    if not hasattr(state, "forecast_reader"):
        cache = ForecastCache(ttl=state.settings.FORECAST_CACHE_SECONDS)
        state.forecast_reader = ForecastReader(get_session_factory(request), cache)
    reader: ForecastReader = state.forecast_reader
    return reader


# Declared as an OpenAPI security scheme (Swagger UI's Authorize button); checked below, so
# that without SEIRCAST_API_KEYS (local use) no key is needed.
api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="one of SEIRCAST_API_KEYS; needed on mutating endpoints when that is set",
)


def require_api_key(
    request: Request, x_api_key: Annotated[str | None, Security(api_key_header)] = None
) -> None:
    keys = get_settings_dep(request).API_KEYS
    if keys and x_api_key not in keys:
        raise problem("unauthorized", "this endpoint needs a valid X-API-Key header")


# Database integer columns are 32-bit: larger ids and offsets are client errors (422), never
# a driver overflow (500).
DB_INT_MAX = 2**31 - 1
Offset = Annotated[int, Query(ge=0, le=DB_INT_MAX, description="rows to skip")]

SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": the transaction commits before the response is sent, so a client that
# got 2xx can rely on the write (and a failed commit is an error response, not a lost write).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
ForecastReaderDep = Annotated[ForecastReader, Depends(get_forecast_reader)]
ApiKeyDep = Depends(require_api_key)
