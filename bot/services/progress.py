"""/progress: per series, lessons completed and quiz accuracy; streaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.services.env import Env
from bot.services.lessons import LessonCounts, lesson_counts
from bot.services.schedule import best_streak, local_day, prefs_of, streak
from content.model import Catalog, SeriesContent
from domain.records import LessonStats, User
from storage.store import Storage


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


@dataclass(frozen=True)
class Streaks:
    current: int
    best: int


async def streaks(storage: Storage, user: User, language: str, now: datetime) -> Streaks:
    days = await storage.activity_days(user.id)
    today = local_day(now, prefs_of(user, language))
    return Streaks(streak(days, today), best_streak(days))


@dataclass(frozen=True)
class Progress:
    report: ProgressReport
    streaks: Streaks
    reviews_due: int


async def progress(env: Env, user: User, lang: str) -> Progress:
    """/progress: per series, lessons completed and quiz accuracy; streaks; reviews due."""
    now = env.now()
    stats = await env.storage.lesson_stats(user.id)
    return Progress(
        progress_report(env.catalog, lang, stats),
        await streaks(env.storage, user, lang, now),
        await env.storage.count_due_cards(user.id, now),
    )
