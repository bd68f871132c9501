"""Self-assessment and team diagnostics as plain functions.

Every lesson teaches one obstacle, so the obstacles are the lessons, grouped as the series
are. A learner rates each 1 (does not hold us back) to 5 (holds us back strongly); the
result is a score per group, the strongest obstacles and a plan of lessons and series.
A team's manager sees only aggregates, under the privacy rule of ``team_view``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from bot.services.env import Env
from bot.services.schedule import prefs_of, reschedule
from content.model import Catalog, Lesson, SeriesContent
from domain.records import Assessment, User

RATINGS = range(1, 6)


TOP = 3


@dataclass(frozen=True)
class Obstacle:
    index: int
    series: SeriesContent
    lesson: Lesson


def obstacles(catalog: Catalog, language: str) -> list[Obstacle]:
    """Every obstacle in order: series by series, lesson by lesson. A practice series
    (the closing one) teaches no obstacle of its own, so its lessons are not rated."""
    items = []
    for series in catalog.series_list(language):
        if series.series.practice:
            continue
        for lesson in series.lessons:
            items.append(Obstacle(len(items), series, lesson))
    return items


def next_unrated(items: list[Obstacle], ratings: dict[str, int]) -> int | None:
    return next((o.index for o in items if o.lesson.id not in ratings), None)


@dataclass(frozen=True)
class GroupScore:
    series: SeriesContent
    mean: float  # 1..5 (0 when nothing in the group was rated)


def group_scores(items: list[Obstacle], ratings: dict[str, float]) -> list[GroupScore]:
    groups: dict[str, list[float]] = {}
    order: dict[str, SeriesContent] = {}
    for o in items:
        order.setdefault(o.series.id, o.series)
        if o.lesson.id in ratings:
            groups.setdefault(o.series.id, []).append(ratings[o.lesson.id])
    return [
        GroupScore(series, statistics.fmean(groups[sid]) if groups.get(sid) else 0.0)
        for sid, series in order.items()
    ]


def strongest(items: list[Obstacle], ratings: dict[str, float], top: int = TOP) -> list[Obstacle]:
    """The obstacles rated highest (at least 3 of 5); ties keep the content's order."""
    rated = [o for o in items if ratings.get(o.lesson.id, 0) >= 3]
    rated.sort(key=lambda o: (-ratings[o.lesson.id], o.index))
    return rated[:top]


def plan_series(obstacles_: list[Obstacle]) -> list[SeriesContent]:
    """The series that address the given obstacles, without repeats, strongest first."""
    seen: dict[str, SeriesContent] = {}
    for o in obstacles_:
        seen.setdefault(o.series.id, o.series)
    return list(seen.values())


# Use cases -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Intro:
    unfinished: Assessment | None  # an assessment in progress (Continue / Start over)
    total: int  # obstacles to rate


@dataclass(frozen=True)
class Result:
    """The latest finished assessment against the one before (if any), and the plan."""

    groups: list[GroupScore]
    previous: list[GroupScore] | None
    strongest: list[Obstacle]
    ratings: dict[str, int]
    subscribed: set[str]  # series ids the learner follows (the plan offers the others)
    previous_at: datetime | None
    tz: tzinfo


@dataclass(frozen=True)
class AssessStep:
    """Where a press on the assessment leaves the learner."""

    assessment: Assessment | None  # None: the button is out of date (finished, discarded)
    total: int = 0
    obstacle: Obstacle | None = None  # the obstacle to rate (or re-rate) now
    result: Result | None = None  # everything rated just now: finished, and the result
    intro: Intro | None = None  # with an out-of-date button: where things are instead

    @property
    def stale(self) -> bool:
        return self.assessment is None


async def intro(env: Env, user: User, lang: str) -> Intro:
    """/assess: the intro, offering to continue an unfinished assessment."""
    unfinished = await env.storage.current_assessment(user.id)
    return Intro(unfinished, len(obstacles(env.catalog, lang)))


async def begin(env: Env, user: User, lang: str) -> AssessStep:
    """Start, or continue the unfinished assessment where it stopped: never discards."""
    assessment = await env.storage.start_assessment(user.id, env.now())
    return await _go_on(env, user, lang, assessment, obstacles(env.catalog, lang))


async def restart(
    env: Env, user: User, lang: str, assessment_id: int, confirmed: bool
) -> AssessStep:
    """Start over: asked first (``confirmed`` False changes nothing), then the unfinished
    assessment is discarded and a new one begins."""
    assessment = await _own_open(env, user, assessment_id)
    if assessment is None:
        return AssessStep(None, intro=await intro(env, user, lang))
    items = obstacles(env.catalog, lang)
    if not confirmed:
        return AssessStep(assessment, len(items))
    fresh = await env.storage.restart_assessment(assessment.id, user.id, env.now())
    return await _go_on(env, user, lang, fresh, items)


async def rate(
    env: Env, user: User, lang: str, assessment_id: int, index: int, rating: int
) -> AssessStep:
    """Store the rating of obstacle ``index``; then the next unrated one (the following one
    first), or — when all are rated — the assessment finished and its result."""
    items = obstacles(env.catalog, lang)
    assessment = await _own_open(env, user, assessment_id)
    if assessment is None or not 0 <= index < len(items) or rating not in RATINGS:
        return AssessStep(None)
    lesson_id = items[index].lesson.id
    await env.storage.rate_obstacle(assessment.id, user.id, lesson_id, rating, env.now())
    ratings = {**assessment.ratings, lesson_id: rating}
    updated = replace(assessment, ratings=ratings)
    following = index + 1
    if following < len(items) and items[following].lesson.id not in ratings:
        return AssessStep(updated, len(items), items[following])
    return await _go_on(env, user, lang, updated, items)


async def back(env: Env, user: User, lang: str, assessment_id: int, index: int) -> AssessStep:
    """An earlier obstacle again, its rating marked."""
    items = obstacles(env.catalog, lang)
    assessment = await _own_open(env, user, assessment_id)
    if assessment is None or not 0 <= index < len(items):
        return AssessStep(None)
    return AssessStep(assessment, len(items), items[index])


async def later(env: Env, user: User, lang: str, assessment_id: int) -> AssessStep:
    """Stop for now: what is saved (the assessment stays open)."""
    assessment = await _own_open(env, user, assessment_id)
    if assessment is None:  # finished or discarded meanwhile: the intro tells where things are
        return AssessStep(None, intro=await intro(env, user, lang))
    return AssessStep(assessment, len(obstacles(env.catalog, lang)))


async def _own_open(env: Env, user: User, assessment_id: int) -> Assessment | None:
    assessment = await env.storage.get_assessment(assessment_id)
    if assessment is None or assessment.user_id != user.id or assessment.finished_at:
        return None
    return assessment if assessment.scope is None else None  # a series re-rating: see lift


async def _go_on(
    env: Env, user: User, lang: str, assessment: Assessment, items: list[Obstacle]
) -> AssessStep:
    """The first unrated obstacle; none left (all rated, or the content shrank): finished."""
    index = next_unrated(items, assessment.ratings)
    if index is not None:
        return AssessStep(assessment, len(items), items[index])
    await env.storage.finish_assessment(assessment.id, user.id, env.now())
    await reschedule(env.storage, user, lang, env.now())  # its re-take comes in the slot
    return AssessStep(assessment, len(items), result=await result(env, user, lang))


async def result(env: Env, user: User, lang: str) -> Result:
    """The latest finished assessment, compared with the one before."""
    items = obstacles(env.catalog, lang)
    latest, *earlier = await env.storage.finished_assessments(user.id, 2)
    previous = group_scores(items, earlier[0].ratings) if earlier else None  # type: ignore[arg-type]
    subscribed = {s.series_id for s in await env.storage.subscriptions(user.id)}
    return Result(
        group_scores(items, latest.ratings),  # type: ignore[arg-type]
        previous,
        strongest(items, latest.ratings),  # type: ignore[arg-type]
        latest.ratings,
        subscribed,
        earlier[0].finished_at if earlier else None,
        prefs_of(user, lang).tz,
    )
