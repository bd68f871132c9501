"""Helpers every feature uses: who is the learner, and how to show a screen."""

from __future__ import annotations

import inspect
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TypeVar
from weakref import WeakKeyDictionary

from telegram import InlineKeyboardButton, Message, Update
from telegram.error import BadRequest, Forbidden

from bot import callbacks as cb
from bot.context import CxContext
from bot.i18n import Translator, translator
from bot.render.fallback import stale_button_screen
from bot.render.kit import Screen
from bot.services import learners
from content.telegram_html import TelegramHTMLError, parse_html, trim
from domain.records import User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Learner:
    user: User
    lang: str
    t: Translator
    is_new: bool


async def learner(update: Update, context: CxContext) -> Learner | None:
    """Record the learner's visit and pick their language; None for updates without a user."""
    tg_user = update.effective_user
    if tg_user is None or tg_user.is_bot:
        return None
    message = update.effective_message
    text = (message.text or "") if message is not None else ""
    seen = await learners.visit(
        context.env, tg_user.id, tg_user.first_name, tg_user.language_code, text
    )
    return Learner(seen.user, seen.lang, translator(seen.lang), seen.is_new)


async def show(update: Update, context: CxContext, screen: Screen, *, edit: bool = False) -> None:
    """Show a screen: edit the pressed button's message in place, or send a new message.

    An edit that would change nothing is not made (pressing the same button twice, or a
    button that leads to the screen it is on): the handler has answered the query, and
    Telegram would only refuse the edit with "message is not modified"."""
    query = update.callback_query
    message = query.message if query is not None else None
    if edit and query is not None and message is not None:
        wanted = screen_content(screen)
        edits = _edits_of(context)
        key = (message.chat.id, message.message_id)
        last = edits.get(key)
        showing = _showing(message, last)
        if wanted is not None and wanted == showing:
            return
        try:
            edited = await query.edit_message_text(screen.text, reply_markup=screen.keyboard)
            if wanted is not None and isinstance(edited, Message) and edited.edit_date:
                earlier = (showing, *(last[2] if last else ()))[:_EARLIER_VERSIONS]
                _remember(edits, key, (wanted, _seconds(edited.edit_date), earlier))
            return
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return
            # too old to edit, or deleted: fall through and send it anew
            log.debug("could not edit message, sending a new one: %s", exc.message)
    chat = update.effective_chat
    if chat is None:
        return
    await context.bot.send_message(chat.id, screen.text, reply_markup=screen.keyboard)


# What a text message shows, as Telegram compares it: plain text, entities and inline keyboard.
Content = tuple[str, tuple, object]
# Our last edit of a message: what we put there, when (Telegram's edit_date, in seconds), and
# what the message showed before (the latest first).
LastEdit = tuple[Content, int, tuple[Content | None, ...]]
_EARLIER_VERSIONS = 4
_ENTITY_FIELDS = ("type", "offset", "length", "url", "language", "custom_emoji_id")
_REMEMBERED_EDITS = 2048
_PARSED_SCREENS = 1024
# every field an inline button can carry, read from PTB's signature (so a newer Bot API field
# is compared too), attribute by attribute instead of to_dict()
_BUTTON_FIELDS = tuple(
    name
    for name in inspect.signature(InlineKeyboardButton.__init__).parameters
    if name not in ("self", "api_kwargs")
)
_EDITS: WeakKeyDictionary[object, OrderedDict[tuple[int, int], LastEdit]] = WeakKeyDictionary()


def _seconds(moment: datetime | None) -> int:
    return int(moment.timestamp()) if moment is not None else 0


def _showing(message: object, last: LastEdit | None) -> Content | None:
    """What the pressed message shows now; None when unsure (then the edit is made).

    The callback carries the message as it was when pressed. A second press made before our
    first edit reached the learner carries the old copy: the message shows what that edit put
    there. Telegram dates edits to the second: a copy from the same second as our edit is
    known to be older only when it is one of the versions our edits replaced."""
    pressed_on = message_content(message)
    if pressed_on is None or last is None:
        return pressed_on
    ours, at, earlier = last
    copy_at = _seconds(message.edit_date)
    if copy_at < at or (copy_at == at and pressed_on != ours and pressed_on in earlier):
        return ours
    if copy_at == at and pressed_on != ours:
        return None  # edited by someone else in that second, perhaps
    return pressed_on


def _entities(entities: object) -> tuple:
    """Entities as comparable tuples, whether Telegram's objects or the parser's dicts.

    Read attribute by attribute: ``to_dict()`` was most of the cost of this check."""
    rows = []
    for entity in entities or ():
        if isinstance(entity, dict):
            user = entity.get("user")
            rows.append(
                (
                    *(str(entity.get(name)) for name in _ENTITY_FIELDS),
                    str(user.get("id") if isinstance(user, dict) else user),
                )
            )
        else:
            user = getattr(entity, "user", None)
            rows.append(
                (
                    *(str(getattr(entity, name, None)) for name in _ENTITY_FIELDS),
                    str(user.id if user is not None else None),
                )
            )
    return tuple(sorted(rows))


def _button_key(button: object) -> tuple:
    """What Telegram compares of an inline button (every field a button can carry)."""
    return tuple(
        (name, value if isinstance(value, str | int | bool) else _object_key(value))
        for name in _BUTTON_FIELDS
        if (value := getattr(button, name, None)) is not None
    )


def _object_key(value: object) -> object:
    to_json = getattr(value, "to_json", None)
    return to_json() if to_json is not None else repr(value)  # rare kinds: exact, not fast


def _markup(markup: object) -> object:
    rows = getattr(markup, "inline_keyboard", None)
    if rows is None:
        return markup.to_dict() if markup is not None else None
    return tuple(tuple(_button_key(button) for button in row) for row in rows)


@lru_cache(maxsize=_PARSED_SCREENS)
def _parsed(html: str) -> tuple[str, tuple] | None:
    """Our HTML as Telegram shows it (text, entities); None if it would not parse. Cached: the
    same screens (menus, series lists, a lesson's questions) are shown to many learners."""
    try:
        parsed = trim(parse_html(html))
    except TelegramHTMLError:
        return None
    return parsed.text, _entities(parsed.entities)


def screen_content(screen: Screen) -> Content | None:
    """What ``screen`` shows once Telegram has parsed its HTML; None if it would not parse."""
    parsed = _parsed(screen.text)
    if parsed is None:
        return None
    return parsed[0], parsed[1], _markup(screen.keyboard)


def message_content(message: object) -> Content | None:
    """What a text message shows; None for anything else (then an edit is always tried)."""
    if not isinstance(message, Message) or message.text is None:
        return None
    return message.text, _entities(message.entities), _markup(message.reply_markup)


def _edits_of(context: CxContext) -> OrderedDict[tuple[int, int], LastEdit]:
    """This application's last edits, by (chat, message)."""
    return _EDITS.setdefault(context.application, OrderedDict())


def _remember(
    edits: OrderedDict[tuple[int, int], LastEdit], key: tuple[int, int], last: LastEdit
) -> None:
    edits[key] = last
    edits.move_to_end(key)
    while len(edits) > _REMEMBERED_EDITS:
        edits.popitem(last=False)


async def reply(
    update: Update,
    context: CxContext,
    screen: Screen,
    *,
    edit: bool = False,
    toast: str | None = None,
) -> None:
    """After a press: stop the button's spinner (with ``toast``), then show ``screen``."""
    await answer_query(update, toast)
    await show(update, context, screen, edit=edit)


async def answer_query(update: Update, text: str | None = None) -> None:
    """Stop the button's spinner (optionally with a toast); never fails the handler."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text)
    except (BadRequest, Forbidden) as exc:  # the query expired: nothing left to do
        log.debug("callback answer failed: %s", exc.message)


Data = TypeVar("Data")


async def pressed(
    update: Update, context: CxContext, kind: type[Data]
) -> tuple[Learner, Data] | None:
    """The learner and the parsed data of a pressed button; None if there is no user (the
    spinner stopped) or the data is not of the expected kind — forged, or left by an older
    version of the bot: then a toast says the button is out of date."""
    data = cb.parse(update.callback_query.data)
    me = await learner(update, context)
    if me is None or not isinstance(data, kind):
        await answer_query(update, me.t._("That button is out of date.") if me else None)
        return None
    return me, data


async def judged(
    update: Update, context: CxContext, me: Learner, verdict: str, correct: bool, changed: str
) -> bool:
    """The toast for an answer (a quiz's or a review's): right or not when it was judged
    (True); for a double press, an old or forged button, or a question that changed since
    (``changed``: what to say then, with the menu), why it was not (False)."""
    t = me.t
    if verdict == "judged":
        await answer_query(update, t._("✅ Right!") if correct else t._("❌ Not quite."))
    elif verdict == "stale":
        await answer_query(update, t._("You have already answered this question."))
    elif verdict == "invalid":
        await answer_query(update, t._("That button is out of date."))
    else:
        await gone(update, context, me, changed)
    return verdict == "judged"


async def gone(update: Update, context: CxContext, me: Learner, toast: str) -> None:
    """A button's target no longer exists: say so in a toast and offer the menu."""
    await answer_query(update, toast)
    await show(update, context, stale_button_screen(me.t))
