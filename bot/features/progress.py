"""/progress: per-series completion and quiz accuracy, streaks, reviews due."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, reply, show
from bot.features.handlers import add, on_button, on_command
from bot.render import progress as screens
from bot.services import progress


async def _screen(context: CxContext, me: Learner) -> screens.Screen:
    mine = await progress.progress(context.env, me.user, me.lang)
    streaks = mine.streaks
    return screens.progress_screen(
        me.t, mine.report, streaks.current, streaks.best, mine.reviews_due
    )


@on_command("progress")
async def progress_command(update: Update, context: CxContext, me: Learner) -> None:
    """The learner's progress report."""
    await show(update, context, await _screen(context, me))


@on_button(cb.Progress)
async def progress_button(update: Update, context: CxContext, me: Learner, _: cb.Progress) -> None:
    """The progress report, in place of the pressed message."""
    await reply(update, context, await _screen(context, me), edit=True)


def register(app: Application) -> None:
    add(app, progress_command, progress_button)
