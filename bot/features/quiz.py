"""Quizzes: one question at a time on buttons, judged at once, with a final score."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, judged, reply, show
from bot.features.handlers import add, on_button
from bot.render import feedback as feedback_screens
from bot.render import quiz as screens
from bot.services import quiz


@on_button(cb.StartQuiz)
async def start_quiz_button(
    update: Update, context: CxContext, me: Learner, data: cb.StartQuiz
) -> None:
    """qs:<lesson> — begin (or retake) a lesson's quiz with its first question."""
    started = await quiz.start(context.env, me.user, me.lang, data.lesson_id)
    screen = screens.question_screen(me.t, started.lesson, started.attempt, 0, started.first_order)
    await reply(update, context, screen)


@on_button(cb.Answer)
async def answer_button(update: Update, context: CxContext, me: Learner, data: cb.Answer) -> None:
    """qa:<attempt>:<q>:<pos> — judge an answer: mark it in the question's message, then the
    next question or the score."""
    t = me.t
    outcome = await quiz.answer(
        context.env, me.user, me.lang, data.attempt_id, data.question, data.position
    )
    changed = t._("This quiz has changed since; please start it again.")
    if not await judged(update, context, me, outcome.verdict.value, outcome.correct, changed):
        return
    assert outcome.lesson and outcome.question and outcome.attempt and outcome.series
    marked = screens.judged_screen(
        t,
        outcome.lesson,
        outcome.question_index,
        outcome.question,
        outcome.chosen,
        outcome.correct,
        outcome.order,
    )
    await show(update, context, marked, edit=True)
    if outcome.next_question is not None:
        screen = screens.question_screen(
            t, outcome.lesson, outcome.attempt, outcome.next_question, outcome.next_order
        )
    else:
        screen = screens.result_screen(
            t,
            outcome.series,
            outcome.lesson,
            outcome.attempt,
            outcome.next_lesson,
            outcome.series_finished,
        )
    await show(update, context, screen)
    if outcome.ask_feedback:
        await show(
            update, context, feedback_screens.rate_screen(t, outcome.lesson, outcome.attempt.id)
        )


def register(app: Application) -> None:
    add(app, start_quiz_button, answer_button)
