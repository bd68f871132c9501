"""/subscriptions and the subscribe / pause / resume / unsubscribe buttons; series recaps."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, gone, learner, pressed, show
from bot.render import training as screens
from bot.services import journey, training
from bot.services.schedule import suggest_series
from content.model import SeriesContent

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


async def _overview(
    context: CxContext, me: Learner, unsubscribed: SeriesContent | None = None
) -> screens.Screen:
    subs, done = await training.subscriptions_overview(
        context.storage, context.catalog, me.user, me.lang, context.now()
    )
    user = await context.storage.get_user(me.user.id) or me.user
    prefs = training.prefs_of(user, me.lang)
    return screens.subscriptions_screen(
        me.t, context.catalog, me.lang, subs, done, user.next_slot_at, prefs, unsubscribed
    )


async def subscriptions_command(update: Update, context: CxContext) -> None:
    """List the learner's subscriptions with pause/resume/unsubscribe buttons."""
    me = await learner(update, context)
    if me is not None:
        await show(update, context, await _overview(context, me))


async def subscriptions_button(update: Update, context: CxContext) -> None:
    if (got := await pressed(update, context, cb.Subscriptions)) is None:
        return
    me, data = got
    await answer_query(update)
    await show(update, context, await _overview(context, me), edit=not data.fresh)


async def pause_from_drip(update: Update, context: CxContext) -> None:
    """spd:<series> — pause a series from under its drip; the lesson message stays as it is."""
    if (got := await pressed(update, context, cb.PauseFromDrip)) is None:
        return
    me, data = got
    change = await training.change_subscription(
        context.storage, context.catalog, me.user, me.lang, data.series_id, "pause", context.now()
    )
    if change.result is training.SubResult.GONE or change.series is None:
        await gone(update, context, me, me.t._("This subscription no longer exists."))
        return
    await answer_query(update, me.t._("Paused. Resume whenever you like."))
    await show(update, context, screens.paused_screen(me.t, change.series))


async def subscribe(update: Update, context: CxContext, me: Learner, series_id: str) -> bool:
    """Subscribe and confirm with the schedule; False if the series does not exist."""
    change = await training.change_subscription(
        context.storage, context.catalog, me.user, me.lang, series_id, "subscribe", context.now()
    )
    if change.result is training.SubResult.GONE or change.series is None:
        return False
    user = await context.storage.get_user(me.user.id) or me.user
    screen = screens.subscribed_screen(
        me.t,
        change.series,
        change.next_lesson,
        user.next_slot_at,
        training.prefs_of(user, me.lang),
        user.tz_chosen,
        context.now(),
    )
    await show(update, context, screen)
    return True


async def subscription_button(update: Update, context: CxContext) -> None:
    """sub/sp/sr/su:<series>."""
    if (got := await pressed(update, context, cb.SubscriptionAction)) is None:
        return
    me, data = got
    if data.action == "subscribe":
        await answer_query(update)
        if not await subscribe(update, context, me, data.series_id):
            await gone(update, context, me, me.t._("This series is no longer available."))
        return
    change = await training.change_subscription(
        context.storage,
        context.catalog,
        me.user,
        me.lang,
        data.series_id,
        data.action,
        context.now(),
    )
    if change.result is training.SubResult.GONE:
        await gone(update, context, me, me.t._("This subscription no longer exists."))
        return
    toast = {
        "pause": me.t._("Paused. Resume whenever you like."),
        "resume": me.t._("Resumed: the next lesson comes at your delivery time."),
        "unsubscribe": me.t._("Unsubscribed. Your progress stays."),
    }[data.action]
    await answer_query(update, toast)
    undo = change.series if data.action == "unsubscribe" else None
    await show(update, context, await _overview(context, me, undo), edit=True)


async def recap_button(update: Update, context: CxContext) -> None:
    """A finished series' recap with what to take next."""
    if (got := await pressed(update, context, cb.Recap)) is None:
        return
    me, data = got
    series = context.catalog.series(me.lang, data.series_id)
    if series is None:
        await gone(update, context, me, me.t._("This series is no longer available."))
        return
    await answer_query(update)
    state, facts = await training.learner_state(context.storage, me.user, me.lang, context.now())
    ids = suggest_series(context.catalog, me.lang, state, exclude=[series.id])
    suggestions = [s for s in (context.catalog.series(me.lang, i) for i in ids) if s]
    counts = journey.lesson_counts(series.lessons, facts.opened, facts.completed)
    await show(update, context, screens.recap_screen(me.t, series, suggestions, counts))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("subscriptions", subscriptions_command, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(subscriptions_button, pattern=r"^subs(:n)?$"))
    app.add_handler(CallbackQueryHandler(pause_from_drip, pattern=r"^spd:"))
    app.add_handler(CallbackQueryHandler(subscription_button, pattern=r"^(sub|sp|sr|su):"))
    app.add_handler(CallbackQueryHandler(recap_button, pattern=r"^rc:"))
