"""/lessons: series -> lessons -> a lesson."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, reply, show
from bot.features.handlers import add, on_button, on_command
from bot.render import lessons as screens
from bot.services import lessons


@on_command("lessons")
async def lessons_command(update: Update, context: CxContext, me: Learner) -> None:
    """The list of series, with how much of each is done."""
    view = await lessons.series_list(context.env, me.user, me.lang)
    await show(update, context, screens.series_list_screen(me.t, view.series, view.completed, 0))


@on_button(cb.SeriesList)
async def series_list_button(
    update: Update, context: CxContext, me: Learner, data: cb.SeriesList
) -> None:
    """A page of the series list, in place."""
    view = await lessons.series_list(context.env, me.user, me.lang)
    screen = screens.series_list_screen(me.t, view.series, view.completed, data.page)
    await reply(update, context, screen, edit=True)


@on_button(cb.SeriesPage)
async def series_button(
    update: Update, context: CxContext, me: Learner, data: cb.SeriesPage
) -> None:
    """A series' intro and its lessons (a page of them), in place; from a lesson, as a new
    message, so that the lesson stays in the chat to re-read."""
    view = await lessons.series_view(context.env, me.user, me.lang, data.series_id)
    screen = screens.series_screen(
        me.t, view.series, view.completed, data.page, view.subscription, view.bonus
    )
    await reply(update, context, screen, edit=not data.new)


@on_button(cb.OpenLesson)
async def lesson_button(
    update: Update, context: CxContext, me: Learner, data: cb.OpenLesson
) -> None:
    """Open a lesson as a new message (so it stays in the chat to re-read)."""
    view = await lessons.open_lesson(context.env, me.user, me.lang, data.lesson_id)
    await reply(update, context, screens.lesson_view_screen(me.t, view))


def register(app: Application) -> None:
    add(app, lessons_command, series_list_button, series_button, lesson_button)
