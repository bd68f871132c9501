"""Quiz rules as plain functions: start an attempt, judge an answer, say what comes next."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from content.model import Catalog, Lesson, QuizQuestion, SeriesContent
from storage.base import AnswerStatus, Attempt, Storage


@dataclass(frozen=True)
class QuizStart:
    attempt: Attempt
    series: SeriesContent
    lesson: Lesson


async def start_quiz(
    storage: Storage, catalog: Catalog, user_id: int, lang: str, lesson_id: str, now: datetime
) -> QuizStart | None:
    """A fresh attempt at a lesson's quiz; None if the lesson no longer exists."""
    found = catalog.lesson(lang, lesson_id)
    if found is None:
        return None
    series, lesson = found
    await storage.mark_opened(user_id, lesson_id, now)
    attempt = await storage.start_attempt(user_id, lesson_id, len(lesson.quiz), now)
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
    chosen: int = 0
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


async def answer(
    storage: Storage,
    catalog: Catalog,
    user_id: int,
    lang: str,
    attempt_id: int,
    question_index: int,
    option: int,
    now: datetime,
) -> AnswerOutcome:
    """Judge and store one answer. Double presses and old buttons change nothing."""
    attempt = await storage.get_attempt(attempt_id)
    if attempt is None or attempt.user_id != user_id:
        return AnswerOutcome(Verdict.INVALID)
    found = catalog.lesson(lang, attempt.lesson_id)
    if found is None or len(found[1].quiz) != attempt.total:
        return AnswerOutcome(Verdict.CHANGED, attempt)
    series, lesson = found
    if not 0 <= question_index < len(lesson.quiz):
        return AnswerOutcome(Verdict.INVALID, attempt)
    question = lesson.quiz[question_index]
    if not 0 <= option < len(question.options):
        return AnswerOutcome(Verdict.INVALID, attempt)
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
        correct=is_correct,
        seconds=max(0.0, (now - attempt.question_shown_at).total_seconds()),
    )
    if result.status is AnswerStatus.STALE:
        return AnswerOutcome(Verdict.STALE, **common)  # type: ignore[arg-type]
    return AnswerOutcome(Verdict.JUDGED, **common)  # type: ignore[arg-type]
