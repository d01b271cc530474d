"""Run Alembic migrations programmatically (used by `seircast migrate` and the app start-up)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from app.config import DEFAULT_MIGRATIONS_DIR


def _config(engine: Engine, migrations_dir: Path) -> Config:
    if not (migrations_dir / "env.py").is_file():
        raise FileNotFoundError(f"no Alembic migrations at {migrations_dir}")
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    return cfg


def upgrade(engine: Engine, migrations_dir: Path = DEFAULT_MIGRATIONS_DIR) -> None:
    cfg = _config(engine, migrations_dir)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def is_at_head(engine: Engine, migrations_dir: Path = DEFAULT_MIGRATIONS_DIR) -> bool:
    heads = set(ScriptDirectory.from_config(_config(engine, migrations_dir)).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == heads
