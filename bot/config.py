"""Configuration from environment variables (and an optional ``.env``), validated at start-up.

Every variable starts with ``CXCOACH_``. A bad value stops the bot with one line naming
the variable, e.g. ``configuration error: CXCOACH_ADMIN_IDS: not a Telegram user id: 'bob'``.
"""

from __future__ import annotations

import re
import textwrap
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.i18n import LANGUAGES

ENV_PREFIX = "CXCOACH_"
TELEGRAM_API_URL = "https://api.telegram.org"
TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")


def _optional(value: object, pattern: str, refusal: str) -> str | None:
    """An optional setting: None when empty; else its text (a secret's too), which must match
    ``pattern`` from its start (the refusal never echoes the value: it may be a secret)."""
    if value is None or value == "":
        return None
    text = value.get_secret_value() if isinstance(value, SecretStr) else str(value).strip()
    if not re.match(pattern, text):
        raise ValueError(refusal)
    return text


class ConfigError(Exception):
    """A configuration value is missing or invalid; the message is one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    bot_token: SecretStr | None = Field(
        default=None,
        description="token from @BotFather; without it `cxcoach run` stops (and `make run` "
        "starts the sandbox)",
    )
    database: str = Field(
        default="data/cxcoach.sqlite3",
        description="a SQLite file path, or a postgresql:// URL for PostgreSQL",
    )
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), description="comma-separated Telegram user ids of admins"
    )
    default_language: str = Field(default="en", description="language when Telegram gives none")
    bot_api_url: str = Field(
        default=TELEGRAM_API_URL,
        description="Bot API server: Telegram's, a self-hosted one, or the local stand-in",
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR")
    rate_limit: float = Field(
        default=30.0,
        ge=0,
        description="overall outgoing messages per second (0 disables the limiter)",
    )
    bulk_rate: float = Field(
        default=25.0,
        ge=0,
        description="messages per second for drips, nudges and broadcasts (0: no pacing)",
    )
    channel: str | None = Field(
        default=None,
        description="the project's channel for /announce: @username or -100... id",
    )
    channels: str | None = Field(
        default=None,
        description="a channel per language for the posting calendar and bonuses, e.g. "
        "'en:@cx_en,ru:@cx_ru,uk:-1001234567890' (a language not listed uses CXCOACH_CHANNEL)",
    )
    approve_join_requests: bool = Field(
        default=True,
        description="approve a channel's join requests after greeting the person (false: "
        "greet only, an admin approves)",
    )
    paid_broadcast: bool = Field(
        default=False,
        description="send broadcasts with allow_paid_broadcast (up to 1,000/s, paid in Stars)",
    )
    tick_seconds: float = Field(
        default=30.0, gt=0, le=3600, description="how often due deliveries are looked for"
    )
    lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="how long a claimed delivery belongs to its process before others may retry it",
    )
    metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="port for /healthz, /readyz and /metrics (0: a free one, logged at start)",
    )
    metrics_host: str = Field(default="127.0.0.1", description="address of that server")
    webhook_url: str | None = Field(
        default=None,
        description="public https URL Telegram posts updates to; unset: long polling",
    )
    webhook_path: str = Field(default="telegram", description="path of the webhook endpoint")
    webhook_listen: str = Field(default="0.0.0.0", description="address the webhook server binds")
    webhook_port: int = Field(default=8443, ge=1, le=65535, description="its port")
    webhook_socket_fd: int | None = Field(
        default=None,
        ge=0,
        description="an inherited, listening socket to serve the webhook on instead of "
        "binding the address and port above (systemd socket activation: 3; a supervisor "
        "or test harness that binds for the bot)",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="secret Telegram sends in a header with every update (required for webhooks)",
    )
    dashboard_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="port of the dashboard (the Mini App for admins, managers and learners); "
        "unset: no dashboard (0: a free port, logged at start)",
    )
    dashboard_host: str = Field(
        default="127.0.0.1", description="address the dashboard binds (behind the HTTPS proxy)"
    )
    dashboard_url: str | None = Field(
        default=None,
        description="the dashboard's public https URL (the proxy forwards it to the port "
        "above); set: every chat's menu button opens it",
    )
    dashboard_max_age: float = Field(
        default=3600.0,
        gt=0,
        description="seconds a Mini App launch (its signed initData) stays valid",
    )
    http_client: Literal["aiohttp", "httpx"] = Field(
        default="aiohttp",
        description="HTTP client for Bot API calls: aiohttp (lean) or httpx (PTB's default)",
    )

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        refusal = "must be the public http(s) URL Telegram can reach"
        return _optional(value, r"https?://[^/\s]+", refusal)

    @field_validator("dashboard_url", mode="before")
    @classmethod
    def _dashboard_url(cls, value: object) -> object:
        refusal = "must be the dashboard's public https URL (Telegram opens only https)"
        return _optional(value, r"https://[^/\s]+", refusal)

    @model_validator(mode="after")
    def _dashboard_needs_port(self) -> Settings:
        if self.dashboard_url and self.dashboard_port is None:
            raise ValueError("CXCOACH_DASHBOARD_PORT is required with CXCOACH_DASHBOARD_URL")
        return self

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object) -> object:
        refusal = "must be 16-256 characters of A-Z, a-z, 0-9, _ and -"
        return _optional(value, r"[A-Za-z0-9_-]{16,256}\Z", refusal)

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("CXCOACH_WEBHOOK_SECRET is required with CXCOACH_WEBHOOK_URL")
        return self

    @field_validator("database", mode="before")
    @classmethod
    def _database(cls, value: object) -> object:
        text = str(value).strip()
        if not text:
            raise ValueError("must be a SQLite file path or a postgresql:// URL")
        if "://" in text and not text.startswith(("postgresql://", "postgres://")):
            raise ValueError("only SQLite paths and postgresql:// URLs are supported")
        return text

    @property
    def uses_postgres(self) -> bool:
        return self.database.startswith(("postgresql://", "postgres://"))

    @field_validator("channel", mode="before")
    @classmethod
    def _channel(cls, value: object) -> object:
        refusal = "must be a channel @username or its -100... id"
        return _optional(value, r"(?:@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,15})\Z", refusal)

    @field_validator("channels", mode="before")
    @classmethod
    def _channels(cls, value: object) -> object:
        one = r"(?:en|ru|uk):(?:@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,15})"
        refusal = "must be language:channel pairs, e.g. en:@cx_en,ru:-1001234567890"
        return _optional(value, rf"{one}(?:,{one})*\Z", refusal)

    @property
    def channel_by_language(self) -> dict[str, str]:
        """Each language's channel: CXCOACH_CHANNELS, else CXCOACH_CHANNEL for all."""
        listed = dict(pair.split(":", 1) for pair in (self.channels or "").split(",") if pair)
        if self.channel:
            for lang in ("en", "ru", "uk"):
                listed.setdefault(lang, self.channel)
        return listed

    @property
    def channel_list(self) -> list[str]:
        """Every configured channel, once."""
        return list(dict.fromkeys(self.channel_by_language.values()))

    @property
    def channel_chat(self) -> int | str | None:
        """The channel as the Bot API wants it (numeric ids as int)."""
        if self.channel is None:
            return None
        return int(self.channel) if self.channel.lstrip("-").isdigit() else self.channel

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        # never echo the value: it may be a real token with a typo
        refusal = "does not look like a bot token (digits:letters from @BotFather)"
        return _optional(value, TOKEN_RE.pattern, refusal)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            ids = set()
            for part in value.replace(";", ",").split(","):
                part = part.strip()
                if not part:
                    continue
                if not part.isdigit():
                    raise ValueError(f"not a Telegram user id: {part!r}")
                ids.add(int(part))
            return frozenset(ids)
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("bot_api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http(s) URL such as https://api.telegram.org")
        if value.endswith("/bot"):
            value = value[: -len("/bot")]
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.strip().upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value

    @property
    def token(self) -> str | None:
        return self.bot_token.get_secret_value() if self.bot_token else None

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids


def _shown_default(value: object) -> str:
    if value is None or value == frozenset():
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def settings_help() -> str:
    """Every ``CXCOACH_`` variable with its default and meaning, read from the model above
    (``cxcoach run --help`` prints it, so the list cannot drift from the code)."""
    rows = [
        (ENV_PREFIX + name.upper(), _shown_default(field.default), field.description or "")
        for name, field in Settings.model_fields.items()
    ]
    lines = ["configuration (environment variables, or a .env file in the working directory):"]
    for name, default, meaning in rows:
        lines.append(f"  {name} (default: {default})")
        lines += textwrap.wrap(meaning, 88, initial_indent=" " * 6, subsequent_indent=" " * 6)
    return "\n".join(lines)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        if not first["loc"]:  # a rule across variables names them in its message
            raise ConfigError(f"configuration error: {message}") from None
        name = ENV_PREFIX + str(first["loc"][0]).upper()
        raise ConfigError(f"configuration error: {name}: {message}") from None
