"""/start (with deep links), /help, /language, /menu; the language, menu and "More" buttons,
and going on with an unfinished quiz."""

from __future__ import annotations

import logging

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks as cb
from bot.commands import commands_for
from bot.context import CxContext
from bot.features import lessons
from bot.features.common import Learner, answer_query, gone, learner, pressed, screen_handler, show
from bot.i18n import translator
from bot.render import screens
from bot.services import journey

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


async def start(update: Update, context: CxContext) -> None:
    """First visit: greet and offer the languages. Back again: where the learner left off.
    A deep-link payload opens its target, or says that it does not exist."""
    me = await learner(update, context)
    if me is None:
        return
    payload = context.args[0] if context.args else None
    link = journey.parse_deep_link(payload)
    broken = journey.broken_link_kind(payload)  # l_Bad!, or too long: not found either
    name = update.effective_user.first_name if update.effective_user else ""
    if me.is_new:
        await show(update, context, screens.start_screen(me.t, name))
    elif link is None and broken is None:
        await _home(update, context, me, name)
        return
    if link is not None and await lessons.open_target(update, context, me, link):
        return
    kind = link.kind if link is not None else broken
    if kind is not None:
        await show(update, context, screens.link_not_found_screen(me.t, kind))


async def _home(update: Update, context: CxContext, me: Learner, name: str) -> None:
    """A returning learner's home: the lesson or quiz to go on with, what is due, the menu
    (one who has read nothing yet is offered the first lesson rather than the greeting)."""
    nxt = await journey.what_next(context.storage, context.catalog, me.user, me.lang, context.now())
    await show(update, context, screens.home_screen(me.t, name, nxt))


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
        log.warning("could not set the chat’s command menu: %s", exc)


async def resume_quiz_button(update: Update, context: CxContext) -> None:
    """qr:<attempt> — the unfinished quiz's current question again, as a new message."""
    if (got := await pressed(update, context, cb.ResumeQuiz)) is None:
        return
    me, data = got
    quiz = await journey.resumable_quiz(
        context.storage, context.catalog, me.user.id, me.lang, data.attempt_id
    )
    if quiz is None:
        await gone(update, context, me, me.t._("This quiz is over or has changed since."))
        return
    await answer_query(update)
    screen = screens.question_screen(me.t, quiz.lesson, quiz.attempt, quiz.index, quiz.order)
    await show(update, context, screen)


async def _in_place(update: Update, context: CxContext, make) -> None:
    me = await learner(update, context)
    await answer_query(update)
    if me is not None:
        await show(update, context, make(me.t), edit=True)


async def more_button(update: Update, context: CxContext) -> None:
    """The menu's second page, in place."""
    await _in_place(update, context, screens.more_screen)


async def help_button(update: Update, context: CxContext) -> None:
    """The help text, in place."""
    await _in_place(update, context, screens.help_screen)


async def languages_button(update: Update, context: CxContext) -> None:
    """The language picker, in place."""
    await _in_place(update, context, screens.language_screen)


async def menu_button(update: Update, context: CxContext) -> None:
    """The main menu: in place of the pressed message, or under it (menu:n, from a lesson)."""
    if (got := await pressed(update, context, cb.Menu)) is None:
        return
    me, data = got
    await answer_query(update)
    await show(update, context, screens.menu_screen(me.t), edit=not data.new)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start, filters=PRIVATE))
    app.add_handler(CommandHandler("help", help_command, filters=PRIVATE))
    app.add_handler(CommandHandler("language", language_command, filters=PRIVATE))
    app.add_handler(CommandHandler("menu", menu_command, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(choose_language, pattern=r"^lang:"))
    app.add_handler(CallbackQueryHandler(menu_button, pattern=r"^menu(:n)?$"))
    app.add_handler(CallbackQueryHandler(more_button, pattern=r"^more$"))
    app.add_handler(CallbackQueryHandler(help_button, pattern=r"^help$"))
    app.add_handler(CallbackQueryHandler(languages_button, pattern=r"^langs$"))
    app.add_handler(CallbackQueryHandler(resume_quiz_button, pattern=r"^qr:"))
