"""Quiz rules as plain functions: start an attempt, judge an answer, say what comes next.

Every attempt shows each question's options in an order of its own, drawn at random when the
attempt starts and stored with it: a button names the *position* the learner saw (A, B, ...),
and the stored order maps it back to the option, whichever process handles the press and
however long after.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from content.model import Catalog, Lesson, QuizQuestion, SeriesContent
from domain.records import AnswerStatus, Attempt
from storage.store import Storage

_RANDOM = random.SystemRandom()


def new_order(count: int) -> tuple[int, ...]:
    """A random order of ``count`` options (option indexes, as they will be shown)."""
    order = list(range(count))
    _RANDOM.shuffle(order)
    return tuple(order)


def shown_order(stored: Sequence[int] | None, count: int) -> tuple[int, ...] | None:
    """The order a question's options were shown in: the stored one, file order if none was
    stored (attempts and cards from before shuffling), None if it no longer fits the
    question (its options changed since)."""
    if not stored:
        return tuple(range(count))
    order = tuple(stored)
    return order if sorted(order) == list(range(count)) else None


def quiz_shape(lesson: Lesson) -> str:
    """What judging an answer depends on, the same in every language: per question, its
    number of options and the right one ("4.2,4.0"). Rewording keeps it; a deploy that moves
    the key, adds or drops an option or a question changes it."""
    return ",".join(f"{len(q.options)}.{q.correct}" for q in lesson.quiz)


def attempt_fits(attempt: Attempt, lesson: Lesson) -> bool:
    """Whether answers to ``attempt`` can still be judged against ``lesson``'s quiz as it is
    now (attempts from before shapes were kept are taken as they are)."""
    if len(lesson.quiz) != attempt.total:
        return False
    return attempt.quiz_shape is None or attempt.quiz_shape == quiz_shape(lesson)


def attempt_order(attempt: Attempt, index: int, count: int) -> tuple[int, ...] | None:
    """How question ``index`` of ``attempt`` shows its ``count`` options."""
    orders = attempt.option_orders
    if orders and index >= len(orders):
        return None
    return shown_order(orders[index] if orders else None, count)


@dataclass(frozen=True)
class QuizStart:
    attempt: Attempt
    series: SeriesContent
    lesson: Lesson

    @property
    def first_order(self) -> tuple[int, ...]:
        """How the first question shows its options."""
        count = len(self.lesson.quiz[0].options)
        return attempt_order(self.attempt, 0, count) or tuple(range(count))


async def start_quiz(
    storage: Storage, catalog: Catalog, user_id: int, lang: str, lesson_id: str, now: datetime
) -> QuizStart | None:
    """A fresh attempt at a lesson's quiz; None if the lesson no longer exists."""
    found = catalog.lesson(lang, lesson_id)
    if found is None:
        return None
    series, lesson = found
    await storage.mark_opened(user_id, lesson_id, now)
    orders = tuple(new_order(len(question.options)) for question in lesson.quiz)
    attempt = await storage.start_attempt(
        user_id, lesson_id, len(lesson.quiz), now, orders, quiz_shape(lesson)
    )
    return QuizStart(attempt, series, lesson)


class Verdict(enum.Enum):
    JUDGED = "judged"  # recorded; see correct / finished
    STALE = "stale"  # already answered, or an old attempt
    CHANGED = "changed"  # the lesson or its quiz changed since the question was sent
    INVALID = "invalid"  # not this user's attempt, or nonsense indexes


@dataclass(frozen=True)
class AnswerOutcome:
    verdict: Verdict
    attempt: Attempt | None = None
    series: SeriesContent | None = None
    lesson: Lesson | None = None
    question: QuizQuestion | None = None
    question_index: int = 0
    chosen: int = 0  # the option's index in the content
    order: tuple[int, ...] = ()  # the options as the learner saw them
    correct: bool = False
    seconds: float | None = None  # response time: question shown -> answered

    @property
    def finished(self) -> bool:
        return self.attempt is not None and self.attempt.finished

    @property
    def next_question(self) -> int | None:
        if self.attempt is None or self.attempt.finished:
            return None
        return self.attempt.current

    @property
    def next_order(self) -> tuple[int, ...]:
        """How the next question shows its options."""
        index = self.next_question
        if index is None or self.lesson is None or self.attempt is None:
            return ()
        count = len(self.lesson.quiz[index].options)
        return attempt_order(self.attempt, index, count) or tuple(range(count))


async def answer(
    storage: Storage,
    catalog: Catalog,
    user_id: int,
    lang: str,
    attempt_id: int,
    question_index: int,
    position: int,
    now: datetime,
) -> AnswerOutcome:
    """Judge and store one answer: the option shown at ``position`` (0 = A) of the question.

    Double presses and old buttons change nothing."""
    attempt = await storage.get_attempt(attempt_id)
    if attempt is None or attempt.user_id != user_id:
        return AnswerOutcome(Verdict.INVALID)
    found = catalog.lesson(lang, attempt.lesson_id)
    if found is None or not attempt_fits(attempt, found[1]):
        return AnswerOutcome(Verdict.CHANGED, attempt)
    series, lesson = found
    if not 0 <= question_index < len(lesson.quiz):
        return AnswerOutcome(Verdict.INVALID, attempt)
    question = lesson.quiz[question_index]
    order = attempt_order(attempt, question_index, len(question.options))
    if order is None:
        return AnswerOutcome(Verdict.CHANGED, attempt)
    if not 0 <= position < len(order):
        return AnswerOutcome(Verdict.INVALID, attempt)
    option = order[position]
    is_correct = option == question.correct
    result = await storage.record_answer(
        attempt_id, user_id, question_index, option, is_correct, now
    )
    if result.status is AnswerStatus.NOT_FOUND:
        return AnswerOutcome(Verdict.INVALID)
    common = dict(
        attempt=result.attempt,
        series=series,
        lesson=lesson,
        question=question,
        question_index=question_index,
        chosen=option,
        order=order,
        correct=is_correct,
        seconds=max(0.0, (now - attempt.question_shown_at).total_seconds()),
    )
    if result.status is AnswerStatus.STALE:
        return AnswerOutcome(Verdict.STALE, **common)  # type: ignore[arg-type]
    return AnswerOutcome(Verdict.JUDGED, **common)  # type: ignore[arg-type]
