"""The learner's journey as plain functions: languages, navigation, deep links, progress.

Nothing here imports ``telegram``: these rules are tested on their own.
"""

from __future__ import annotations

import difflib
import enum
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from bot.i18n import pick_language
from content.model import Catalog, Lesson, SeriesContent
from domain.records import Attempt, LessonStats, User
from storage.store import Storage

T = TypeVar("T")

SERIES_PER_PAGE = 6
# At most this many lessons on a page of a series: every shipped series (3 to 7 lessons)
# fits one page, and a longer one is split evenly (9 -> 5 + 4, never 8 + 1).
LESSONS_PER_PAGE = 8


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    number: int  # 0-based, clamped into range
    count: int  # how many pages there are (at least 1)
    offset: int  # index of the first item on this page

    @property
    def has_prev(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number + 1 < self.count


def page_size(total: int, per_page: int) -> int:
    """Items per page when ``total`` items are spread evenly over as few pages as allow at
    most ``per_page`` each (so a page never holds a lone leftover)."""
    count = max(1, math.ceil(total / per_page))
    return max(1, math.ceil(total / count))


def paginate(items: Sequence[T], page: int, per_page: int) -> Page[T]:
    """One page of ``items`` (evenly split, at most ``per_page`` each); an out-of-range page
    (an old button) gives the nearest one."""
    size = page_size(len(items), per_page)
    count = max(1, math.ceil(len(items) / size))
    number = min(max(page, 0), count - 1)
    start = number * size
    return Page(tuple(items[start : start + size]), number, count, start)


def page_of(total: int, index: int, per_page: int) -> int:
    """The page (0-based) that item ``index`` of ``total`` is on, as :func:`paginate` splits."""
    return index // page_size(total, per_page)


async def touch_learner(
    storage: Storage,
    user_id: int,
    first_name: str,
    tg_language: str | None,
    now: datetime,
) -> tuple[User, bool]:
    """Record that the learner is here now (and not blocking us); returns (user, is_new)."""
    return await storage.touch_user(user_id, first_name or "", tg_language, now)


def language_of(user: User | None, tg_language: str | None, default: str) -> str:
    """The learner's chosen language, else their Telegram language, else the default."""
    if user and user.language:
        return user.language
    return pick_language(tg_language or (user.tg_language if user else None), default)


# Deep links: t.me/<bot>?start=s_<series>, l_<lesson>, sub_<series> (subscribe at once) or
# t_<code> (join a team).
_DEEP_LINK = re.compile(r"^(s|l|sub|t)_([a-z0-9][a-z0-9-]{1,23})$")
_LINK_KINDS = {"s": "series", "l": "lesson", "sub": "subscribe", "t": "team"}


@dataclass(frozen=True)
class DeepLink:
    kind: str  # "series", "lesson", "subscribe" or "team" (join)
    target_id: str


def parse_deep_link(payload: str | None) -> DeepLink | None:
    if not payload:
        return None
    match = _DEEP_LINK.match(payload.strip())
    if not match:
        return None
    return DeepLink(_LINK_KINDS[match.group(1)], match.group(2))


def deep_link_payload(kind: str, target_id: str) -> str:
    prefix = {kind: prefix for prefix, kind in _LINK_KINDS.items()}[kind]
    return f"{prefix}_{target_id}"


_LINK_PREFIX = re.compile(r"^(s|l|sub|t)_")


def broken_link_kind(payload: str | None) -> str | None:
    """What a deep link that :func:`parse_deep_link` refused was meant to open ("lesson",
    "series", "subscribe", "team"), so the learner can be told it was not found; None for
    payloads that are not links of ours (e.g. ``group``)."""
    if not payload or parse_deep_link(payload) is not None:
        return None
    match = _LINK_PREFIX.match(payload.strip())
    return _LINK_KINDS[match.group(1)] if match else None


def next_lesson(series: SeriesContent, lesson_id: str) -> Lesson | None:
    """The lesson after ``lesson_id`` in its series, or None after the last one."""
    ids = [lesson.id for lesson in series.lessons]
    if lesson_id not in ids:
        return None
    index = ids.index(lesson_id) + 1
    return series.lessons[index] if index < len(ids) else None


def first_unfinished(series: SeriesContent, completed: set[str]) -> Lesson | None:
    return next((lesson for lesson in series.lessons if lesson.id not in completed), None)


def is_last_lesson(series: SeriesContent, lesson_id: str) -> bool:
    return bool(series.lessons) and series.lessons[-1].id == lesson_id


# A lesson's states, the one definition every screen counts by -------------------------
class LessonState(enum.Enum):
    """Where a learner is with one lesson.

    OPENED: they saw it (opened it, or it was delivered to them) but have not finished its
    quiz. COMPLETED: its quiz was finished at least once; this, and only this, is "done".
    A completed lesson was opened too, so "opened" counts include the completed ones.
    """

    NEW = "new"
    OPENED = "opened"
    COMPLETED = "completed"


def lesson_state(
    lesson_id: str, opened: Collection[str], completed: Collection[str]
) -> LessonState:
    if lesson_id in completed:
        return LessonState.COMPLETED
    if lesson_id in opened:
        return LessonState.OPENED
    return LessonState.NEW


@dataclass(frozen=True)
class LessonCounts:
    """How many of a set of lessons are opened (completed included) and completed."""

    opened: int
    completed: int
    total: int

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.completed >= self.total


def lesson_counts(
    lessons: Sequence[Lesson], opened: Collection[str], completed: Collection[str]
) -> LessonCounts:
    states = [lesson_state(lesson.id, opened, completed) for lesson in lessons]
    return LessonCounts(
        opened=sum(1 for s in states if s is not LessonState.NEW),
        completed=sum(1 for s in states if s is LessonState.COMPLETED),
        total=len(lessons),
    )


def series_counts(
    catalog: Catalog, lang: str, opened: Collection[str], completed: Collection[str]
) -> dict[str, LessonCounts]:
    """Series id -> its lessons opened and completed (only lessons that exist now)."""
    return {
        series.id: lesson_counts(series.lessons, opened, completed)
        for series in catalog.series_list(lang)
    }


@dataclass(frozen=True)
class SeriesProgress:
    series: SeriesContent
    done: int  # lessons completed (quiz finished)
    total: int
    answers: int
    correct_answers: int
    opened: int = 0  # lessons opened, the completed ones included

    @property
    def counts(self) -> LessonCounts:
        return LessonCounts(max(self.opened, self.done), self.done, self.total)

    @property
    def accuracy(self) -> int | None:
        """Percentage of quiz answers that were right (None before any answer)."""
        if not self.answers:
            return None
        return round(100 * self.correct_answers / self.answers)

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done >= self.total


@dataclass(frozen=True)
class ProgressReport:
    series: tuple[SeriesProgress, ...]

    @property
    def done(self) -> int:
        return sum(s.done for s in self.series)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.series)

    @property
    def opened(self) -> int:
        return sum(max(s.opened, s.done) for s in self.series)

    @property
    def counts(self) -> LessonCounts:
        return LessonCounts(self.opened, self.done, self.total)

    @property
    def answers(self) -> int:
        return sum(s.answers for s in self.series)

    @property
    def accuracy(self) -> int | None:
        answers = self.answers
        if not answers:
            return None
        return round(100 * sum(s.correct_answers for s in self.series) / answers)


def progress_report(catalog: Catalog, lang: str, stats: dict[str, LessonStats]) -> ProgressReport:
    """Per series: lessons completed and quiz accuracy, counting only lessons that exist now."""
    rows = []
    for series in catalog.series_list(lang):
        ids = [lesson.id for lesson in series.lessons]
        mine = [stats[i] for i in ids if i in stats]
        counts = lesson_counts(
            series.lessons,
            {s.lesson_id for s in mine if s.opened or s.completed},
            {s.lesson_id for s in mine if s.completed},
        )
        rows.append(
            SeriesProgress(
                series=series,
                done=counts.completed,
                total=counts.total,
                answers=sum(s.answers for s in mine),
                correct_answers=sum(s.correct_answers for s in mine),
                opened=counts.opened,
            )
        )
    return ProgressReport(tuple(rows))


def completion_counts(catalog: Catalog, lang: str, completed: set[str]) -> dict[str, int]:
    """Series id -> how many of its lessons are completed (see :class:`LessonState`)."""
    return {
        series_id: counts.completed
        for series_id, counts in series_counts(catalog, lang, completed, completed).items()
    }


# What next: a returning learner's way back in ------------------------------------------
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
    from bot.services.quiz import attempt_fits, attempt_order  # no cycle, kept near its use

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


@dataclass(frozen=True)
class NextLesson:
    series: SeriesContent
    lesson: Lesson
    started: bool  # the learner has read or completed lessons before: "continue", not "start"

    @property
    def number(self) -> int:
        return [x.id for x in self.series.lessons].index(self.lesson.id) + 1


def next_to_read(
    catalog: Catalog,
    lang: str,
    opened: Collection[str],
    completed: Collection[str],
    last_quiz_lesson: str | None = None,
) -> NextLesson | None:
    """The lesson to go on with; None when every lesson is completed.

    Where the learner left off is the lesson of their latest quiz (the one trace with a
    time order). From there: the next lesson of that series not completed yet (the one
    read without its quiz counts as not completed: its quiz is still to take), then any
    earlier one of the series skipped, then the next series with lessons left (in catalog
    order, wrapping). Without a quiz yet: the first series with an opened lesson not
    completed, else the first series with lessons left; in it, the first lesson not
    completed.
    """
    all_series = list(catalog.series_list(lang))
    started = bool(opened) or bool(completed)
    start = 0
    if last_quiz_lesson is not None:
        found = catalog.lesson(lang, last_quiz_lesson)
        if found is not None:
            series, lesson = found
            ids = [x.id for x in series.lessons]
            after = series.lessons[ids.index(lesson.id) + 1 :]
            pick = next((x for x in after if x.id not in completed), None)
            pick = pick or first_unfinished(series, set(completed))
            if pick is not None:
                return NextLesson(series, pick, True)
            start = next((i for i, s in enumerate(all_series) if s.id == series.id), -1) + 1
    else:
        for series in all_series:
            if any(x.id in opened for x in series.lessons):
                pick = first_unfinished(series, set(completed))
                if pick is not None:
                    return NextLesson(series, pick, started)
    for series in all_series[start:] + all_series[:start]:
        pick = first_unfinished(series, set(completed))
        if pick is not None:
            return NextLesson(series, pick, started)
    return None


@dataclass(frozen=True)
class WhatNext:
    """A returning learner's home: what to go on with and what is due."""

    quiz: QuizInProgress | None  # an unfinished quiz (goes before the next lesson)
    lesson: NextLesson | None  # None: every lesson is completed
    reviews_due: int
    next_delivery: datetime | None  # the next lesson by subscription, in the learner's zone

    @property
    def all_done(self) -> bool:
        return self.lesson is None


async def what_next(
    storage: Storage, catalog: Catalog, user: User, lang: str, now: datetime
) -> WhatNext:
    """What a returning learner goes on with: the unfinished quiz, else :func:`next_to_read`;
    plus review cards due and the next delivery of an active subscription."""
    from bot.services.training import prefs_of  # training builds on this module

    facts = await storage.training_facts(user.id, now)
    latest = await storage.latest_attempt(user.id)
    quiz = quiz_in_progress(catalog, lang, latest)
    last_quiz = latest.lesson_id if latest is not None else None
    lesson = next_to_read(catalog, lang, facts.opened, facts.completed, last_quiz)
    active = any(s.status == "active" for s in facts.subscriptions)
    delivery = None
    if active and user.next_slot_at is not None:
        delivery = user.next_slot_at.astimezone(prefs_of(user, lang).tz)
    return WhatNext(quiz, lesson, facts.reviews_due, delivery)


async def waiting_quiz(
    storage: Storage, catalog: Catalog, user_id: int, lang: str, now: datetime
) -> QuizInProgress | None:
    """The quiz question the learner was just shown and has not answered (typed text is
    probably meant for it); None otherwise."""
    quiz = quiz_in_progress(catalog, lang, await storage.latest_attempt(user_id))
    return quiz if quiz is not None and quiz.waiting(now) else None


async def resumable_quiz(
    storage: Storage, catalog: Catalog, user_id: int, lang: str, attempt_id: int
) -> QuizInProgress | None:
    """Attempt ``attempt_id`` if it is the learner's own quiz in progress (to show its
    question again); None if it is over, someone else's, or its lesson changed."""
    quiz = quiz_in_progress(catalog, lang, await storage.latest_attempt(user_id))
    return quiz if quiz is not None and quiz.attempt.id == attempt_id else None


# Commands: "did you mean" ----------------------------------------------------------------
# A command typed with the keyboard in the Russian or Ukrainian layout: /ыуеештпы is
# /settings. Keys as on the standard ЙЦУКЕН layouts (Ukrainian і, ї, є on s, ], ').
_LAYOUT = str.maketrans(
    "йцукенгшщзхъфывапролджэячсмитьбюёіїєґ",
    "qwertyuiop[]asdfghjkl;'zxcvbnm,.`s]'`",
)
# Cyrillic words learners try as commands (Telegram commands are Latin only).
_ALIASES = {
    "старт": "start",
    "начать": "start",
    "почати": "start",
    "меню": "menu",
    "помощь": "help",
    "помощ": "help",
    "допомога": "help",
    "справка": "help",
    "уроки": "lessons",
    "урок": "lessons",
    "прогресс": "progress",
    "прогрес": "progress",
    "повторение": "review",
    "повторення": "review",
    "подписки": "subscriptions",
    "підписки": "subscriptions",
    "настройки": "settings",
    "налаштування": "settings",
    "язык": "language",
    "мова": "language",
    "команда": "team",
    "самооценка": "assess",
    "самооцінювання": "assess",
}


def command_word(text: str) -> str | None:
    """The command a message starts with ("/Lesson@bot x" -> "lesson"); None if it is not
    command-like."""
    text = text.strip()
    if not text.startswith("/") or len(text) < 2:
        return None
    word = text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower()
    return word or None


def addressed_elsewhere(text: str, bot_username: str | None) -> bool:
    """True for a command addressed to another bot ("/start@other_bot"): not ours to answer,
    in a private chat or a group (Telegram's convention: bots ignore those)."""
    text = text.strip()
    if not text.startswith("/"):
        return False
    head = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    _, at, name = head.partition("@")
    return bool(at) and name.lower() != (bot_username or "").lower()


def suggest_command(word: str, known: Sequence[str], hidden: Collection[str] = ()) -> str | None:
    """The command the learner most likely meant by ``word`` (a typo, the wrong keyboard
    layout, a Cyrillic name), from ``known``; None when nothing is close. Words in
    ``hidden`` (commands this learner may not use) get no suggestion."""
    if word in hidden:
        return None
    if word in _ALIASES and _ALIASES[word] in known:
        return _ALIASES[word]
    candidates = [word]
    swapped = word.translate(_LAYOUT)
    if swapped != word:
        candidates.append(swapped)
    for candidate in candidates:
        if candidate in known and candidate != word:
            return candidate
        prefixed = [name for name in known if len(candidate) >= 3 and name.startswith(candidate)]
        if len(prefixed) == 1:  # /lang, /subs
            return prefixed[0]
        close = difflib.get_close_matches(candidate, known, n=1, cutoff=0.75)
        if close:
            return close[0]
    cyrillic = difflib.get_close_matches(word, list(_ALIASES), n=1, cutoff=0.8)
    if cyrillic and _ALIASES[cyrillic[0]] in known:
        return _ALIASES[cyrillic[0]]
    return None
