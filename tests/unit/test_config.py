"""Configuration: defaults, parsing, and one clear line naming a bad variable."""

from __future__ import annotations

import io
import logging

import pytest

from bot.config import ConfigError, load_settings
from bot.logs import REDACTED, setup_logging

TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in list(__import__("os").environ):
        if name.startswith("CXCOACH_"):
            monkeypatch.delenv(name)


def test_defaults():
    settings = load_settings()
    assert settings.token is None
    assert str(settings.database) == "data/cxcoach.sqlite3"
    assert settings.bot_api_url == "https://api.telegram.org"
    assert settings.default_language == "en" and settings.admin_ids == frozenset()


def test_values_from_environment_and_dotenv(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text("CXCOACH_DEFAULT_LANGUAGE=uk\n")
    monkeypatch.setenv("CXCOACH_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("CXCOACH_ADMIN_IDS", "111, 222;333")
    monkeypatch.setenv("CXCOACH_BOT_API_URL", "http://127.0.0.1:8081/bot/")
    settings = load_settings()
    assert settings.token == TOKEN and TOKEN not in repr(settings)
    assert settings.admin_ids == {111, 222, 333} and settings.is_admin(222)
    assert not settings.is_admin(444) and not settings.is_admin(None)
    assert settings.default_language == "uk"
    assert settings.bot_api_url == "http://127.0.0.1:8081"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        (
            "CXCOACH_ADMIN_IDS",
            "12,bob",
            "configuration error: CXCOACH_ADMIN_IDS: not a Telegram user id: 'bob'",
        ),
        (
            "CXCOACH_DEFAULT_LANGUAGE",
            "de",
            "configuration error: CXCOACH_DEFAULT_LANGUAGE: must be one of en, ru, uk",
        ),
        (
            "CXCOACH_BOT_API_URL",
            "ftp://x",
            "configuration error: CXCOACH_BOT_API_URL: must be an http(s) URL",
        ),
        ("CXCOACH_RATE_LIMIT", "-1", "configuration error: CXCOACH_RATE_LIMIT:"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch, name, value, expected):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert str(err.value).startswith(expected)
    assert "\n" not in str(err.value)


def test_bad_token_is_not_echoed(monkeypatch):
    monkeypatch.setenv("CXCOACH_BOT_TOKEN", "123:short-secret")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "CXCOACH_BOT_TOKEN" in str(err.value) and "short-secret" not in str(err.value)


def test_token_is_redacted_from_every_log_record():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger().addHandler(handler)
    try:
        _log_with_token()
    finally:
        logging.getLogger().removeHandler(handler)
    err = stream.getvalue()
    assert TOKEN not in err and "987654321:ZZZ" not in err
    assert err.count(REDACTED) >= 3
    assert logging.getLogger("httpx").level == logging.WARNING


def _log_with_token() -> None:
    setup_logging("DEBUG", TOKEN)
    log = logging.getLogger("test.redaction")
    log.info("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    log.warning(
        "other token https://api.telegram.org/bot987654321:ZZZfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0/x"
    )
    try:
        raise RuntimeError(f"failed calling /bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("boom")


def test_database_is_a_sqlite_path_or_a_postgresql_url(monkeypatch):
    monkeypatch.setenv("CXCOACH_DATABASE", "postgresql://bot@db.example:5432/cx")
    settings = load_settings()
    assert settings.uses_postgres and settings.database == "postgresql://bot@db.example:5432/cx"
    monkeypatch.setenv("CXCOACH_DATABASE", "/var/lib/cx/bot.sqlite3")
    assert not load_settings().uses_postgres
    monkeypatch.setenv("CXCOACH_DATABASE", "mysql://x/y")
    with pytest.raises(ConfigError, match=r"CXCOACH_DATABASE: .*postgresql://"):
        load_settings()


def test_webhook_settings_need_a_secret(monkeypatch):
    monkeypatch.setenv("CXCOACH_WEBHOOK_URL", "https://bot.example.com")
    with pytest.raises(ConfigError, match="CXCOACH_WEBHOOK_SECRET is required"):
        load_settings()
    monkeypatch.setenv("CXCOACH_WEBHOOK_SECRET", "short")
    with pytest.raises(ConfigError, match="CXCOACH_WEBHOOK_SECRET: must be 16-256"):
        load_settings()
    monkeypatch.setenv("CXCOACH_WEBHOOK_SECRET", "a-long-enough_secret-1234")
    settings = load_settings()
    assert settings.webhook_url == "https://bot.example.com" and settings.webhook_port == 8443
    assert "a-long-enough" not in repr(settings)
    monkeypatch.setenv("CXCOACH_WEBHOOK_URL", "bot.example.com")
    with pytest.raises(ConfigError, match="CXCOACH_WEBHOOK_URL"):
        load_settings()


def test_run_help_lists_every_variable_with_its_default_and_meaning(capsys):
    """`cxcoach run --help` is generated from the settings model: nothing is left out."""
    import re
    from pathlib import Path

    from bot.cli import main
    from bot.config import Settings

    with pytest.raises(SystemExit) as done:
        main(["run", "--help"])
    assert done.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())  # argparse may wrap: compare words
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name}: a setting without a meaning"
        assert f"CXCOACH_{name.upper()} (default: " in shown
        assert " ".join(field.description.split()) in shown
    assert "CXCOACH_DATABASE (default: data/cxcoach.sqlite3)" in shown
    assert "CXCOACH_BULK_RATE (default: 25)" in shown
    assert "CXCOACH_ADMIN_IDS (default: unset)" in shown
    root = Path(__file__).resolve().parents[2]
    mentioned = set()
    for path in [root / "README.md", *root.glob("bot/**/*.py"), *root.glob("docs/*.md")]:
        mentioned |= set(re.findall(r"CXCOACH_[A-Z_]*[A-Z]", path.read_text(encoding="utf-8")))
    mentioned.discard("CXCOACH_TEST_POSTGRES")  # the test suite's variable, not the bot's
    missing = {name for name in mentioned if f"{name} (default: " not in shown}
    assert missing == set(), "variables the docs or code name but --help does not"
