"""Screens of /review: a card, the judged answer, and when the next card is due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.kit import Screen, button, day_name, markup
from bot.render.quiz import option_letter, option_lines, shown_answer
from bot.services.schedule import Prefs
from content.model import Lesson, QuizQuestion
from domain.records import Card


def review_question_screen(
    t: Translator,
    card: Card,
    question: QuizQuestion,
    order: Sequence[int],
    due: int,
    shown_at: int,
) -> Screen:
    # No lesson title in the header: it would often name the answer.
    lines = [
        t._("🔁 <b>Review</b>"),
        t.n_("{n} card due", "{n} cards due", due),
        "",
        escape(question.question),
        "",
        *option_lines(t, question, order),
    ]
    buttons = [
        button(
            option_letter(t, position), cb.ReviewAnswer(card.id, card.reviews, position, shown_at)
        )
        for position in range(len(order))
    ]
    return Screen("\n".join(lines), markup([buttons]))


def due_day(t: Translator, moment: datetime, prefs: Prefs, now: datetime) -> str:
    """When a review card is due, as a day in the learner's zone: cards are due by the day,
    so no hour ("today", "tomorrow", else "Thursday, 3 December" by CLDR via Babel)."""
    return day_name(t, moment.astimezone(prefs.tz).date(), now.astimezone(prefs.tz).date())


def review_judged_screen(
    t: Translator,
    lesson: Lesson,
    question: QuizQuestion,
    chosen: int,
    correct: bool,
    order: Sequence[int],
    due: datetime,
    prefs: Prefs,
    now: datetime | None = None,
) -> Screen:
    verdict = t._("✅ Right!") if correct else t._("❌ Not quite.")
    right = shown_answer(t, question, order, question.correct)
    when = due_day(t, due, prefs, now or datetime.now(due.tzinfo))
    lines = [
        t._("🔁 <b>Review</b> · {title}", title=lesson.title),
        "",
        escape(question.question),
        "",
        t._("Your answer: {answer}", answer=shown_answer(t, question, order, chosen)),
        verdict if correct else f"{verdict} " + t._("The answer: {answer}", answer=right),
        f"<i>{escape(question.explanation)}</i>",
        "",
        t._("Next review of this card: {day}.", day=when),
    ]
    return Screen("\n".join(lines))


def review_done_screen(
    t: Translator,
    reviewed: bool,
    next_due: datetime | None = None,
    prefs: Prefs | None = None,
    now: datetime | None = None,
) -> Screen:
    """No card due now: after a session, before any card exists, or between reviews."""
    if next_due is None or prefs is None:
        text = "\n".join(
            [
                t._(
                    "🔁 <b>Review</b> brings back the quiz questions you have answered, "
                    "each just before you would forget it."
                ),
                "",
                t._(
                    "You have no cards yet. Take a lesson’s quiz: your first cards come a day "
                    "or two after it."
                ),
            ]
        )
    else:
        when = due_day(t, next_due, prefs, now or datetime.now(next_due.tzinfo))
        text = (
            t._("🎉 Done for now: no more cards are due. Next card: {day}.", day=when)
            if reviewed
            else t._("✅ Nothing to review right now. Next card: {day}.", day=when)
        )
    return Screen(
        text,
        markup([[button(t._("📚 Lessons"), cb.SeriesList(0)), button(t._("🏠 Menu"), cb.Menu())]]),
    )
