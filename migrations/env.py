"""Alembic environment: the same revisions run on SQLite (batch mode) and PostgreSQL."""

from alembic import context
from sqlalchemy import Connection

import app.db.eval_models  # evaluation tables (app.db.models does not import them)
import app.db.models  # noqa: F401 - registers the tables on Base.metadata
from app.config import get_settings
from app.db.base import Base
from app.db.session import make_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(get_settings().DATABASE_URL)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `seircast migrate`")
run_migrations_online()
