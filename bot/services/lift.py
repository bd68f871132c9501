"""The confidence lift: a learner who finishes a series re-rates its obstacles on the /assess
scale (1 = does not hold us back, 5 = holds us back strongly) and sees the change against
their earlier rating of each (from /assess, or an earlier re-rating)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from bot.services.assessment import RATINGS
from bot.services.env import Env, Gone
from content.model import Lesson, SeriesContent
from domain.records import Assessment, User


@dataclass(frozen=True)
class Change:
    lesson: Lesson
    before: int | None  # None: never rated before
    now: int


@dataclass(frozen=True)
class Lift:
    changes: tuple[Change, ...]

    @property
    def compared(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.before is not None)

    @property
    def mean_before(self) -> float | None:
        compared = self.compared
        return statistics.fmean(c.before for c in compared) if compared else None  # type: ignore[misc]

    @property
    def mean_now(self) -> float | None:
        compared = self.compared
        return statistics.fmean(c.now for c in compared) if compared else None


@dataclass(frozen=True)
class LiftStep:
    series: SeriesContent
    assessment: Assessment | None  # None: an old button (finished already): nothing stored
    index: int = 0  # the obstacle to rate now (a lesson of the series)
    lift: Lift | None = None  # all rated: the change

    @property
    def lesson(self) -> Lesson:
        return self.series.lessons[self.index]


def _series(env: Env, lang: str, series_id: str) -> SeriesContent:
    series = env.catalog.series(lang, series_id)
    if series is None or series.series.practice:
        raise Gone("series")
    return series


async def start(env: Env, user: User, lang: str, series_id: str) -> LiftStep:
    """Begin (or go on with) re-rating a series' obstacles."""
    series = _series(env, lang, series_id)
    assessment = await env.storage.start_rerating(user.id, series.id, env.now())
    return await _go_on(env, user, series, assessment)


async def rate(
    env: Env, user: User, lang: str, assessment_id: int, index: int, rating: int
) -> LiftStep:
    """Store obstacle ``index``'s rating; then the next, or the lift once all are rated."""
    assessment = await env.storage.get_assessment(assessment_id)
    if assessment is None or assessment.user_id != user.id or assessment.scope is None:
        raise Gone("series")
    series = _series(env, lang, assessment.scope)
    if assessment.finished_at is not None or not 0 <= index < len(series.lessons):
        return LiftStep(series, None)
    if rating not in RATINGS:
        return LiftStep(series, None)
    lesson_id = series.lessons[index].id
    await env.storage.rate_obstacle(assessment.id, user.id, lesson_id, rating, env.now())
    ratings = {**assessment.ratings, lesson_id: rating}
    return await _go_on(
        env, user, series, Assessment(**{**assessment.__dict__, "ratings": ratings})
    )


async def _go_on(env: Env, user: User, series: SeriesContent, assessment: Assessment) -> LiftStep:
    unrated = [i for i, x in enumerate(series.lessons) if x.id not in assessment.ratings]
    if unrated:
        return LiftStep(series, assessment, unrated[0])
    await env.storage.finish_assessment(assessment.id, user.id, env.now())
    before = await env.storage.earlier_ratings(user.id, assessment.id)
    changes = tuple(Change(x, before.get(x.id), assessment.ratings[x.id]) for x in series.lessons)
    return LiftStep(series, assessment, lift=Lift(changes))
