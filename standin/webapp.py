"""Opening a Mini App as Telegram does: the launch URL with the signed initData and the theme
in its fragment (``#tgWebAppData=...&tgWebAppVersion=...&tgWebAppPlatform=...&
tgWebAppThemeParams=...``).

initData is signed the way Telegram documents it ("Validating data received via the Mini
App"): ``secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)``, ``hash =
hex(HMAC_SHA256(key=secret_key, msg=data_check_string))`` where the data-check-string is every
other field as ``key=value``, sorted by key, joined by line feeds. Written here on its own
(not imported from the bot), so the bot's check is tested against a second implementation.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any
from urllib.parse import quote, urlencode

LIGHT_THEME = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#707579",
    "link_color": "#3390ec",
    "button_color": "#3390ec",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#f4f4f5",
}
DARK_THEME = {
    "bg_color": "#212121",
    "text_color": "#ffffff",
    "hint_color": "#aaaaaa",
    "link_color": "#8774e1",
    "button_color": "#8774e1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#0f0f0f",
}


def sign(fields: dict[str, str], token: str) -> str:
    """initData: the fields and their hash, URL-encoded."""
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    key = hmac.new(b"WebAppData", token.encode("utf-8"), hashlib.sha256).digest()
    digest = hmac.new(key, check.encode("utf-8"), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest}, quote_via=quote)


def init_data(
    token: str, user: dict[str, Any], *, auth_date: int | None = None, **extra: str
) -> str:
    """The initData Telegram gives a Mini App opened by ``user`` (a query id, the user as
    JSON, the time it was signed)."""
    fields = {
        "query_id": "AAF" + secrets.token_urlsafe(12),
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(time.time()) if auth_date is None else auth_date),
        **extra,
    }
    return sign(fields, token)


def launch_url(
    url: str, data: str, theme: dict[str, str] | None = None, platform: str = "web"
) -> str:
    """The URL a Telegram client opens for a Mini App: ``url`` with the launch parameters in
    its fragment."""
    params = {
        "tgWebAppData": data,
        "tgWebAppVersion": "8.0",
        "tgWebAppPlatform": platform,
        "tgWebAppThemeParams": json.dumps(theme or LIGHT_THEME, separators=(",", ":")),
    }
    return f"{url.split('#', 1)[0]}#{urlencode(params, quote_via=quote)}"
