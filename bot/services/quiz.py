"""Quizzes: starting an attempt (options shuffled and stored), judging an answer against
what the learner saw, and the quiz a learner is in the middle of."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.services.env import Env, Gone
from bot.services.feedback import should_ask
from bot.services.lessons import is_last_lesson, next_lesson
from bot.services.options import new_order, shown_order
from bot.services.review import record_quiz_answer
from bot.services.schedule import note_activity, prefs_of, reschedule
from content.model import Catalog, Lesson, QuizQuestion, SeriesContent
from domain.records import AnswerStatus, Attempt, User
from storage.store import Storage


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


async def start(env: Env, user: User, lang: str, lesson_id: str) -> QuizStart:
    """A fresh attempt at a lesson's quiz (its options shuffled and stored); the lesson counts
    as opened and the day as active. Gone: the lesson no longer exists."""
    found = env.catalog.lesson(lang, lesson_id)
    if found is None:
        raise Gone("lesson")
    series, lesson = found
    now = env.now()
    await env.storage.mark_opened(user.id, lesson_id, now)
    orders = tuple(new_order(len(question.options)) for question in lesson.quiz)
    attempt = await env.storage.start_attempt(
        user.id, lesson_id, len(lesson.quiz), now, orders, quiz_shape(lesson)
    )
    await note_activity(env.storage, user, lang, now)
    return QuizStart(attempt, series, lesson)


class Verdict(enum.Enum):
    JUDGED = "judged"  # recorded; see correct / finished
    STALE = "stale"  # already answered, or an old attempt
    CHANGED = "changed"  # the lesson or its quiz changed since the question was sent
    INVALID = "invalid"  # not this user's attempt, or nonsense indexes


@dataclass(frozen=True)
class AnswerOutcome:
    """A quiz answer, judged (or why not), with all a screen says after it."""

    verdict: Verdict
    # what was answered
    attempt: Attempt | None = None
    series: SeriesContent | None = None
    lesson: Lesson | None = None
    question: QuizQuestion | None = None
    question_index: int = 0
    # the answer
    chosen: int = 0  # the option's index in the content
    order: tuple[int, ...] = ()  # the options as the learner saw them
    correct: bool = False
    seconds: float | None = None  # response time: question shown -> answered
    # after the last question
    series_finished: bool = False  # this answer finished the series' last quiz
    next_lesson: Lesson | None = None  # the series' next lesson
    ask_feedback: bool = False  # next: "how useful was it?" (not asked yet for this attempt)

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


async def judge(
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

    Double presses and old buttons change nothing (see :func:`answer` for the whole use
    case)."""
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
    verdict = Verdict.STALE if result.status is AnswerStatus.STALE else Verdict.JUDGED
    seconds = max(0.0, (now - attempt.question_shown_at).total_seconds())
    return AnswerOutcome(
        verdict, result.attempt, series, lesson, question, question_index, option, order,
        is_correct, seconds,
    )  # fmt: skip


async def answer(
    env: Env, user: User, lang: str, attempt_id: int, question_index: int, position: int
) -> AnswerOutcome:
    """The whole answer: judged and stored, its review card moved on, the daily slot made
    sure of, and — after the last question — whether the series is finished, which lesson
    comes next and whether to ask how useful the lesson was."""
    now = env.now()
    outcome = await judge(
        env.storage, env.catalog, user.id, lang, attempt_id, question_index, position, now
    )
    if outcome.verdict is not Verdict.JUDGED:
        return outcome
    assert outcome.lesson is not None and outcome.series is not None
    await record_quiz_answer(
        env.storage,
        user.id,
        outcome.lesson,
        outcome.question_index,
        outcome.correct,
        outcome.seconds,
        prefs_of(user, lang),
        now,
    )
    await reschedule(env.storage, user, lang, now)
    if not outcome.finished:
        return outcome
    series, lesson = outcome.series, outcome.lesson
    completed = await env.storage.completed_lessons(user.id)
    finished = is_last_lesson(series, lesson.id) and all(x.id in completed for x in series.lessons)
    assert outcome.attempt is not None
    ask = should_ask(outcome.attempt, await env.storage.feedback(user.id, lesson.id))
    return replace(
        outcome,
        series_finished=finished,
        next_lesson=next_lesson(series, lesson.id),
        ask_feedback=ask,
    )


# Text typed within this long after a quiz question was shown is taken as an attempt to
# answer it; later, the quiz counts as left (its buttons still work).
QUIZ_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class QuizInProgress:
    """An unfinished quiz the learner can go on with: the question to answer next."""

    attempt: Attempt
    series: SeriesContent
    lesson: Lesson
    index: int  # the question to answer
    order: tuple[int, ...]  # its options as this attempt shows them

    def waiting(self, now: datetime) -> bool:
        """The question was shown recently enough that typed text is meant as an answer."""
        return now - self.attempt.question_shown_at <= QUIZ_WAIT


def quiz_in_progress(catalog: Catalog, lang: str, attempt: Attempt | None) -> QuizInProgress | None:
    """The learner's latest attempt if it can go on: unfinished, its lesson and quiz unchanged."""
    if attempt is None or attempt.finished or not 0 <= attempt.current < attempt.total:
        return None
    found = catalog.lesson(lang, attempt.lesson_id)
    if found is None or not attempt_fits(attempt, found[1]):
        return None
    series, lesson = found
    question = lesson.quiz[attempt.current]
    order = attempt_order(attempt, attempt.current, len(question.options))
    if order is None:
        return None
    return QuizInProgress(attempt, series, lesson, attempt.current, order)


async def waiting_quiz(env: Env, user: User, lang: str) -> QuizInProgress | None:
    """The quiz question the learner was just shown and has not answered (typed text is
    probably meant for it); None otherwise."""
    quiz = quiz_in_progress(env.catalog, lang, await env.storage.latest_attempt(user.id))
    return quiz if quiz is not None and quiz.waiting(env.now()) else None
