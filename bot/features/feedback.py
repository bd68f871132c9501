"""After a quiz: how useful the lesson was (1–5 or skip), then what was unclear (typed, or
skipped), then the week's action offered as a commitment."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, show
from bot.features.handlers import add, on_button, on_typed
from bot.i18n import Translator
from bot.render import feedback as screens
from bot.services import feedback
from bot.services.feedback import AWAIT_UNCLEAR


def _already(t: Translator) -> str:
    return t._("Already noted: thank you!")


@on_button(cb.RateLesson)
async def rate_button(update: Update, context: CxContext, me: Learner, data: cb.RateLesson) -> None:
    """fr:<attempt>:<1..5|0> — the lesson's usefulness (0: skipped)."""
    usefulness = data.usefulness or None
    step = await feedback.rate(context.env, me.user, me.lang, data.attempt_id, usefulness)
    if step.already:
        await answer_query(update, _already(me.t))
        return
    await answer_query(update)
    screen = (
        screens.unclear_screen(me.t, step) if step.ask_unclear else screens.next_screen(me.t, step)
    )
    await show(update, context, screen, edit=True)


@on_button(cb.SkipUnclear)
async def skip_button(
    update: Update, context: CxContext, me: Learner, data: cb.SkipUnclear
) -> None:
    """fu:<lesson> — nothing was unclear: on to the week's action."""
    step = await feedback.skip_unclear(context.env, me.user, me.lang, data.lesson_id)
    await answer_query(update)
    await show(update, context, screens.next_screen(me.t, step), edit=True)


@on_typed(AWAIT_UNCLEAR)
async def unclear_text(update: Update, context: CxContext, me: Learner) -> None:
    """What was unclear, typed: kept as written; thanks, and the week's action."""
    text = update.effective_message.text if update.effective_message else ""
    step = await feedback.unclear(context.env, me.user, me.lang, text or "")
    await show(update, context, screens.next_screen(me.t, step, thanks=True))


def register(app: Application) -> None:
    add(app, rate_button, skip_button, unclear_text)
