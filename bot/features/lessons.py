"""/lessons: series -> lessons -> a lesson; deep links into a series or a lesson."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks as cb
from bot.context import CxContext
from bot.features import assessment, subscriptions
from bot.features.common import Learner, answer_query, gone, learner, pressed, show
from bot.render import screens
from bot.services import journey, training

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


async def lessons_command(update: Update, context: CxContext) -> None:
    """The list of series, with how much of each is done."""
    me = await learner(update, context)
    if me is not None:
        await show(update, context, await _series_list(context, me, 0))


async def _series_list(context: CxContext, me: Learner, page: int) -> screens.Screen:
    completed = await context.storage.completed_lessons(me.user.id)
    counts = journey.completion_counts(context.catalog, me.lang, completed)
    return screens.series_list_screen(me.t, context.catalog.series_list(me.lang), counts, page)


async def series_list_button(update: Update, context: CxContext) -> None:
    """A page of the series list, in place."""
    if (got := await pressed(update, context, cb.SeriesList)) is None:
        return
    me, data = got
    await answer_query(update)
    await show(update, context, await _series_list(context, me, data.page), edit=True)


async def series_button(update: Update, context: CxContext) -> None:
    """A series' intro and its lessons (a page of them), in place; from a lesson, as a new
    message, so that the lesson stays in the chat to re-read."""
    if (got := await pressed(update, context, cb.SeriesPage)) is None:
        return
    me, data = got
    series = context.catalog.series(me.lang, data.series_id)
    if series is None:
        await gone(update, context, me, me.t._("This series is no longer available."))
        return
    await answer_query(update)
    completed = await context.storage.completed_lessons(me.user.id)
    status = training.subscription_status(
        await context.storage.subscriptions(me.user.id), series.id
    )
    screen = screens.series_screen(me.t, series, completed, data.page, status)
    await show(update, context, screen, edit=not data.new)


async def lesson_button(update: Update, context: CxContext) -> None:
    """Open a lesson as a new message (so it stays in the chat to re-read)."""
    if (got := await pressed(update, context, cb.OpenLesson)) is None:
        return
    me, data = got
    if context.catalog.lesson(me.lang, data.lesson_id) is None:
        await gone(update, context, me, me.t._("This lesson is no longer available."))
        return
    await answer_query(update)
    await send_lesson(update, context, me, data.lesson_id)


async def send_lesson(update: Update, context: CxContext, me: Learner, lesson_id: str) -> bool:
    """Send a lesson and note it as opened; False if it does not exist."""
    found = context.catalog.lesson(me.lang, lesson_id)
    if found is None:
        return False
    series, lesson = found
    await context.storage.mark_opened(me.user.id, lesson.id, context.now())
    await training.note_activity(context.storage, me.user, me.lang, context.now())
    completed = await context.storage.completed_lessons(me.user.id)
    screen = screens.lesson_screen(
        me.t,
        series,
        lesson,
        context.catalog.sources.get(lesson.source),
        lesson.id in completed,
        journey.next_lesson(series, lesson.id),
    )
    await show(update, context, screen)
    return True


async def open_target(
    update: Update, context: CxContext, me: Learner, link: journey.DeepLink
) -> bool:
    """Open what a deep link names; False (and nothing sent) if it does not exist."""
    if link.kind == "lesson":
        return await send_lesson(update, context, me, link.target_id)
    if link.kind == "subscribe":
        return await subscriptions.subscribe(update, context, me, link.target_id)
    if link.kind == "team":
        return await assessment.join(update, context, me, link.target_id)
    series = context.catalog.series(me.lang, link.target_id)
    if series is None:
        return False
    completed = await context.storage.completed_lessons(me.user.id)
    status = training.subscription_status(
        await context.storage.subscriptions(me.user.id), series.id
    )
    await show(update, context, screens.series_screen(me.t, series, completed, 0, status))
    return True


def register(app: Application) -> None:
    app.add_handler(CommandHandler("lessons", lessons_command, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(series_list_button, pattern=r"^ser:"))
    app.add_handler(CallbackQueryHandler(series_button, pattern=r"^s:"))
    app.add_handler(CallbackQueryHandler(lesson_button, pattern=r"^l:"))
