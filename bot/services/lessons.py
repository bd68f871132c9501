"""/lessons: series and their lessons, pages, what counts as done, the next lesson."""

from __future__ import annotations

import enum
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.services.bonus import offered
from bot.services.env import Env, Gone
from bot.services.schedule import note_activity
from content.model import Catalog, Lesson, SeriesContent, Source
from domain.records import Bonus, User

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


def completion_counts(catalog: Catalog, lang: str, completed: set[str]) -> dict[str, int]:
    """Series id -> how many of its lessons are completed (see :class:`LessonState`)."""
    return {
        series_id: counts.completed
        for series_id, counts in series_counts(catalog, lang, completed, completed).items()
    }


# Use cases -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SeriesList:
    series: tuple[SeriesContent, ...]
    completed: dict[str, int]  # series id -> lessons completed


async def series_list(env: Env, user: User, lang: str) -> SeriesList:
    """Every series in the learner's language, with how much of each is done."""
    completed = await env.storage.completed_lessons(user.id)
    return SeriesList(
        env.catalog.series_list(lang), completion_counts(env.catalog, lang, completed)
    )


@dataclass(frozen=True)
class SeriesView:
    series: SeriesContent
    completed: set[str]  # lesson ids
    subscription: str | None  # active, paused, finished; None: not subscribed
    bonus: Bonus | None = None  # the series' bonus for channel members, if any


async def series_view(env: Env, user: User, lang: str, series_id: str) -> SeriesView:
    """A series with the learner's completed lessons and subscription, and its bonus for
    channel members (Gone: no more)."""
    series = env.catalog.series(lang, series_id)
    if series is None:
        raise Gone("series")
    completed = await env.storage.completed_lessons(user.id)
    subs = await env.storage.subscriptions(user.id)
    status = next((s.status for s in subs if s.series_id == series.id), None)
    return SeriesView(series, completed, status, await offered(env, lang, series.id))


@dataclass(frozen=True)
class LessonView:
    series: SeriesContent
    lesson: Lesson
    source: Source | None
    completed: bool
    next_lesson: Lesson | None
    bonus: Bonus | None = None  # for channel members: the lesson's own, else its series'


async def open_lesson(env: Env, user: User, lang: str, lesson_id: str) -> LessonView:
    """Open a lesson: noted as opened (a day of activity; the daily slot starts), with the
    bonus it offers channel members, if any. Gone: the lesson no longer exists."""
    found = env.catalog.lesson(lang, lesson_id)
    if found is None:
        raise Gone("lesson")
    series, lesson = found
    now = env.now()
    await env.storage.mark_opened(user.id, lesson.id, now)
    await note_activity(env.storage, user, lang, now)
    completed = await env.storage.completed_lessons(user.id)
    source = env.catalog.sources.get(lesson.source)
    bonus = await offered(env, lang, series.id, lesson.id)
    return LessonView(
        series, lesson, source, lesson.id in completed, next_lesson(series, lesson.id), bonus
    )
