"""Decoding of Bot API request parameters and the API error type."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["ApiError", "Params", "UploadedFile", "bad_request", "decode_params"]

# Parameters whose string form is JSON (PTB JSON-encodes every non-string value).
_JSON_KEYS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "options",
        "allowed_updates",
        "commands",
        "scope",
        "menu_button",
        "link_preview_options",
        "reply_parameters",
        "correct_option_ids",
        "explanation_entities",
        "question_entities",
        "description_entities",
        "message_ids",
        "media",
    }
)
_INT_KEYS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "reply_to_message_id",
        "message_thread_id",
        "open_period",
        "close_date",
        "cache_time",
        "max_connections",
        "correct_option_id",
        "video_start_timestamp",
    }
)
_JSON_NAMES = {
    "reply_markup": "reply keyboard markup",
    "entities": "entities",
    "caption_entities": "caption entities",
}


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional retry_after."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        """Remember the error details."""
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        """The JSON body Telegram would send."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 error with Telegram's ``Bad Request: `` prefix."""
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes

    def __repr__(self) -> str:  # short, for call logs
        return f"UploadedFile({self.filename!r}, {len(self.data)} bytes)"


def _coerce(key: str, value: Any) -> Any:
    """Turn a form string into the typed value the Bot API would read."""
    if not isinstance(value, str):
        return value
    if key in _JSON_KEYS:
        try:
            return json.loads(value)
        except ValueError:
            what = _JSON_NAMES.get(key, key)
            raise bad_request(f"can't parse {what} JSON object") from None
    if key in _INT_KEYS:
        stripped = value.strip()
        if stripped.lstrip("-").isdigit():
            return int(stripped)
    return value


def decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Decode a mapping of raw request values (form strings, JSON values or files)."""
    return {key: _coerce(key, value) for key, value in raw.items()}


class Params:
    """Typed accessors over decoded parameters that raise Telegram-style 400 errors."""

    def __init__(self, values: dict[str, Any], arrival: int = 0) -> None:
        """Wrap decoded values; ``arrival`` orders requests by the time they reached the server."""
        self.values = values
        self.arrival = arrival

    def __contains__(self, key: str) -> bool:
        """Whether ``key`` was sent (and is not null)."""
        return self.values.get(key) is not None

    def raw(self, key: str, default: Any = None) -> Any:
        """The decoded value or ``default``."""
        value = self.values.get(key)
        return default if value is None else value

    def get_str(self, key: str, default: str | None = None) -> str | None:
        """A string parameter."""
        value = self.values.get(key)
        if value is None:
            return default
        if isinstance(value, UploadedFile):
            raise bad_request(f"{key} must be a string")
        return value if isinstance(value, str) else json.dumps(value)

    def get_int(self, key: str, default: int | None = None) -> int | None:
        """An integer parameter."""
        value = self.values.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                return int(str(value))
            except ValueError:
                raise bad_request(f"invalid {key} specified") from None
        return value

    def get_bool(self, key: str, default: bool = False) -> bool:
        """A boolean parameter (``true``/``false``/``1``/``0``)."""
        value = self.values.get(key)
        if value is None:
            return default
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def get_json(self, key: str, default: Any = None) -> Any:
        """A JSON-typed parameter (already decoded)."""
        value = self.values.get(key)
        return default if value is None else value
