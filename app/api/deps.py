"""Dependencies as Annotated aliases: routes never touch the engine or environment."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.session import unit_of_work
from app.errors import problem


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    with unit_of_work(factory) as session:
        yield session


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
ApiKeyDep = Depends(require_api_key)
