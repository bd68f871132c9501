"""/review: due review cards one at a time, judged at once, rescheduled by FSRS."""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, gone, learner, pressed, show
from bot.render import training as screens
from bot.services import review, training

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


async def _next(update: Update, context: CxContext, me: Learner, *, reviewed: bool) -> None:
    now = context.now()
    found = await review.next_due_card(context.storage, context.catalog, me.user.id, me.lang, now)
    if found is None:
        next_due = await review.next_due_at(context.storage, me.user.id, now)
        prefs = training.prefs_of(me.user, me.lang)
        await show(
            update, context, screens.review_done_screen(me.t, reviewed, next_due, prefs, now)
        )
        return
    card, _, question = found
    due = await context.storage.count_due_cards(me.user.id, now)
    shown = int(now.timestamp())
    order = review.card_order(card, question)
    screen = screens.review_question_screen(me.t, card, question, order, due, shown)
    await show(update, context, screen)


async def review_command(update: Update, context: CxContext) -> None:
    """Start reviewing due cards."""
    me = await learner(update, context)
    if me is not None:
        await _next(update, context, me, reviewed=False)


async def review_button(update: Update, context: CxContext) -> None:
    if (got := await pressed(update, context, cb.StartReview)) is None:
        return
    me, _ = got
    await answer_query(update)
    await _next(update, context, me, reviewed=False)


async def review_answer(update: Update, context: CxContext) -> None:
    """rv:<card>:<n>:<opt>:<ts> — judge, show the explanation, then the next due card."""
    if (got := await pressed(update, context, cb.ReviewAnswer)) is None:
        return
    me, data = got
    now = context.now()
    seconds = max(0.0, now.timestamp() - data.shown_at) if data.shown_at else None
    prefs = training.prefs_of(me.user, me.lang)
    outcome = await review.answer_review(
        context.storage,
        context.catalog,
        me.user.id,
        me.lang,
        data.card_id,
        data.reviews,
        data.position,
        seconds,
        prefs,
        now,
    )
    t = me.t
    if outcome.verdict is review.ReviewVerdict.INVALID:
        await answer_query(update, t._("That button is out of date."))
        return
    if outcome.verdict is review.ReviewVerdict.STALE:
        await answer_query(update, t._("You have already answered this question."))
        return
    if outcome.verdict is review.ReviewVerdict.GONE:
        await gone(update, context, me, t._("This question is no longer in the lessons."))
        return
    assert outcome.card and outcome.lesson and outcome.question
    await answer_query(update, t._("✅ Right!") if outcome.correct else t._("❌ Not quite."))
    due: datetime = outcome.card.due_at
    judged = screens.review_judged_screen(
        t,
        outcome.lesson,
        outcome.question,
        outcome.chosen,
        outcome.correct,
        outcome.order,
        due,
        prefs,
        now,
    )
    await show(update, context, judged, edit=True)
    await _next(update, context, me, reviewed=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("review", review_command, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(review_button, pattern=r"^rv$"))
    app.add_handler(CallbackQueryHandler(review_answer, pattern=r"^rv:"))
