"""Run Alembic migrations programmatically (used by `seircast migrate` and the app start-up)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
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
