"""/start (with deep links), /help, /language, /menu; the language, menu and "More" buttons,
and going on with an unfinished quiz."""

from __future__ import annotations

import logging

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot import callbacks as cb
from bot.commands import commands_for
from bot.context import CxContext
from bot.features.common import Learner, reply, show
from bot.features.handlers import add, on_button, on_command, screen_button, screen_command
from bot.i18n import translator
from bot.render import quiz as quiz_screens
from bot.render import start as screens
from bot.services import learners
from bot.services import start as start_service

log = logging.getLogger(__name__)


@on_command("start")
async def start(update: Update, context: CxContext, me: Learner) -> None:
    """First visit: greet and offer the languages. Back again: where the learner left off.
    A deep-link payload opens its target, or says that it does not exist."""
    payload = context.args[0] if context.args else None
    arrival = await start_service.arrive(context.env, me.user, me.lang, payload, me.is_new)
    name = update.effective_user.first_name if update.effective_user else ""
    for screen in screens.arrival_screens(me.t, name, arrival, context.now()):
        await show(update, context, screen)


help_command = screen_command("help", screens.help_screen)  # /help: what the bot can do
language_command = screen_command(
    "language", screens.language_screen
)  # /language: the three languages
menu_command = screen_command("menu", screens.menu_screen)  # /menu
more_button = screen_button(cb.More, screens.more_screen)  # the menu's second page
help_button = screen_button(cb.Help, screens.help_screen)
languages_button = screen_button(cb.Languages, screens.language_screen)


@on_button(cb.Language)
async def choose_language(
    update: Update, context: CxContext, me: Learner, data: cb.Language
) -> None:
    """Store the chosen language and answer in it from now on (menus included)."""
    await learners.set_language(context.env, me.user, data.code)
    t = translator(data.code)
    await reply(update, context, screens.language_set_screen(t), edit=True)
    try:  # this chat's command menu in the chosen language
        await context.bot.set_my_commands(
            commands_for(t), scope=BotCommandScopeChat(update.effective_chat.id)
        )
    except TelegramError as exc:
        log.warning("could not set the chat’s command menu: %s", exc)


@on_button(cb.ResumeQuiz)
async def resume_quiz_button(
    update: Update, context: CxContext, me: Learner, data: cb.ResumeQuiz
) -> None:
    """qr:<attempt> — the unfinished quiz's current question again, as a new message."""
    quiz = await start_service.resumable_quiz(context.env, me.user, me.lang, data.attempt_id)
    screen = quiz_screens.question_screen(me.t, quiz.lesson, quiz.attempt, quiz.index, quiz.order)
    await reply(update, context, screen)


@on_button(cb.Menu)
async def menu_button(update: Update, context: CxContext, me: Learner, data: cb.Menu) -> None:
    """The main menu: in place of the pressed message, or under it (menu:n, from a lesson)."""
    await reply(update, context, screens.menu_screen(me.t), edit=not data.new)


def register(app: Application) -> None:
    add(app, start, help_command, language_command, menu_command, choose_language, menu_button)
    add(app, more_button, help_button, languages_button, resume_quiz_button)
