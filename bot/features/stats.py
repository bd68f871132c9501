"""/stats (the numbers, a 30-day chart, each lesson's figures) and /export (progress, lessons
and comments as CSV): admins only.

Every handler checks the caller against ``CXCOACH_ADMIN_IDS`` on every call: to anyone else
the commands look like any unknown command, and the buttons do nothing at all."""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.broadcast import admins_only
from bot.features.common import Learner, answer_query, reply, show
from bot.features.handlers import ButtonFn, add, on_button, on_command
from bot.render import stats as screens
from bot.render.chart import activity_chart, lessons_chart
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
    """/export: per-learner progress (Telegram ids and counts), per-lesson figures and the
    "unclear" comments (lesson, month, text: never who wrote them), three CSV files."""
    for export in await stats.exports(context.env, me.lang):
        await context.bot.send_document(
            me.user.id,
            export.data,
            filename=export.filename,
            caption=screens.export_caption(me.t, export),
        )


def admin_buttons(fn: ButtonFn) -> ButtonFn:
    """Checked on every press: for anyone but an admin the button does nothing at all (the
    spinner stops, nothing is said), as the broadcast buttons."""

    @functools.wraps(fn)
    async def checked(update: Update, context: CxContext, me: Learner, data: Any) -> None:
        if context.settings.is_admin(me.user.id):
            await fn(update, context, me, data)
        else:
            await answer_query(update)

    return checked


@on_button(cb.StatsLessons)
@admin_buttons
async def lessons_button(
    update: Update, context: CxContext, me: Learner, data: cb.StatsLessons
) -> None:
    """al:<page>[:n] — every lesson's key figures, the underperforming ones first (under the
    /stats message, which stays; in place when paging or coming back from a lesson)."""
    figures = await stats.lessons(context.env, me.lang)
    screen = screens.lessons_screen(me.t, figures, data.page)
    await reply(update, context, screen, edit=not data.new)


@on_button(cb.StatsLesson)
@admin_buttons
async def lesson_button(
    update: Update, context: CxContext, me: Learner, data: cb.StatsLesson
) -> None:
    """ald:<lesson>:<page> — one lesson: every figure, its flags, the latest comments."""
    figures = await stats.lesson(context.env, me.lang, data.lesson_id)
    await reply(update, context, screens.lesson_screen(me.t, figures, data.page), edit=True)


@on_button(cb.StatsChart)
@admin_buttons
async def chart_button(update: Update, context: CxContext, me: Learner, _: cb.StatsChart) -> None:
    """alc — the lessons' chart: mean usefulness and first-try accuracy, as a picture."""
    figures = await stats.lessons(context.env, me.lang)
    await answer_query(update)
    png = await asyncio.to_thread(lessons_chart, *screens.lessons_chart_args(me.t, figures))
    await context.bot.send_photo(me.user.id, png, caption=screens.lessons_chart_caption(me.t))


def register(app: Application) -> None:
    add(app, stats_command, export_command, lessons_button, lesson_button, chart_button)
