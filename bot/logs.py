"""Logging set-up that keeps the bot token out of every log line.

httpx logs each request URL at INFO, and Bot API URLs contain the token; we raise httpx's
level and, as a second line of defence, redact the token from every record that reaches a
handler (message, arguments and formatted exception).
"""

from __future__ import annotations

import logging
import re

REDACTED = "[token redacted]"
# Any bot token shape, even one we were not told about (e.g. in a pasted URL).
_TOKEN_SHAPE = re.compile(r"\d{5,20}:[A-Za-z0-9_-]{30,}")


class RedactTokenFilter(logging.Filter):
    """Replaces the bot token (and anything shaped like one) in records with a marker."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.secrets = [token] if token else []

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def setup_logging(level: str = "INFO", token: str | None = None) -> RedactTokenFilter:
    """Configure the root logger once; returns the redaction filter (tests add secrets)."""
    root = logging.getLogger()
    root.setLevel(level)
    redactor = RedactTokenFilter(token)
    if not any(isinstance(h, logging.StreamHandler) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    for handler in root.handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactTokenFilter)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    # httpx/httpcore log full request URLs (with the token) at INFO/DEBUG.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return redactor
