"""Telegram-like validation of message text, reply markup, polls and bot commands."""

from __future__ import annotations

import re
from typing import Any

from content.telegram_html import ParsedText, TelegramHTMLError, parse_html, trim, utf16_len

from .params import ApiError, bad_request

__all__ = [
    "CAPTION_LIMIT",
    "TEXT_LIMIT",
    "command_entities",
    "format_text",
    "validate_commands",
    "validate_poll",
    "validate_reply_markup",
    "validate_web_app",
]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_URL_SCHEMES = ("http://", "https://", "tg://")


def format_text(
    text: str | None, parse_mode: str | None, entities: Any, *, caption: bool = False
) -> ParsedText:
    """Parse text/caption as Telegram does and enforce emptiness and length limits."""
    text = text or ""
    mode = (parse_mode or "").strip().lower()
    if mode == "html":
        try:
            parsed = parse_html(text)
        except TelegramHTMLError as exc:
            raise bad_request(str(exc)) from None
    elif mode:
        raise bad_request(
            "unsupported parse_mode"
            if mode not in ("markdown", "markdownv2")
            else f"the stand-in does not implement parse_mode {parse_mode}"
        )
    else:
        parsed = ParsedText(text, _check_entities(entities, text))
    parsed = trim(parsed)
    if caption:
        if len(parsed.text) > CAPTION_LIMIT:
            raise bad_request("message caption is too long")
    else:
        if not parsed.text:
            raise bad_request("message text is empty")
        if len(parsed.text) > TEXT_LIMIT:
            raise bad_request("message is too long")
    return parsed


def _check_entities(entities: Any, text: str) -> list[dict]:
    """Validate explicit ``entities`` (list of MessageEntity dicts) against the text."""
    if entities is None:
        return []
    if not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    total = utf16_len(text)
    result = []
    for entity in entities:
        if not isinstance(entity, dict) or "type" not in entity:
            raise bad_request("can't parse entities: entity type is not specified")
        offset, length = entity.get("offset", -1), entity.get("length", 0)
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0:
            raise bad_request("can't parse entities: invalid entity offset")
        if length > 0 and offset + length <= total:
            result.append(entity)
    return result


_REQUESTS = (
    "request_contact",
    "request_location",
    "request_poll",
    "request_users",
    "request_chat",
    "web_app",
)


_LOOPBACK_WEB_APP = re.compile(r"http://127\.0\.0\.1(?::\d{1,5})?(?:/|\Z)")


def validate_web_app(web_app: Any, where: str, *, loopback_web_apps: bool = False) -> None:
    """A WebAppInfo as Telegram checks it: an object with an https ``url``. The stand-in's
    ``loopback_web_apps`` option (the sandbox and the tests, which serve the Mini App on
    loopback without TLS) also lets ``http://127.0.0.1[:port]/...`` through; Telegram never
    does."""
    url = web_app.get("url") if isinstance(web_app, dict) else None
    if not isinstance(url, str) or not url:
        raise bad_request(f"can't parse {where}: web_app must have a url")
    if url.lower().startswith("https://") and len(url) > len("https://"):
        return
    if loopback_web_apps and _LOOPBACK_WEB_APP.match(url):
        return
    raise bad_request(f"{where} Web App URL '{url}' is invalid: Only HTTPS links are allowed")


def validate_reply_markup(
    markup: Any,
    chat_type: str = "private",
    *,
    inline_only: bool = False,
    loopback_web_apps: bool = False,
) -> dict | None:
    """Check a reply_markup object like Telegram; return it (or None).

    ``chat_type``: where it is sent (request_location/request_contact, web_app buttons:
    private chats only); ``inline_only``: edit methods, which take an inline keyboard and
    nothing else; ``loopback_web_apps``: see :func:`validate_web_app`.
    """
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if inline_only and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup["inline_keyboard"], chat_type, loopback_web_apps)
    elif "keyboard" in markup:
        _validate_reply_keyboard(markup, chat_type)
    elif not ({"remove_keyboard", "force_reply"} & markup.keys()):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _validate_reply_keyboard(markup: dict, chat_type: str) -> None:
    """A ReplyKeyboardMarkup: rows of buttons with text, at most one request each."""
    rows = markup["keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
    for name in ("resize_keyboard", "one_time_keyboard", "is_persistent", "selective"):
        if name in markup and not isinstance(markup[name], bool):
            raise bad_request(f'field "{name}" must be of type Boolean')
    for row in rows:
        for button in row:
            if not isinstance(button, str | dict):
                raise bad_request("can't parse keyboard button: KeyboardButton must be an Object")
            text = button if isinstance(button, str) else button.get("text")
            if not isinstance(text, str) or not text:
                raise bad_request("can't parse keyboard button: Text must be non-empty")
            if isinstance(button, str):
                continue
            requests = [name for name in _REQUESTS if button.get(name)]
            if len(requests) > 1:
                raise bad_request("can't parse keyboard button: only one request field allowed")
            for name in ("request_location", "request_contact"):
                if name in button and not isinstance(button[name], bool):
                    raise bad_request(f'field "{name}" must be of type Boolean')
            if button.get("request_location") and chat_type != "private":
                raise bad_request("location can be requested in a private chats only")
            if button.get("request_contact") and chat_type != "private":
                raise bad_request("phone number can be requested in a private chats only")


def _validate_inline_keyboard(rows: Any, chat_type: str, loopback_web_apps: bool) -> None:
    """Check an inline keyboard: text plus exactly one action per button."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    if sum(len(row) for row in rows) > 100:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                raise bad_request(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            if not isinstance(button.get("text"), str):
                raise bad_request("can't parse inline keyboard button: Text must be a String")
            actions = [key for key in _BUTTON_ACTIONS if key in button]
            if not actions:
                raise bad_request("text buttons are unallowed in the inline keyboard")
            if len(actions) > 1:
                raise bad_request(
                    "can't parse inline keyboard button: exactly one of the optional fields "
                    "must be used"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "web_app" in button:
                if chat_type != "private":
                    raise bad_request("BUTTON_TYPE_INVALID")
                validate_web_app(
                    button["web_app"], "inline keyboard button", loopback_web_apps=loopback_web_apps
                )
            if "url" in button:
                url = button["url"]
                if not isinstance(url, str) or not url.lower().startswith(_URL_SCHEMES):
                    raise bad_request("BUTTON_URL_INVALID")


def _option_text(option: Any) -> str:
    """Text of a poll option given as a string or an InputPollOption dict."""
    if isinstance(option, dict):
        option = option.get("text")
    if not isinstance(option, str):
        raise bad_request("can't parse InputPollOption")
    return option.strip()


def validate_poll(
    question: str | None,
    options: Any,
    poll_type: str,
    correct_option_ids: list[int],
    allows_multiple_answers: bool,
    explanation: str | None,
) -> list[str]:
    """Check poll parameters like Telegram; return the option texts."""
    question = (question or "").strip()
    if not question:
        raise bad_request("poll question must be non-empty")
    if len(question) > 300:
        raise bad_request("poll question length must not exceed 300")
    if not isinstance(options, list):
        raise bad_request("can't parse options JSON object")
    texts = [_option_text(option) for option in options]
    if len(texts) < 2:
        raise bad_request("poll must have at least 2 option")
    if len(texts) > 12:
        raise bad_request("poll can't have more than 12 options")
    if any(not text for text in texts):
        raise bad_request("poll options must be non-empty")
    if any(len(text) > 100 for text in texts):
        raise bad_request("poll options length must not exceed 100")
    if poll_type not in ("regular", "quiz"):
        raise bad_request("poll type is invalid")
    if poll_type == "quiz":
        if not correct_option_ids:
            raise bad_request("correct_option_ids must be specified for quiz polls")
        if len(correct_option_ids) > 1 and not allows_multiple_answers:
            raise bad_request("quiz poll must have exactly one correct option")
        if any(not 0 <= index < len(texts) for index in correct_option_ids):
            raise bad_request("wrong correct option specified")
    elif correct_option_ids:
        raise bad_request("correct options can be specified only for quiz polls")
    if explanation is not None:
        if len(explanation) > 200:
            raise bad_request("explanation length must not exceed 200")
        if explanation.count("\n") > 2:
            raise bad_request("explanation can't contain more than 2 line feeds")
    return texts


def validate_commands(commands: Any) -> list[dict]:
    """Check setMyCommands' list of BotCommand dicts."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND.fullmatch(name):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    return [{"command": c["command"], "description": c["description"]} for c in commands]


_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@/])")


def command_entities(text: str) -> list[dict]:
    """``bot_command`` entities Telegram would attach to a user's text."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group()),
        }
        for m in _COMMAND_RE.finditer(text)
    ]
