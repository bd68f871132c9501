"""/progress: per-series completion and quiz accuracy."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import CxContext
from bot.features.common import answer_query, learner, show
from bot.render import screens
from bot.services import journey, training

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


async def _screen(update: Update, context: CxContext) -> screens.Screen | None:
    me = await learner(update, context)
    if me is None:
        return None
    stats = await context.storage.lesson_stats(me.user.id)
    report = journey.progress_report(context.catalog, me.lang, stats)
    now = context.now()
    streaks = await training.streaks(context.storage, me.user, me.lang, now)
    due = await context.storage.count_due_cards(me.user.id, now)
    return screens.progress_screen(me.t, report, streaks.current, streaks.best, due)


async def progress_command(update: Update, context: CxContext) -> None:
    """The learner's progress report."""
    screen = await _screen(update, context)
    if screen is not None:
        await show(update, context, screen)


async def progress_button(update: Update, context: CxContext) -> None:
    """The progress report, in place of the pressed message."""
    await answer_query(update)
    screen = await _screen(update, context)
    if screen is not None:
        await show(update, context, screen, edit=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("progress", progress_command, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(progress_button, pattern=r"^prog$"))
