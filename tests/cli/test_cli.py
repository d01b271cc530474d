"""app/cli.py without a subprocess: which binds `seircast serve` accepts (tests/e2e/ runs the
installed command)."""

import pytest
import typer

from app.cli.commands import check_bind
from app.config import Settings


@pytest.mark.parametrize(
    ("host", "keys", "open_setting", "allow_open", "allowed"),
    [
        ("127.0.0.1", [], False, False, True),
        ("127.0.0.2", [], False, False, True),
        ("::1", [], False, False, True),
        ("localhost", [], False, False, True),
        ("0.0.0.0", [], False, False, False),
        ("10.0.0.5", [], False, False, False),
        ("0.0.0.0", ["k"], False, False, True),
        ("0.0.0.0", [], True, False, True),  # SEIRCAST_ALLOW_OPEN_PUBLIC_BIND=true
        ("0.0.0.0", [], False, True, True),  # --allow-open
    ],
)
def test_public_binds_need_api_keys_or_an_explicit_opt_in(
    host: str, keys: list[str], open_setting: bool, allow_open: bool, allowed: bool
) -> None:
    settings = Settings(_env_file=None, API_KEYS=keys, ALLOW_OPEN_PUBLIC_BIND=open_setting)
    if allowed:
        check_bind(host, settings, allow_open)
    else:
        with pytest.raises(typer.Exit) as raised:
            check_bind(host, settings, allow_open)
        assert raised.value.exit_code == 2
