"""The learner's journey as plain functions: languages, navigation, deep links, progress.

Nothing here imports ``telegram``: these rules are tested on their own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from bot.i18n import pick_language
from content.model import Catalog, Lesson, SeriesContent
from storage.base import LessonStats, Storage, User

T = TypeVar("T")

SERIES_PER_PAGE = 6
LESSONS_PER_PAGE = 5


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


def paginate(items: Sequence[T], page: int, per_page: int) -> Page[T]:
    """One page of ``items``; an out-of-range page (an old button) gives the nearest one."""
    count = max(1, math.ceil(len(items) / per_page))
    number = min(max(page, 0), count - 1)
    start = number * per_page
    return Page(tuple(items[start : start + per_page]), number, count, start)


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


@dataclass(frozen=True)
class SeriesProgress:
    series: SeriesContent
    done: int
    total: int
    answers: int
    correct_answers: int

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
        rows.append(
            SeriesProgress(
                series=series,
                done=sum(1 for s in mine if s.completed),
                total=len(ids),
                answers=sum(s.answers for s in mine),
                correct_answers=sum(s.correct_answers for s in mine),
            )
        )
    return ProgressReport(tuple(rows))


def completion_counts(catalog: Catalog, lang: str, completed: set[str]) -> dict[str, int]:
    """Series id -> how many of its lessons are completed."""
    return {
        series.id: sum(1 for lesson in series.lessons if lesson.id in completed)
        for series in catalog.series_list(lang)
    }
