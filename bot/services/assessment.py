"""Self-assessment and team diagnostics as plain functions.

Every lesson teaches one obstacle, so the obstacles are the lessons, grouped as the series
are. A learner rates each 1 (does not hold us back) to 5 (holds us back strongly); the
result is a score per group, the strongest obstacles and a plan of lessons and series.
A team sees only aggregates, and only once at least ``MIN_TEAM`` members have answered.
"""

from __future__ import annotations

import secrets
import statistics
import string
from dataclasses import dataclass

from content.model import Catalog, Lesson, SeriesContent

RATINGS = range(1, 6)
MIN_TEAM = 3  # answers needed before a team sees anything
TOP = 3
_CODE_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class Obstacle:
    index: int
    series: SeriesContent
    lesson: Lesson


def obstacles(catalog: Catalog, language: str) -> list[Obstacle]:
    """Every obstacle in order: series by series, lesson by lesson."""
    items = []
    for series in catalog.series_list(language):
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


@dataclass(frozen=True)
class TeamAggregate:
    answered: int
    means: dict[str, float]  # lesson id -> mean rating
    spreads: dict[str, float]  # lesson id -> population standard deviation

    @property
    def visible(self) -> bool:
        return self.answered >= MIN_TEAM


def aggregate(member_ratings: list[dict[str, int]]) -> TeamAggregate:
    """Mean and spread per obstacle over the members' latest assessments."""
    values: dict[str, list[int]] = {}
    for ratings in member_ratings:
        for lesson_id, rating in ratings.items():
            values.setdefault(lesson_id, []).append(rating)
    return TeamAggregate(
        answered=len(member_ratings),
        means={k: statistics.fmean(v) for k, v in values.items()},
        spreads={k: statistics.pstdev(v) for k, v in values.items()},
    )


def team_code() -> str:
    """A 10-character join code for ?start=t_<code> (about 52 bits: not guessable)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def clean_team_name(text: str) -> str | None:
    name = " ".join(text.split())[:60]
    return name or None
