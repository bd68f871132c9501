"""Helpers every feature uses: who is the learner, and how to show a screen."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from telegram import Update
from telegram.error import BadRequest, Forbidden

from bot import callbacks as cb
from bot.context import CxContext
from bot.i18n import Translator, translator
from bot.render import screens
from bot.render.screens import Screen
from bot.services import journey, training
from storage.base import User

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
    user, is_new = await journey.touch_learner(
        context.storage, tg_user.id, tg_user.first_name, tg_user.language_code, context.now()
    )
    lang = journey.language_of(user, tg_user.language_code, context.settings.default_language)
    message = update.effective_message
    if user.awaiting and message is not None and (message.text or "").startswith("/"):
        # another command: the typed setting the bot asked for is no longer awaited
        await context.storage.set_awaiting(user.id, None)
        user = replace(user, awaiting=None)
    if user.returned:  # back after blocking the bot: deliveries resume
        await training.reschedule(context.storage, user, lang, context.now())
    return Learner(user, lang, translator(lang), is_new)


async def show(update: Update, context: CxContext, screen: Screen, *, edit: bool = False) -> None:
    """Show a screen: edit the pressed button's message in place, or send a new message."""
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(screen.text, reply_markup=screen.keyboard)
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
    """The learner and the parsed data of a pressed button; None (spinner stopped) if the data
    is not of the expected kind (forged or malformed) or there is no user."""
    data = cb.parse(update.callback_query.data)
    me = await learner(update, context)
    if me is None or not isinstance(data, kind):
        await answer_query(update)
        return None
    return me, data


async def gone(update: Update, context: CxContext, me: Learner, toast: str) -> None:
    """A button's target no longer exists: say so in a toast and offer the menu."""
    await answer_query(update, toast)
    await show(update, context, screens.stale_button_screen(me.t))


def screen_handler(
    make: Callable[[Translator], screens.Screen],
) -> Callable[[Update, CxContext], Awaitable[None]]:
    """A handler that only shows one screen in the learner's language (help, menu, ...)."""

    async def handler(update: Update, context: CxContext) -> None:
        me = await learner(update, context)
        if me is not None:
            await show(update, context, make(me.t))

    handler.__doc__ = make.__doc__
    handler.__name__ = handler.__qualname__ = make.__name__.replace("_screen", "")
    return handler
