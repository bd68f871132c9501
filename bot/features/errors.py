"""The error handler: log it (the token redacted), mark blocked users, apologise."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.context import CxContext
from bot.i18n import pick_language, translator
from bot.render.fallback import error_screen
from bot.services import learners

log = logging.getLogger(__name__)


async def on_error(update: object, context: CxContext) -> None:
    """No update ends in an unhandled exception: handle what we can, apologise for the rest.

    The apology never touches the database (it may be what failed): its language is the
    one Telegram reports for the user, else the default.
    """
    error = context.error
    user = update.effective_user if isinstance(update, Update) else None
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        # Only a refusal in the learner's own private chat means they blocked the bot; a
        # group that kicked the bot says nothing about the member who wrote there.
        private = chat is not None and chat.type == "private"
        if user is not None and private and chat.id == user.id:
            try:
                await learners.set_blocked(context.env, user.id, True)
            except Exception:  # the database down too: the next send finds them blocked
                log.exception("could not mark user %s blocked", user.id)
        log.info("chat %s cannot be reached: %s", chat.id if chat else "?", error.message)
        return
    log.error("error while handling an update", exc_info=error)
    if chat is None or chat.type != "private":
        return
    default = context.settings.default_language
    lang = pick_language(user.language_code if user else None, default)
    screen = error_screen(translator(lang))
    try:
        await context.bot.send_message(chat.id, screen.text, reply_markup=screen.keyboard)
    except TelegramError as exc:
        log.warning("could not apologise to chat %s: %s", chat.id, exc)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
