"""Settings and load_settings: a copied .env.example is the defaults, an empty value is unset,
every configuration error names its setting in one line."""

import os
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import ConfigError, Settings, load_settings
from tests.factories import REPO


def test_bad_cron_is_rejected() -> None:
    with pytest.raises(ValidationError, match="cron"):
        Settings(SCHEDULE_CRON="every day at six")


def test_a_copied_env_example_is_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("SEIRCAST_"):
            monkeypatch.delenv(name)
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    assert load_settings() == Settings(_env_file=None)
    named = {
        line.split("=", 1)[0].removeprefix("SEIRCAST_")
        for line in (tmp_path / ".env").read_text().splitlines()
        if line.startswith("SEIRCAST_")
    }
    assert named == set(Settings.model_fields)  # every setting is in .env.example


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("API_KEYS", "[key", "SEIRCAST_API_KEYS is not valid JSON"),
        ("MAX_UPLOAD_BYTES", "-1", "SEIRCAST_MAX_UPLOAD_BYTES: Input should be greater than 0"),
        ("ALLOWED_URL_SCHEMES", '["file"]', "SEIRCAST_ALLOWED_URL_SCHEMES: must be http"),
        ("URL_ALLOWED_HOSTS", '["a b"]', "SEIRCAST_URL_ALLOWED_HOSTS: 'a b' is not a host"),
        ("DATABASE_URL", "mysql://x/y", "SEIRCAST_DATABASE_URL: DATABASE_URL must be a sqlite"),
        ("MIGRATIONS_DIR", "/nonexistent", "SEIRCAST_MIGRATIONS_DIR: '/nonexistent' holds no"),
    ],
)
def test_config_errors_name_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv(f"SEIRCAST_{name}", value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(f"invalid configuration: {expected}"), message
    assert "\n" not in message


def test_an_empty_value_is_the_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SCHEDULE_CRON", "DASK_SCHEDULER", "API_KEYS", "MAX_UPLOAD_BYTES"):
        monkeypatch.setenv(f"SEIRCAST_{name}", "")
    assert load_settings() == Settings(_env_file=None)
