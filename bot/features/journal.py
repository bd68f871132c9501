"""/journal: the learner's commitments, outcomes and notes, newest first."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, reply, show
from bot.features.handlers import add, on_button, on_command
from bot.render import journal as screens
from bot.services import journal


@on_command("journal")
async def journal_command(update: Update, context: CxContext, me: Learner) -> None:
    """/journal — the first page."""
    page = await journal.journal(context.env, me.user, me.lang)
    await show(update, context, screens.journal_screen(me.t, page))


@on_button(cb.Journal)
async def journal_button(update: Update, context: CxContext, me: Learner, data: cb.Journal) -> None:
    """jr:<page> — a page of the journal, in place."""
    page = await journal.journal(context.env, me.user, me.lang, data.page)
    await reply(update, context, screens.journal_screen(me.t, page), edit=True)


def register(app: Application) -> None:
    add(app, journal_command, journal_button)
