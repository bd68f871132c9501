"""/subscriptions and the subscribe / pause / resume / unsubscribe buttons; series recaps."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, reply, show
from bot.features.handlers import add, on_button, on_command
from bot.render import subscriptions as screens
from bot.services import subscriptions


@on_command("subscriptions")
async def subscriptions_command(update: Update, context: CxContext, me: Learner) -> None:
    """List the learner's subscriptions with pause/resume/unsubscribe buttons."""
    view = await subscriptions.overview(context.env, me.user, me.lang)
    await show(update, context, screens.overview_screen(me.t, context.catalog, me.lang, view))


@on_button(cb.Subscriptions)
async def subscriptions_button(
    update: Update, context: CxContext, me: Learner, data: cb.Subscriptions
) -> None:
    """subs (in place) / subs:n (a new message, under a drip)."""
    await answer_query(update)
    view = await subscriptions.overview(context.env, me.user, me.lang)
    await show(
        update,
        context,
        screens.overview_screen(me.t, context.catalog, me.lang, view),
        edit=not data.fresh,
    )


@on_button(cb.PauseFromDrip)
async def pause_from_drip(
    update: Update, context: CxContext, me: Learner, data: cb.PauseFromDrip
) -> None:
    """spd:<series> — pause a series from under its drip; the lesson message stays as it is."""
    change = await subscriptions.change(context.env, me.user, me.lang, data.series_id, "pause")
    toast = screens.change_toast(me.t, "pause")
    await reply(update, context, screens.paused_screen(me.t, change.series), toast=toast)


@on_button(cb.SubscriptionAction)
async def subscription_button(
    update: Update, context: CxContext, me: Learner, data: cb.SubscriptionAction
) -> None:
    """sub/sp/sr/su:<series> — subscribe (confirmed with the schedule, as a new message);
    pause, resume, unsubscribe (the list again, in place, with an undo after unsubscribing)."""
    t = me.t
    change = await subscriptions.change(context.env, me.user, me.lang, data.series_id, data.action)
    if change.overview is None:  # subscribed
        await reply(update, context, screens.change_screen(t, change, context.now()))
        return
    undo = change.series if data.action == "unsubscribe" else None
    screen = screens.overview_screen(t, context.catalog, me.lang, change.overview, undo)
    await reply(update, context, screen, edit=True, toast=screens.change_toast(t, data.action))


@on_button(cb.Recap)
async def recap_button(update: Update, context: CxContext, me: Learner, data: cb.Recap) -> None:
    """rc:<series> — a series' recap with what to take next."""
    recap = await subscriptions.recap(context.env, me.user, me.lang, data.series_id)
    screen = screens.recap_screen(me.t, recap.series, recap.suggestions, recap.counts)
    await reply(update, context, screen)


def register(app: Application) -> None:
    add(app, subscriptions_command, subscriptions_button, pause_from_drip, subscription_button)
    add(app, recap_button)
