"""/start (with deep links), /help, /language, /menu and the language and menu buttons."""

from __future__ import annotations

import logging

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks as cb
from bot.commands import commands_for
from bot.context import CxContext
from bot.features import lessons
from bot.features.common import answer_query, learner, pressed, screen_handler, show
from bot.i18n import translator
from bot.render import screens
from bot.services import journey

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


async def start(update: Update, context: CxContext) -> None:
    """Greet, offer the languages and the menu; a deep-link payload opens its target."""
    me = await learner(update, context)
    if me is None:
        return
    link = journey.parse_deep_link(context.args[0] if context.args else None)
    if link is not None and not me.is_new:
        if await lessons.open_target(update, context, me, link):
            return
    name = update.effective_user.first_name if update.effective_user else ""
    await show(update, context, screens.start_screen(me.t, name))
    if link is not None and me.is_new:
        await lessons.open_target(update, context, me, link)


help_command = screen_handler(screens.help_screen)  # /help: what the bot can do
language_command = screen_handler(screens.language_screen)  # /language: the three languages
menu_command = screen_handler(screens.menu_screen)  # /menu


async def choose_language(update: Update, context: CxContext) -> None:
    """Store the chosen language and answer in it from now on (menus included)."""
    if (got := await pressed(update, context, cb.Language)) is None:
        return
    me, data = got
    await context.storage.set_language(me.user.id, data.code)
    t = translator(data.code)
    await answer_query(update)
    await show(update, context, screens.language_set_screen(t), edit=True)
    try:  # this chat's command menu in the chosen language
        await context.bot.set_my_commands(
            commands_for(t), scope=BotCommandScopeChat(update.effective_chat.id)
        )
    except TelegramError as exc:
        log.warning("could not set the chat's command menu: %s", exc)


async def menu_button(update: Update, context: CxContext) -> None:
    """The main menu, in place of the pressed message."""
    me = await learner(update, context)
    await answer_query(update)
    if me is not None:
        await show(update, context, screens.menu_screen(me.t), edit=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start, filters=PRIVATE))
    app.add_handler(CommandHandler("help", help_command, filters=PRIVATE))
    app.add_handler(CommandHandler("language", language_command, filters=PRIVATE))
    app.add_handler(CommandHandler("menu", menu_command, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(choose_language, pattern=r"^lang:"))
    app.add_handler(CallbackQueryHandler(menu_button, pattern=r"^menu$"))
