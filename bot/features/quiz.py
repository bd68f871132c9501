"""Quizzes: one question at a time on buttons, judged at once, with a final score."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import answer_query, gone, pressed, show
from bot.render import screens
from bot.services import journey, quiz, review, training


async def start_quiz_button(update: Update, context: CxContext) -> None:
    """Begin (or retake) a lesson's quiz with its first question."""
    if (got := await pressed(update, context, cb.StartQuiz)) is None:
        return
    me, data = got
    started = await quiz.start_quiz(
        context.storage, context.catalog, me.user.id, me.lang, data.lesson_id, context.now()
    )
    if started is not None:
        await training.note_activity(context.storage, me.user, me.lang, context.now())
    if started is None:
        await gone(update, context, me, me.t._("This lesson is no longer available."))
        return
    await answer_query(update)
    await show(
        update,
        context,
        screens.question_screen(me.t, started.lesson, started.attempt, 0, started.first_order),
    )


async def answer_button(update: Update, context: CxContext) -> None:
    """Judge an answer: mark it in the question's message, then the next question or score."""
    if (got := await pressed(update, context, cb.Answer)) is None:
        return
    me, data = got
    t = me.t
    outcome = await quiz.answer(
        context.storage,
        context.catalog,
        me.user.id,
        me.lang,
        data.attempt_id,
        data.question,
        data.position,
        context.now(),
    )
    if outcome.verdict is quiz.Verdict.INVALID:
        await answer_query(update, t._("That button is out of date."))
        return
    if outcome.verdict is quiz.Verdict.STALE:
        await answer_query(update, t._("You have already answered this question."))
        return
    if outcome.verdict is quiz.Verdict.CHANGED:
        await gone(update, context, me, t._("This quiz has changed since; please start it again."))
        return
    assert outcome.lesson and outcome.question and outcome.attempt and outcome.series
    await review.record_quiz_answer(
        context.storage,
        me.user.id,
        outcome.lesson,
        outcome.question_index,
        outcome.correct,
        outcome.seconds,
        training.prefs_of(me.user, me.lang),
        context.now(),
    )
    await training.reschedule(context.storage, me.user, me.lang, context.now())
    await answer_query(update, t._("✅ Right!") if outcome.correct else t._("❌ Not quite."))
    judged = screens.judged_screen(
        t,
        outcome.lesson,
        outcome.question_index,
        outcome.question,
        outcome.chosen,
        outcome.correct,
        outcome.order,
    )
    await show(update, context, judged, edit=True)
    if outcome.next_question is not None:
        await show(
            update,
            context,
            screens.question_screen(
                t, outcome.lesson, outcome.attempt, outcome.next_question, outcome.next_order
            ),
        )
        return
    completed = await context.storage.completed_lessons(me.user.id)
    series_finished = journey.is_last_lesson(outcome.series, outcome.lesson.id) and all(
        lesson.id in completed for lesson in outcome.series.lessons
    )
    await show(
        update,
        context,
        screens.result_screen(
            t,
            outcome.series,
            outcome.lesson,
            outcome.attempt,
            journey.next_lesson(outcome.series, outcome.lesson.id),
            series_finished,
        ),
    )


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(start_quiz_button, pattern=r"^qs:"))
    app.add_handler(CallbackQueryHandler(answer_button, pattern=r"^qa:"))
