"""/stats (the numbers and a 30-day chart) and /export (progress as CSV): admins only.

Both check the caller against ``CXCOACH_ADMIN_IDS`` on every call; to anyone else they look
like any unknown command."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import Application

from bot.context import CxContext
from bot.features.broadcast import admins_only
from bot.features.common import Learner, show
from bot.features.handlers import add, on_command
from bot.render import stats as screens
from bot.render.chart import activity_chart
from bot.services import stats


@on_command("stats")
@admins_only
async def stats_command(update: Update, context: CxContext, me: Learner) -> None:
    """/stats: the numbers, then the 30-day chart as a picture."""
    report = await stats.report(context.env)
    t = me.t
    screen = screens.stats_screen(
        t, context.catalog, me.lang, report.stats, report.hardest, report.recent
    )
    await show(update, context, screen)
    labels = (t._("CX Coach: the last 30 days"), t._("active learners"), t._("lessons completed"))
    png = await asyncio.to_thread(activity_chart, report.days, report.today, labels)
    await context.bot.send_photo(
        me.user.id, png, caption=t._("Daily active learners and lessons completed, 30 days.")
    )


@on_command("export")
@admins_only
async def export_command(update: Update, context: CxContext, me: Learner) -> None:
    """/export: per-learner progress as CSV (Telegram ids and counts; no message contents)."""
    export = await stats.export(context.env)
    await context.bot.send_document(
        me.user.id,
        export.data,
        filename=export.filename,
        caption=me.t.n_("{n} learner", "{n} learners", export.rows),
    )


def register(app: Application) -> None:
    add(app, stats_command, export_command)
