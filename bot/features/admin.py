"""Admin commands: /broadcast, /announce, /broadcasts, /stats, /export.

Every handler checks the caller against ``CXCOACH_ADMIN_IDS`` on every call. To anyone else
the commands look like any unknown command (the fallback answers them), and admin buttons
do nothing at all.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from datetime import timedelta

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import callbacks as cb
from bot.config import Settings
from bot.context import CxContext
from bot.features import fallback
from bot.features.common import Learner, answer_query, learner, show
from bot.render import admin as screens
from bot.render.chart import activity_chart
from bot.services import broadcast as rules
from bot.services import training
from domain.records import Broadcast
from storage.store import Storage

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
AWAIT_USERS, AWAIT_CHANNEL = "bc:users", "bc:channel"


def is_admin(update: Update, context: CxContext) -> bool:
    user = update.effective_user
    return user is not None and context.settings.is_admin(user.id)


async def _admin(update: Update, context: CxContext) -> Learner | None:
    """The admin as a learner (language, ...), or None — then the update is not ours."""
    if not is_admin(update, context):
        return None
    return await learner(update, context)


# Commands ---------------------------------------------------------------------------------
async def broadcast_command(update: Update, context: CxContext) -> None:
    """/broadcast: ask for the message to send to learners."""
    await _start_draft(update, context, AWAIT_USERS)


async def announce_command(update: Update, context: CxContext) -> None:
    """/announce: ask for the message to post in the channel."""
    await _start_draft(update, context, AWAIT_CHANNEL)


async def _start_draft(update: Update, context: CxContext, awaiting: str) -> None:
    if not is_admin(update, context):
        await fallback.unknown_text(update, context)
        return
    me = await learner(update, context)
    if me is None:
        return
    if awaiting == AWAIT_CHANNEL and context.settings.channel is None:
        await show(
            update,
            context,
            screens.Screen(
                me.t._("No channel is configured: set CXCOACH_CHANNEL (the bot must be its admin).")
            ),
        )
        return
    await context.storage.set_awaiting(me.user.id, awaiting)
    await show(update, context, screens.ask_message_screen(me.t, awaiting == AWAIT_CHANNEL))


async def cancel_command(update: Update, context: CxContext) -> None:
    """/cancel: forget an awaited broadcast message (admins); others get the usual hint."""
    if not is_admin(update, context):
        await fallback.unknown_text(update, context)
        return
    me = await learner(update, context)  # a command clears what was awaited
    if me is not None:
        await show(update, context, screens.Screen(me.t._("Cancelled.")))


async def admin_message(update: Update, context: CxContext) -> None:
    """Group -1: an admin's message while a broadcast message is awaited becomes a draft."""
    if not is_admin(update, context) or update.effective_user is None:
        return
    user = await context.storage.get_user(update.effective_user.id)
    if user is None or user.awaiting not in (AWAIT_USERS, AWAIT_CHANNEL):
        return  # not ours: the usual handlers see it
    me = await learner(update, context)
    message = update.effective_message
    if me is None or message is None:
        raise ApplicationHandlerStop
    if _kind(message) not in rules.BROADCASTABLE:
        await show(update, context, screens.not_broadcastable_screen(me.t))
        raise ApplicationHandlerStop
    target = "channel" if user.awaiting == AWAIT_CHANNEL else "users"
    await context.storage.set_awaiting(me.user.id, None)
    draft = await context.storage.create_broadcast(
        me.user.id, target, message.chat_id, message.message_id, context.now()
    )
    await _show_draft(update, context, me, draft, preview=True)
    raise ApplicationHandlerStop


def _kind(message: Message) -> str:
    for kind in rules.BROADCASTABLE:
        if getattr(message, kind, None):
            return kind
    return "other"


async def _show_draft(
    update: Update, context: CxContext, me: Learner, draft: Broadcast, *, preview: bool
) -> None:
    if preview:  # the message exactly as recipients will see it
        try:
            await context.bot.copy_message(
                me.user.id,
                draft.source_chat_id,
                draft.source_message_id,
                reply_markup=context.bot_data.broadcasts.button_markup(draft),
            )
        except TelegramError as exc:
            log.warning("preview failed: %s", exc)
    series = context.catalog.series_list(me.lang)
    count = (
        1
        if draft.target == "channel"
        else await context.storage.audience_size(
            draft.audience, context.now(), context.settings.default_language
        )
    )
    screen = screens.draft_screen(me.t, draft, series, count, context.settings.channel)
    await show(update, context, screen, edit=not preview)


async def broadcasts_command(update: Update, context: CxContext) -> None:
    """/broadcasts: the history with outcome counts."""
    me = await _admin(update, context)
    if me is None:
        await fallback.unknown_text(update, context)
        return
    items = await context.storage.broadcasts(20)
    await show(update, context, screens.history_screen(me.t, items))


# Buttons ----------------------------------------------------------------------------------
async def admin_button(update: Update, context: CxContext) -> None:
    """ab:<verb>:<id>[:<arg>] — checked on every press; non-admins get silence."""
    if not is_admin(update, context):
        await answer_query(update)
        return
    data = cb.parse(update.callback_query.data)
    me = await learner(update, context)
    if me is None or not isinstance(data, cb.AdminAction):
        await answer_query(update)
        return
    draft = await context.storage.get_broadcast(data.broadcast_id)
    if draft is None:
        await answer_query(update, me.t._("That button is out of date."))
        return
    handler = _DRAFT_VERBS.get(data.verb) if draft.status == "draft" else None
    if handler is not None:
        await handler(update, context, me, draft, data)
        return
    if data.verb in _DRAFT_VERBS:  # a draft's button, pressed after the draft was settled
        gone = draft.status == "cancelled" and draft.started_at is None and draft.total == 0
        await answer_query(
            update,
            me.t._("That draft was dropped.")
            if gone
            else me.t._("This broadcast is already confirmed."),
        )
        return
    if data.verb == "unc":
        await _resend_unconfirmed(update, context, me, draft, data.arg)
        return
    await _control(update, context, me, draft, data.verb)


async def _resend_unconfirmed(update, context, me, broadcast: Broadcast, step: str) -> None:
    """Ask, then (only on "yes") send again to the recipients a dead process left in doubt."""
    t = me.t
    counts = await context.storage.recipient_counts(broadcast.id)
    unconfirmed = counts.get("unconfirmed", 0)
    if broadcast.status != "done" or not unconfirmed:
        await answer_query(update, t._("That button is out of date."))
    elif step == "ask":
        await answer_query(update)
        await show(
            update, context, screens.resend_unconfirmed_screen(t, broadcast, unconfirmed), edit=True
        )
    elif step == "no":
        await answer_query(update)
        await _report_now(update, context, me, broadcast.id, "done")
    else:
        resent = await context.storage.retry_failed(broadcast.id, "unconfirmed")
        await answer_query(update, t.n_("{n} recipient again", "{n} recipients again", resent))
        await context.bot_data.broadcasts.tick()


async def _edit_audience(update, context, me, draft, data) -> None:
    order = [s.id for s in context.catalog.series_list(me.lang)]
    audience = draft.audience
    if data.verb == "lang":
        audience = rules.toggle_language(audience, data.arg)
    elif data.verb == "ser":
        index = int(data.arg)
        if index >= len(order):
            await answer_query(update, me.t._("That button is out of date."))
            return
        audience = rules.toggle_series(audience, order[index], order)
    elif data.verb == "idle":
        audience = rules.cycle_idle(audience)
    updated = await context.storage.update_broadcast(draft.id, audience=audience)
    await answer_query(update)
    await _show_draft(update, context, me, updated or draft, preview=False)


async def _cycle_button(update, context, me, draft, data) -> None:
    order = [s.id for s in context.catalog.series_list(me.lang)]
    updated = await context.storage.update_broadcast(
        draft.id, button_series=rules.cycle_button(draft.button_series, order)
    )
    await answer_query(update)
    await _show_draft(update, context, me, updated or draft, preview=False)


async def _confirm(update, context, me, draft, data) -> None:
    now = context.now()
    size = 1
    if draft.target == "users":
        size = await context.storage.audience_size(
            draft.audience, now, context.settings.default_language
        )
        if size == 0:
            await answer_query(update, me.t._("Nobody matches this audience: change the filters."))
            return
    prefs = training.prefs_of(me.user, me.lang)
    when = rules.run_at(data.arg, now, prefs.timezone) if data.verb == "at" else None
    runner = context.bot_data.broadcasts
    query = update.callback_query
    if query is not None and query.message is not None:
        # The progress message is this one: recorded, and shown as queued, BEFORE the
        # broadcast can start, so the runner's reports always come after.
        draft = (
            await context.storage.update_broadcast(
                draft.id,
                progress_chat_id=query.message.chat.id,
                progress_message_id=query.message.message_id,
            )
            or draft
        )
    status = "scheduled" if when else "queued"
    counts = {"pending": size}
    screen = screens.progress_screen(
        me.t, draft, rules.progress_of(counts, size, 0.0), counts, status
    )
    extra = []
    if when is not None:
        local = when.astimezone(prefs.tz).strftime("%Y-%m-%d %H:%M")
        extra.append(me.t._("Starts at {when}.", when=local))
    elif runner.busy:
        extra.append(me.t._("Another broadcast is running: this one starts after it."))
    await answer_query(update, me.t._("Confirmed."))
    text = "\n".join([screen.text, *extra])
    await show(update, context, screens.Screen(text, screen.keyboard), edit=True)
    confirmed = await context.storage.confirm_broadcast(
        draft.id, when, now, context.settings.default_language, context.settings.channel_chat
    )
    if confirmed is None:  # cannot happen twice: one chat's updates run in order
        log.warning("broadcast %s was confirmed twice", draft.id)
        return
    await runner.tick()


async def _drop(update, context, me, draft, data) -> None:
    await context.storage.set_broadcast_status(draft.id, "cancelled", ("draft",), context.now())
    await answer_query(update, me.t._("Cancelled."))
    await show(update, context, screens.Screen(me.t._("The draft is dropped.")), edit=True)


_DRAFT_VERBS = {
    "lang": _edit_audience,
    "ser": _edit_audience,
    "idle": _edit_audience,
    "btn": _cycle_button,
    "go": _confirm,
    "at": _confirm,
    "x": _drop,
}


async def _control(update, context, me, broadcast: Broadcast, verb: str) -> None:
    """Pause, resume, cancel or retry a confirmed broadcast."""
    runner = context.bot_data.broadcasts
    now = context.now()
    t = me.t
    if verb == "p" and await context.storage.set_broadcast_status(
        broadcast.id, "paused", ("running",), now
    ):  # every process sending it stops at its next claim; this one at once
        runner.halt(broadcast.id, "paused")
        await answer_query(update, t._("Pausing after the messages in flight…"))
    elif verb == "r" and await context.storage.set_broadcast_status(
        broadcast.id, "queued", ("paused",), now
    ):
        await answer_query(update, t._("Resumed."))
        await runner.tick()
    elif verb == "c" and await context.storage.set_broadcast_status(
        broadcast.id, "cancelled", ("running",), now
    ):
        runner.halt(broadcast.id, "cancelled")
        await answer_query(update, t._("Cancelling after the messages in flight…"))
    elif verb == "c" and await context.storage.set_broadcast_status(
        broadcast.id, "cancelled", ("queued", "scheduled", "paused"), now
    ):
        await answer_query(update, t._("Cancelled."))
        await _report_now(update, context, me, broadcast.id, "cancelled")
    elif verb == "retry" and broadcast.status == "done":
        retried = await context.storage.retry_failed(broadcast.id)
        await answer_query(update, t.n_("{n} recipient again", "{n} recipients again", retried))
        await runner.tick()
    else:
        await answer_query(update, t._("That button is out of date."))


async def _report_now(update, context, me, broadcast_id: int, status: str) -> None:
    current = await context.storage.get_broadcast(broadcast_id)
    if current is None:
        return
    counts = await context.storage.recipient_counts(broadcast_id)
    progress = rules.progress_of(counts, current.total, 0.0)
    await show(
        update, context, screens.progress_screen(me.t, current, progress, counts, status), edit=True
    )


# Statistics --------------------------------------------------------------------------------
async def stats_command(update: Update, context: CxContext) -> None:
    """/stats: the numbers, then the 30-day chart as a picture."""
    me = await _admin(update, context)
    if me is None:
        await fallback.unknown_text(update, context)
        return
    now = context.now()
    stats = await context.storage.stats(now, context.settings.default_language)
    hardest = rules.hardest_questions(await context.storage.question_stats())
    recent = await context.storage.broadcasts(3)
    await show(
        update,
        context,
        screens.stats_screen(me.t, context.catalog, me.lang, stats, hardest, recent),
    )
    today = now.date()
    rows = await context.storage.daily_activity(today - timedelta(days=29))
    t = me.t
    labels = (
        t._("CX Coach: the last 30 days"),
        t._("active learners"),
        t._("lessons completed"),
    )
    png = await asyncio.to_thread(activity_chart, rows, today, labels)
    await context.bot.send_photo(
        me.user.id, png, caption=me.t._("Daily active learners and lessons completed, 30 days.")
    )


async def export_command(update: Update, context: CxContext) -> None:
    """/export: per-learner progress as CSV (Telegram ids and counts; no message contents)."""
    me = await _admin(update, context)
    if me is None:
        await fallback.unknown_text(update, context)
        return
    rows = await context.storage.export_progress()
    buffer = io.StringIO()
    fields = list(rows[0]) if rows else ["user_id"]
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    name = f"cxcoach-progress-{context.now():%Y%m%d}.csv"
    await context.bot.send_document(
        me.user.id,
        buffer.getvalue().encode("utf-8"),
        filename=name,
        caption=me.t.n_("{n} learner", "{n} learners", len(rows)),
    )


async def forget_stale_drafts(storage: Storage, settings: Settings) -> None:
    """At start-up: someone no longer in CXCOACH_ADMIN_IDS may still have a broadcast message
    awaited; forget it, so their next typed text gets the usual answer, not an error."""
    cleared = await storage.forget_awaiting((AWAIT_USERS, AWAIT_CHANNEL), settings.admin_ids)
    if cleared:
        log.info("forgot %d broadcast draft(s) awaited from former admins", cleared)


def register(app: Application) -> None:
    admin_only = PRIVATE  # the admin check is inside each handler, on every call
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND, admin_message), group=-1)
    app.add_handler(CommandHandler("broadcast", broadcast_command, filters=admin_only))
    app.add_handler(CommandHandler("announce", announce_command, filters=admin_only))
    app.add_handler(CommandHandler("broadcasts", broadcasts_command, filters=admin_only))
    app.add_handler(CommandHandler("stats", stats_command, filters=admin_only))
    app.add_handler(CommandHandler("export", export_command, filters=admin_only))
    app.add_handler(CommandHandler("cancel", cancel_command, filters=admin_only))
    app.add_handler(CallbackQueryHandler(admin_button, pattern=r"^ab:"))
