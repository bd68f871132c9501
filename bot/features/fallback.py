"""Everything no feature claimed: unknown commands and text, stickers and photos, edits,
group chats, channel posts, and buttons whose data we do not know. Registered last."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.commands import commands_for
from bot.context import CxContext
from bot.features.common import Learner, answer_query, learner, show
from bot.features.handlers import PRIVATE, add, on_message, typed_handler
from bot.i18n import translator
from bot.render import fallback as screens
from bot.render.kit import shorten
from bot.render.quiz import quiz_waiting_screen
from bot.services import fallback, quiz

GROUP_COMMAND = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.COMMAND


# The commands a learner may be pointed to ("did you mean"): the command menu's, and two
# more that work without being in it.
LEARNER_COMMANDS = (*(c.command for c in commands_for(translator("en"))), "menu", "mydata")


def _hidden_commands(context: CxContext) -> set[str]:
    """Commands registered for others (the admins'): never suggested, never hinted at."""
    names = {
        name
        for group in context.application.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }
    return names - set(LEARNER_COMMANDS)


async def reply_to_text(update: Update, context: CxContext, me: Learner) -> None:
    """Typed text no feature took: a command we do not have gets the one probably meant (or
    a pointer to /help); text while a quiz question waits, a reminder to use its buttons;
    anything else, what the bot works with and the menu."""
    text = update.effective_message.text if update.effective_message else None
    if fallback.addressed_elsewhere(text or "", context.bot.username):
        return  # "/start@other_bot": another bot's command, not ours to answer
    word = fallback.command_word(text or "")
    if word is not None and word not in LEARNER_COMMANDS:  # ours would have been handled
        suggestion = fallback.suggest_command(word, LEARNER_COMMANDS, _hidden_commands(context))
        screen = screens.unknown_command_screen(me.t, shorten(word, 32), suggestion)
        await show(update, context, screen)
        return
    waiting = await quiz.waiting_quiz(context.env, me.user, me.lang)
    if waiting is not None:
        await show(update, context, quiz_waiting_screen(me.t, waiting))
        return
    await show(update, context, screens.unknown_screen(me.t))


@on_message(PRIVATE & (filters.TEXT | filters.COMMAND))
async def typed_text(update: Update, context: CxContext, me: Learner) -> None:
    """Text the bot asked for goes to the feature that asked (see ``handlers.on_typed``: a
    setting, what was unclear in a lesson, what happened with a commitment); a command
    typed instead cancels the wait (``learners.visit``) and is answered as a command."""
    message = update.effective_message
    reader = typed_handler(context.application, me.user.awaiting)
    if (
        reader is not None
        and message is not None
        and message.text
        and not message.text.startswith("/")
    ):
        await reader(update, context, me)
        return
    await reply_to_text(update, context, me)


@on_message(PRIVATE)
async def unsupported_message(update: Update, context: CxContext, me: Learner) -> None:
    """Stickers, photos, voice...: what the bot works with, and the menu."""
    await show(update, context, screens.unsupported_screen(me.t))


async def group_command(update: Update, context: CxContext) -> None:
    """A command in a group: point to a private chat (other group messages, and commands
    addressed to other bots, are ignored)."""
    message = update.effective_message
    if message is not None and fallback.addressed_elsewhere(
        message.text or "", context.bot.username
    ):
        return
    user = update.effective_user
    lang = (user.language_code or "")[:2] if user else ""
    t = translator(lang or context.settings.default_language)
    await show(update, context, screens.group_screen(t, context.bot.username))


async def unknown_button(update: Update, context: CxContext) -> None:
    """A button whose data no feature understands (old or forged): a toast and the menu."""
    me = await learner(update, context)
    if me is None:
        await answer_query(update)
        return
    await answer_query(update, me.t._("That button is out of date."))
    if update.effective_chat is not None and update.effective_chat.type == "private":
        await show(update, context, screens.stale_button_screen(me.t))


def register(app: Application) -> None:
    add(app, typed_text, unsupported_message)
    app.add_handler(MessageHandler(GROUP_COMMAND, group_command))
    app.add_handler(CallbackQueryHandler(unknown_button))
    # Edited messages, channel posts and other group messages: deliberately no handler.
