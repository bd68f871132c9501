"""Everything no feature claimed: unknown commands and text, stickers and photos, edits,
group chats, channel posts, and buttons whose data we do not know. Registered last."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import CxContext
from bot.features.common import answer_query, learner, screen_handler, show
from bot.i18n import translator
from bot.render import screens

PRIVATE_MESSAGE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
GROUP_COMMAND = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.COMMAND


unknown_text = screen_handler(screens.unknown_screen)  # free text, unknown commands
unsupported_message = screen_handler(screens.unsupported_screen)  # stickers, photos, voice...


async def group_command(update: Update, context: CxContext) -> None:
    """A command in a group: point to a private chat (other group messages are ignored)."""
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
    app.add_handler(
        MessageHandler(PRIVATE_MESSAGE & (filters.TEXT | filters.COMMAND), unknown_text)
    )
    app.add_handler(MessageHandler(PRIVATE_MESSAGE, unsupported_message))
    app.add_handler(MessageHandler(GROUP_COMMAND, group_command))
    app.add_handler(CallbackQueryHandler(unknown_button))
    # Edited messages, channel posts and other group messages: deliberately no handler.
