"""The error handler: log it (the token redacted), mark blocked users, apologise."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.context import CxContext
from bot.i18n import translator
from bot.render import screens

log = logging.getLogger(__name__)


async def on_error(update: object, context: CxContext) -> None:
    """No update ends in an unhandled exception: handle what we can, apologise for the rest."""
    error = context.error
    user = update.effective_user if isinstance(update, Update) else None
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        # The learner blocked the bot (or left): mark them and do not retry.
        if user is not None:
            await context.storage.set_blocked(user.id, True, context.now())
        log.info("user %s cannot be reached: %s", user.id if user else "?", error.message)
        return
    log.error("error while handling an update", exc_info=error)
    if chat is None or chat.type != "private":
        return
    lang = context.settings.default_language
    if user is not None:
        known = await context.storage.get_user(user.id)
        lang = (known.language if known and known.language else None) or lang
    screen = screens.error_screen(translator(lang))
    try:
        await context.bot.send_message(chat.id, screen.text, reply_markup=screen.keyboard)
    except TelegramError as exc:
        log.warning("could not apologise to chat %s: %s", chat.id, exc)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
