"""/broadcast, /announce, /broadcasts, /cancel and the broadcast buttons (admins only).

Every handler checks the caller against ``CXCOACH_ADMIN_IDS`` on every call. To anyone else
the commands look like any unknown command (the fallback answers them), and the buttons do
nothing at all.
"""

from __future__ import annotations

import functools
import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot import callbacks as cb
from bot.context import CxContext
from bot.features import fallback
from bot.features.common import Learner, answer_query, learner, reply, show
from bot.features.handlers import PRIVATE, LearnerFn, add, on_command
from bot.render import broadcast as screens
from bot.services import broadcast
from bot.services.broadcast import Step

log = logging.getLogger(__name__)


def is_admin(update: Update, context: CxContext) -> bool:
    user = update.effective_user
    return user is not None and context.settings.is_admin(user.id)


def admins_only(fn: LearnerFn) -> LearnerFn:
    """Checked on every call: to anyone but an admin, the command is like any unknown one
    (the fallback answers it)."""

    @functools.wraps(fn)
    async def checked(update: Update, context: CxContext, me: Learner) -> None:
        if context.settings.is_admin(me.user.id):
            await fn(update, context, me)
        else:
            await fallback.reply_to_text(update, context, me)

    return checked


@on_command("broadcast")
@admins_only
async def broadcast_command(update: Update, context: CxContext, me: Learner) -> None:
    """/broadcast: ask for the message to send to learners."""
    await _start_draft(update, context, me, channel=False)


@on_command("announce")
@admins_only
async def announce_command(update: Update, context: CxContext, me: Learner) -> None:
    """/announce: ask for the message to post in the channel."""
    await _start_draft(update, context, me, channel=True)


async def _start_draft(update: Update, context: CxContext, me: Learner, *, channel: bool) -> None:
    if not await broadcast.start_draft(context.env, me.user, channel):
        text = me.t._("No channel is configured: set CXCOACH_CHANNEL (the bot must be its admin).")
        await show(update, context, screens.Screen(text))
        return
    await show(update, context, screens.ask_message_screen(me.t, channel))


@on_command("cancel")
@admins_only
async def cancel_command(update: Update, context: CxContext, me: Learner) -> None:
    """/cancel: forget an awaited broadcast message (a command clears what was awaited)."""
    await show(update, context, screens.Screen(me.t._("Cancelled.")))


async def admin_message(update: Update, context: CxContext) -> None:
    """Group -1: an admin's message while a broadcast message is awaited becomes a draft."""
    if not is_admin(update, context) or update.effective_user is None:
        return
    target = await broadcast.drafting(context.env, update.effective_user.id)
    if target is None:
        return  # not ours: the usual handlers see it
    me = await learner(update, context)
    message = update.effective_message
    if me is None or message is None:
        raise ApplicationHandlerStop
    view = await broadcast.create_draft(
        context.env, me.user, me.lang, target, _kind(message), message.chat_id, message.message_id
    )
    if view is None:
        await show(update, context, screens.not_broadcastable_screen(me.t))
        raise ApplicationHandlerStop
    await _preview(context, me, view.draft)
    await show(update, context, _draft_screen(me, view))
    raise ApplicationHandlerStop


def _kind(message: Message) -> str:
    for kind in broadcast.BROADCASTABLE:
        if getattr(message, kind, None):
            return kind
    return "other"


async def _preview(context: CxContext, me: Learner, draft) -> None:
    """The message exactly as recipients will see it."""
    try:
        await context.bot.copy_message(
            me.user.id,
            draft.source_chat_id,
            draft.source_message_id,
            reply_markup=await context.bot_data.broadcasts.button_markup(draft),
        )
    except TelegramError as exc:
        log.warning("preview failed: %s", exc)


def _draft_screen(me: Learner, view: broadcast.DraftView) -> screens.Screen:
    return screens.draft_screen(me.t, view.draft, view.series, view.count, view.channel)


@on_command("broadcasts")
@admins_only
async def broadcasts_command(update: Update, context: CxContext, me: Learner) -> None:
    """/broadcasts: the history with outcome counts."""
    items = await broadcast.history(context.env)
    await show(update, context, screens.history_screen(me.t, items))


async def admin_button(update: Update, context: CxContext) -> None:
    """ab:<verb>:<id>[:<arg>] — checked on every press; non-admins get silence."""
    data = cb.parse(update.callback_query.data)
    me = await learner(update, context) if is_admin(update, context) else None
    if me is None or not isinstance(data, cb.AdminAction):
        await answer_query(update)
        return
    t, runner = me.t, context.bot_data.broadcasts
    message = update.callback_query.message
    pressed_on = (message.chat.id, message.message_id) if message is not None else None
    outcome = await broadcast.press(
        context.env, me.user, me.lang, data.broadcast_id, data.verb, data.arg, pressed_on
    )
    step = outcome.step
    if step is Step.EDITED:
        await reply(update, context, _draft_screen(me, outcome.view), edit=True)
    elif step is Step.CONFIRMING:
        await _confirm(update, context, me, outcome.confirmation)
    elif step is Step.DROPPED:
        await answer_query(update, t._("Cancelled."))
        await show(update, context, screens.Screen(t._("The draft is dropped.")), edit=True)
    elif step is Step.WAS_DROPPED:
        await answer_query(update, t._("That draft was dropped."))
    elif step is Step.WAS_CONFIRMED:
        await answer_query(update, t._("This broadcast is already confirmed."))
    elif step is Step.NOBODY:
        await answer_query(update, t._("Nobody matches this audience: change the filters."))
    elif step is Step.PAUSING:  # every process sending it stops at its next claim; this one now
        runner.halt(data.broadcast_id, "paused")
        await answer_query(update, t._("Pausing after the messages in flight…"))
    elif step is Step.CANCELLING:
        runner.halt(data.broadcast_id, "cancelled")
        await answer_query(update, t._("Cancelling after the messages in flight…"))
    elif step is Step.RESUMED:
        await answer_query(update, t._("Resumed."))
        await runner.tick()
    elif step in (Step.RETRIED, Step.RESENT):
        await answer_query(
            update, t.n_("{n} recipient again", "{n} recipients again", outcome.count)
        )
        await runner.tick()
    elif step is Step.ASK_RESEND:
        await answer_query(update)
        screen = screens.resend_unconfirmed_screen(t, outcome.broadcast, outcome.count)
        await show(update, context, screen, edit=True)
    elif step in (Step.CANCELLED, Step.REPORT):
        await answer_query(update, t._("Cancelled.") if step is Step.CANCELLED else None)
        if (report := outcome.report) is not None:
            screen = screens.progress_screen(
                t, report.broadcast, report.progress, report.counts, report.status
            )
            await show(update, context, screen, edit=True)
    else:
        await answer_query(update, t._("That button is out of date."))


async def _confirm(
    update: Update, context: CxContext, me: Learner, confirmation: broadcast.Confirmation
) -> None:
    """The pressed message becomes the progress report: shown queued (or scheduled) BEFORE
    the broadcast is confirmed and can start, so the runner's reports always come after."""
    t, runner = me.t, context.bot_data.broadcasts
    report = confirmation.report
    screen = screens.progress_screen(
        t, report.broadcast, report.progress, report.counts, report.status
    )
    extra = []
    if confirmation.when is not None:
        local = confirmation.when.astimezone(confirmation.prefs.tz).strftime("%Y-%m-%d %H:%M")
        extra.append(t._("Starts at {when}.", when=local))
    elif runner.busy:
        extra.append(t._("Another broadcast is running: this one starts after it."))
    await answer_query(update, t._("Confirmed."))
    text = "\n".join([screen.text, *extra])
    await show(update, context, screens.Screen(text, screen.keyboard), edit=True)
    if await broadcast.confirm(context.env, confirmation):
        await runner.tick()


def register(app: Application) -> None:
    # the admin check is inside each handler, on every call
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND, admin_message), group=-1)
    add(app, broadcast_command, announce_command, broadcasts_command, cancel_command)
    app.add_handler(CallbackQueryHandler(admin_button, pattern=cb.AdminAction.pattern))
