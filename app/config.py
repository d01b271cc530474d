"""Settings: the only reader of environment variables (prefix ``SEIRCAST_``)."""

import ipaddress
import re
from functools import lru_cache
from pathlib import Path

from croniter import croniter
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

DEFAULT_DATA_DIR = Path("var")
_HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?")
# Next to the package in a source checkout; the Docker image sets SEIRCAST_MIGRATIONS_DIR.
DEFAULT_MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class Settings(BaseSettings):
    """Service configuration. Every field can be set as ``SEIRCAST_<FIELD>``."""

    # env_ignore_empty: ``SEIRCAST_X=`` (as in a copied .env.example) means "unset": the default.
    model_config = SettingsConfigDict(
        env_prefix="SEIRCAST_", env_file=".env", extra="ignore", env_ignore_empty=True
    )

    DATABASE_URL: str = Field(
        default=f"sqlite:///{DEFAULT_DATA_DIR / 'seircast.db'}",
        description="SQLAlchemy URL: SQLite by default, postgresql+psycopg://... in production",
    )
    AUTO_MIGRATE: bool = Field(
        default=True, description="Run Alembic migrations to head when the service starts."
    )
    MIGRATIONS_DIR: Path = Field(
        default=DEFAULT_MIGRATIONS_DIR, description="Folder holding the Alembic env.py."
    )
    LOAD_BUNDLED_DATA: bool = Field(
        default=True, description="Ingest the bundled JHU CSSE snapshot on first start."
    )
    API_KEYS: list[str] = Field(
        default_factory=list, description="Keys accepted in X-API-Key on mutating endpoints."
    )
    MAX_UPLOAD_BYTES: int = Field(default=64 * 1024 * 1024, gt=0)
    URL_TIMEOUT_SECONDS: float = Field(default=30.0, gt=0)
    ALLOWED_URL_SCHEMES: list[str] = Field(
        default_factory=lambda: ["http", "https"], description="http and/or https; never file."
    )
    URL_ALLOWED_HOSTS: list[str] = Field(
        default_factory=list,
        description="Host names, addresses or networks (CIDR) URL ingest may reach although they "
        'are loopback, private, link-local or reserved, e.g. \'["127.0.0.1", "10.0.0.0/8"]\'.',
    )
    URL_MAX_REDIRECTS: int = Field(default=5, ge=0, le=20, description="Redirect hops followed.")
    ALLOW_OPEN_PUBLIC_BIND: bool = Field(
        default=False,
        description="Let 'seircast serve' listen on a non-loopback address without API_KEYS.",
    )
    LOG_LEVEL: str = "INFO"
    EMBEDDED_WORKER: bool = Field(
        default=True, description="Run a job worker inside the API process (the embedded default)."
    )
    REFIT_ON_START: bool = Field(
        default=True,
        description="On a start with no published forecast, refit the US states and the US.",
    )
    EXECUTOR_WORKERS: int = Field(default=2, ge=1, le=256, description="Process-pool size.")
    DASK_SCHEDULER: str | None = Field(
        default=None, description="tcp://host:8786: fit on this Dask cluster instead."
    )
    FORECAST_CACHE_SECONDS: float = Field(
        default=1.0,
        ge=0,
        description="GET /forecast serves a new publication at most this late (0: always look).",
    )
    SCHEDULE_CRON: str | None = Field(
        default=None,
        description="Cron expression (UTC) that enqueues the daily pipeline, e.g. '0 6 * * *'.",
    )
    PIPELINE_SOURCES: list[str] = Field(
        default_factory=list, description="Files or URLs the pipeline ingests (JSON list)."
    )
    DRIFT_RELATIVE_WIS: float = Field(
        default=1.5, gt=0, description="Alert when a region's rolling relative WIS exceeds this."
    )
    DRIFT_COVERAGE_95: float = Field(
        default=0.7, ge=0, le=1, description="Alert when rolling 95% coverage falls below this."
    )
    DRIFT_WINDOW_WEEKS: int = Field(default=4, ge=1, le=52, description="Forecast dates rolled.")
    DRIFT_MIN_FORECASTS: int = Field(default=8, ge=1, description="Scores needed to judge drift.")
    DRIFT_REFIT: bool = Field(default=False, description="Enqueue a refit on a drift alert.")
    JOB_LEASE_SECONDS: float = Field(default=30.0, gt=0)
    JOB_MAX_ATTEMPTS: int = Field(default=3, ge=1, le=20)
    WORKER_POLL_SECONDS: float = Field(default=1.0, gt=0)

    @field_validator("SCHEDULE_CRON")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is not None and not croniter.is_valid(value):
            raise ValueError(f"{value!r} is not a valid cron expression")
        return value

    @field_validator("MIGRATIONS_DIR")
    @classmethod
    def _has_migrations(cls, value: Path) -> Path:  # runs for a value given, not the default
        if not (value / "env.py").is_file():
            raise ValueError(f"{str(value)!r} holds no Alembic env.py (unset it for the default)")
        return value

    @field_validator("ALLOWED_URL_SCHEMES")
    @classmethod
    def _web_schemes(cls, value: list[str]) -> list[str]:
        schemes = [v.lower() for v in value]
        if not schemes or not set(schemes) <= {"http", "https"}:
            raise ValueError(f"must be http and/or https (never file), got {value}")
        return schemes

    @field_validator("URL_ALLOWED_HOSTS")
    @classmethod
    def _hosts_or_networks(cls, value: list[str]) -> list[str]:
        entries = [entry.strip().lower() for entry in value]
        for entry in entries:
            if not (_is_network(entry) or _HOST_NAME.fullmatch(entry)):
                raise ValueError(f"{entry!r} is not a host name, an address or a CIDR network")
        return entries

    @field_validator("DATABASE_URL")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("DATABASE_URL must be a sqlite:// or postgresql+psycopg:// URL")
        return value


def _is_network(text: str) -> bool:
    """An address (``127.0.0.1``, ``::1``) or a network (``10.0.0.0/8``)."""
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


class ConfigError(Exception):
    """The configuration (environment or .env) is invalid; the message is one line."""


def _one_line(exc: ValidationError) -> str:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "settings"
    message = first["msg"].removeprefix("Value error, ")
    more = len(exc.errors()) - 1
    tail = f" (and {more} more)" if more else ""
    return f"invalid configuration: SEIRCAST_{field}: {message}{tail}"


def load_settings() -> Settings:
    """Settings from the environment and .env.

    Raises:
        ConfigError: one line naming the setting that is wrong.
    """
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(_one_line(exc)) from exc
    except SettingsError as exc:  # a list setting that is not JSON
        # pydantic-settings words it: error parsing value for field "API_KEYS" from source ...
        field = str(exc).split('"')[1] if str(exc).count('"') >= 2 else "?"
        cause = f" ({exc.__cause__})" if exc.__cause__ else ""
        raise ConfigError(
            f"invalid configuration: SEIRCAST_{field} is not valid JSON{cause}"
        ) from exc


@lru_cache
def get_settings() -> Settings:
    return load_settings()
