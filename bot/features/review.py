"""/review: due review cards one at a time, judged at once, rescheduled by FSRS."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, judged, show
from bot.features.handlers import add, on_button, on_command
from bot.i18n import Translator
from bot.render import review as screens
from bot.services import review


def step_screen(t: Translator, step: review.ReviewStep, *, reviewed: bool) -> screens.Screen:
    """The next due card, or "all done" with when the next one falls due."""
    if step.card is None or step.question is None:
        return screens.review_done_screen(t, reviewed, step.next_due, step.prefs, step.now)
    return screens.review_question_screen(
        t, step.card, step.question, step.order, step.due, step.shown_at
    )


@on_command("review")
async def review_command(update: Update, context: CxContext, me: Learner) -> None:
    """Start reviewing due cards."""
    await _next(update, context, me)


@on_button(cb.StartReview)
async def review_button(update: Update, context: CxContext, me: Learner, _: cb.StartReview) -> None:
    """rv — the same, from a button (home, progress, a reminder)."""
    await answer_query(update)
    await _next(update, context, me)


async def _next(update: Update, context: CxContext, me: Learner) -> None:
    step = await review.next_review(context.env, me.user, me.lang)
    await show(update, context, step_screen(me.t, step, reviewed=False))


@on_button(cb.ReviewAnswer)
async def review_answer(
    update: Update, context: CxContext, me: Learner, data: cb.ReviewAnswer
) -> None:
    """rv:<card>:<n>:<pos>:<ts> — judge, show the explanation, then the next due card."""
    t = me.t
    outcome = await review.answer(
        context.env, me.user, me.lang, data.card_id, data.reviews, data.position, data.shown_at
    )
    changed = t._("This question is no longer in the lessons.")
    if not await judged(update, context, me, outcome.verdict.value, outcome.correct, changed):
        return
    assert outcome.card and outcome.lesson and outcome.question and outcome.then
    step = outcome.then
    marked = screens.review_judged_screen(
        t,
        outcome.lesson,
        outcome.question,
        outcome.chosen,
        outcome.correct,
        outcome.order,
        outcome.card.due_at,
        step.prefs,
        step.now,
    )
    await show(update, context, marked, edit=True)
    await show(update, context, step_screen(t, step, reviewed=True))


def register(app: Application) -> None:
    add(app, review_command, review_button, review_answer)
