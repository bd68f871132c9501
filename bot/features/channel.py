"""/channel and its buttons (admins only): the channel's posting calendar — the plan, adding
a post (a lesson's teaser, a quiz poll, a series' digest, one's own message), planning a
series of teasers, moving, cancelling, previewing and posting again. Posting is the runner's
(:mod:`bot.poster`).

Every handler checks the caller against ``CXCOACH_ADMIN_IDS`` on every call: to anyone else
the command looks like any unknown command (the fallback answers it) and the buttons do
nothing at all. The channel's ``poll`` updates (our quiz polls' votes) and
``message_reaction_count`` updates (reactions to our posts) carry no user: they are stored
for our posts and nothing is answered.
"""

from __future__ import annotations

import logging

from telegram import (
    Message,
    ReactionType,
    ReactionTypeCustomEmoji,
    ReactionTypeEmoji,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    MessageHandler,
    MessageReactionHandler,
    PollHandler,
    filters,
)

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.broadcast import admins_only, is_admin
from bot.features.common import Learner, answer_query, learner, reply, show
from bot.features.handlers import PRIVATE, add, on_button, on_command, on_typed
from bot.features.stats import admin_buttons
from bot.i18n import Translator, translator
from bot.poster import publish
from bot.render import channel as screens
from bot.render.kit import Screen
from bot.services import channel
from bot.services.broadcast import BROADCASTABLE
from bot.services.channel import AWAIT_TYPED, Outcome, Step

log = logging.getLogger(__name__)

MAX_TYPED = 100  # characters of a typed date we read


def _screen(t: Translator, outcome: Outcome) -> Screen | None:
    """The screen a use case's outcome shows; None: a toast says it all."""
    step, tz = outcome.step, outcome.tz
    if step is Step.NO_CHANNEL:
        return screens.no_channel_screen(t)
    if step is Step.PLAN and outcome.plan is not None:
        return screens.plan_screen(t, outcome.plan)
    if step is Step.KINDS:
        return screens.kind_screen(t)
    if step is Step.LANGUAGES:
        return screens.languages_screen(t, outcome.kind, outcome.languages)
    if step is Step.SERIES and outcome.language is not None:
        return screens.series_pick_screen(t, outcome.kind, outcome.language, outcome.all_series)
    if step is Step.LESSONS and outcome.kind and outcome.language and outcome.series:
        return screens.lesson_pick_screen(t, outcome.kind, outcome.language, outcome.series)
    if step is Step.QUESTIONS and outcome.language and outcome.lesson:
        return screens.question_pick_screen(t, outcome.language, outcome.lesson)
    if step in (Step.DAYS, Step.PAST, Step.TOO_FAR) and outcome.picker is not None:
        return screens.days_screen(t, outcome.picker)
    if step is Step.TIMES and outcome.picker is not None:
        return screens.times_screen(t, outcome.picker)
    if step in (Step.TYPE_WHEN, Step.UNREADABLE) and outcome.picker is not None:
        return screens.type_when_screen(t, outcome.picker, step is Step.UNREADABLE)
    if step is Step.ASK_MESSAGE and outcome.run_at is not None:
        return screens.ask_message_screen(t, outcome.channel, outcome.run_at, tz)
    if step is Step.NOT_POSTABLE:
        return screens.not_postable_screen(t)
    if step is Step.ASK_CANCEL and outcome.view is not None:
        return screens.cancel_ask_screen(t, outcome.view, tz)
    if step is Step.ASK_RESEND and outcome.view is not None:
        return screens.resend_ask_screen(t, outcome.view, tz)
    if step is Step.SERIES_DAYS and outcome.series_plan is not None:
        return screens.series_days_screen(t, outcome.series_plan)
    if step is Step.SERIES_CONFIRM and outcome.series_plan is not None:
        return screens.series_confirm_screen(t, outcome.series_plan)
    if step is Step.SERIES_PLANNED and outcome.series_plan is not None:
        return screens.series_planned_screen(t, outcome.series_plan)
    if outcome.view is not None:  # planned, already planned, moved, cancelled, resent...
        return screens.post_screen(t, outcome.view, tz)
    return None


def _toast(t: Translator, step: Step) -> str | None:
    return {
        Step.OUT_OF_DATE: lambda: t._("That button is out of date."),
        Step.PAST: lambda: t._("That time has passed: pick another."),
        Step.TOO_FAR: lambda: t._("That is more than a year ahead: pick a nearer date."),
        Step.PLANNED: lambda: t._("Planned."),
        Step.ALREADY: lambda: t._("This post was planned already."),
        Step.MOVED: lambda: t._("Moved."),
        Step.NOT_PLANNED: lambda: t._("This post is no longer planned."),
        Step.CANCELLED: lambda: t._("Cancelled."),
        Step.RESENT: lambda: t._("Planned again: it goes out within a minute."),
        Step.SERIES_PLANNED: lambda: t._("Planned."),
    }.get(step, lambda: None)()


async def _press(update: Update, context: CxContext, me: Learner, outcome: Outcome) -> None:
    """After a press: the toast, the screen in place of the pressed message; the runner
    looks for work when a post was planned again."""
    screen = _screen(me.t, outcome)
    toast = _toast(me.t, outcome.step)
    if screen is None:
        await answer_query(update, toast)
        return
    await reply(update, context, screen, edit=True, toast=toast)
    if outcome.step is Step.RESENT:
        await context.bot_data.poster.tick()


@on_command("channel")
@admins_only
async def channel_command(update: Update, context: CxContext, me: Learner) -> None:
    """/channel: the posting calendar."""
    outcome = await channel.overview(context.env, me.user, me.lang)
    await show(update, context, _screen(me.t, outcome) or screens.no_channel_screen(me.t))


@on_button(cb.ChannelPlan)
@admin_buttons
async def plan_button(
    update: Update, context: CxContext, me: Learner, data: cb.ChannelPlan
) -> None:
    """cpl:<page> — the plan, in place."""
    await _press(
        update, context, me, await channel.overview(context.env, me.user, me.lang, data.page)
    )


@on_button(cb.ChannelNew)
@admin_buttons
async def new_button(update: Update, context: CxContext, me: Learner, data: cb.ChannelNew) -> None:
    """cpn[:<kind>[:<lang>]] — a new post: its kind, its channel's language, then its subject."""
    outcome = await channel.new_post(context.env, me.user, me.lang, data.kind, data.language)
    await _press(update, context, me, outcome)


@on_button(cb.ChannelLessons)
@admin_buttons
async def lessons_button(
    update: Update, context: CxContext, me: Learner, data: cb.ChannelLessons
) -> None:
    """cps:<t|q>:<lang>:<series> — which lesson a teaser or a quiz poll is about."""
    outcome = await channel.lessons_of(context.env, data.kind, data.language, data.series_id)
    await _press(update, context, me, outcome)


@on_button(cb.ChannelQuestions)
@admin_buttons
async def questions_button(
    update: Update, context: CxContext, me: Learner, data: cb.ChannelQuestions
) -> None:
    """cpq:<lang>:<lesson> — which question a quiz poll asks."""
    outcome = await channel.questions_of(context.env, data.language, data.lesson_id)
    await _press(update, context, me, outcome)


@on_button(cb.ChannelWhen)
@admin_buttons
async def when_button(
    update: Update, context: CxContext, me: Learner, data: cb.ChannelWhen
) -> None:
    """cpw:... — a new post's day, then its time; then it is planned (a free post's message
    is asked for first)."""
    outcome = await channel.when(
        context.env,
        me.user,
        me.lang,
        data.kind,
        data.language,
        data.target_id,
        data.question,
        data.day,
        data.minutes,
        data.typed,
    )
    await _press(update, context, me, outcome)


@on_button(cb.ChannelMove)
@admin_buttons
async def move_button(
    update: Update, context: CxContext, me: Learner, data: cb.ChannelMove
) -> None:
    """cpm:<post>:... — a planned post's new day, then its new time."""
    outcome = await channel.move(
        context.env, me.user, me.lang, data.post_id, data.day, data.minutes, data.typed
    )
    await _press(update, context, me, outcome)


@on_button(cb.ChannelPostAction)
@admin_buttons
async def post_button(
    update: Update, context: CxContext, me: Learner, data: cb.ChannelPostAction
) -> None:
    """cpx:<verb>:<post> — view, preview, move, cancel (asks), post again (asks)."""
    outcome = await channel.post_action(context.env, me.user, me.lang, data.verb, data.post_id)
    if outcome.step is not Step.PREVIEW or outcome.content is None:
        await _press(update, context, me, outcome)
        return
    t = me.t
    await answer_query(update, t._("The preview is below."))
    content = outcome.content
    try:  # the post exactly as it will look, in the post's language
        await publish(context.bot, me.user.id, content, translator(content.language))
    except TelegramError as exc:
        await show(
            update,
            context,
            Screen(t._("The preview could not be sent: {error}", error=exc.message)),
        )
    if outcome.view is not None:  # the post's buttons again, under the preview
        await show(update, context, screens.post_screen(t, outcome.view, outcome.tz))


@on_button(cb.ChannelSeriesPlan)
@admin_buttons
async def series_button(
    update: Update, context: CxContext, me: Learner, data: cb.ChannelSeriesPlan
) -> None:
    """cpd:<lang>:<series>:<days>[:<minutes>[:ok]] — plan a series: weekdays and a time, the
    moments to confirm, then every teaser planned."""
    outcome = await channel.series_plan(
        context.env,
        me.user,
        me.lang,
        data.language,
        data.series_id,
        data.days,
        data.minutes,
        data.confirmed,
    )
    await _press(update, context, me, outcome)


@on_typed(AWAIT_TYPED)
@admins_only
async def typed_when(update: Update, context: CxContext, me: Learner) -> None:
    """A date and time typed when asked ("2026-12-24 09:30", in the admin's zone)."""
    text = (update.effective_message.text or "") if update.effective_message else ""
    outcome = await channel.typed_when(context.env, me.user, me.lang, text[:MAX_TYPED])
    t = me.t
    screen = _screen(t, outcome)
    notice = _toast(t, outcome.step)
    if screen is None:
        screen = Screen(t._("That is out of date: open /channel again."))
    elif notice and outcome.step is not Step.OUT_OF_DATE:
        screen = Screen(f"{notice}\n\n{screen.text}", screen.keyboard)
    await show(update, context, screen)


def _kind(message: Message) -> str:
    for kind in BROADCASTABLE:
        if getattr(message, kind, None):
            return kind
    return "other"


async def free_post_message(update: Update, context: CxContext) -> None:
    """Group -2: an admin's message while a free post's message is awaited becomes the post
    (a kind that cannot be posted is refused, and the message stays awaited)."""
    if not is_admin(update, context) or update.effective_user is None:
        return
    if not await channel.free_awaited(context.env, update.effective_user.id):
        return  # not ours: the broadcast drafts and the usual handlers see it
    me = await learner(update, context)
    message = update.effective_message
    if me is None or message is None:
        raise ApplicationHandlerStop
    outcome = await channel.free_message(
        context.env, me.user, me.lang, _kind(message), message.chat_id, message.message_id
    )
    screen = _screen(me.t, outcome)
    notice = _toast(me.t, outcome.step)
    if screen is not None:
        if notice:
            screen = Screen(f"{notice}\n\n{screen.text}", screen.keyboard)
        await show(update, context, screen)
    raise ApplicationHandlerStop


async def poll_update(update: Update, context: CxContext) -> None:
    """A quiz poll's state (our channel posts' polls: every vote, and when it closes)."""
    poll = update.poll
    if poll is not None:
        counts = [option.voter_count for option in poll.options]
        await channel.record_poll(context.env, poll.id, counts, poll.is_closed)


def _reaction(kind: ReactionType) -> str:
    if isinstance(kind, ReactionTypeEmoji):
        return kind.emoji
    if isinstance(kind, ReactionTypeCustomEmoji):
        return f"custom:{kind.custom_emoji_id}"
    return "⭐"  # a paid reaction


async def reactions_update(update: Update, context: CxContext) -> None:
    """The reactions to a channel message (counted, anonymous): kept for our posts."""
    counted = update.message_reaction_count
    if counted is None:
        return
    reactions: dict[str, int] = {}
    for item in counted.reactions:
        key = _reaction(item.type)
        reactions[key] = reactions.get(key, 0) + item.total_count
    await channel.record_reactions(
        context.env, counted.chat.id, counted.chat.username, counted.message_id, reactions
    )


def register(app: Application) -> None:
    # before the broadcast drafts' group -1: both take an admin's next message when awaited
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND, free_post_message), group=-2)
    add(
        app,
        channel_command,
        plan_button,
        new_button,
        lessons_button,
        questions_button,
        when_button,
        move_button,
        post_button,
        series_button,
        typed_when,
    )
    app.add_handler(PollHandler(poll_update))
    app.add_handler(
        MessageReactionHandler(
            reactions_update,
            message_reaction_types=MessageReactionHandler.MESSAGE_REACTION_COUNT_UPDATED,
        )
    )
