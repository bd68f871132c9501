"""/privacy (and the ➕ More screen's 🔒 Privacy button): what is stored and who sees it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import CxContext
from bot.features.common import answer_query, learner, show
from bot.render.privacy import privacy_screen

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


async def privacy_command(update: Update, context: CxContext) -> None:
    """/privacy: the privacy notice in the learner's language."""
    me = await learner(update, context)
    if me is not None:
        await show(update, context, privacy_screen(me.t))


async def privacy_button(update: Update, context: CxContext) -> None:
    """The same notice, in place of the More screen."""
    me = await learner(update, context)
    await answer_query(update)
    if me is not None:
        await show(update, context, privacy_screen(me.t), edit=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("privacy", privacy_command, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(privacy_button, pattern=r"^priv$"))
