"""Self-assessment and team diagnostics as plain functions.

Every lesson teaches one obstacle, so the obstacles are the lessons, grouped as the series
are. A learner rates each 1 (does not hold us back) to 5 (holds us back strongly); the
result is a score per group, the strongest obstacles and a plan of lessons and series.
A team's manager sees only aggregates, under the privacy rule of ``team_view``.
"""

from __future__ import annotations

import secrets
import statistics
import string
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from content.model import Catalog, Lesson, SeriesContent

RATINGS = range(1, 6)
MIN_TEAM = 3  # others' ratings an obstacle needs before the viewer sees anything about it
MIN_SPREAD = 5  # others' ratings an obstacle needs before the viewer sees how they spread
AGREE_BELOW = 1.0  # a population spread below this reads "mostly agree", from it "differ"
AGREE_MEANS = (Decimal("1.7"), Decimal("4.3"))  # the shown means that may carry that word
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
    """What a team's viewer may see: figures per obstacle, each only where the rule allows."""

    answered: int  # members other than the viewer with a finished assessment
    means: dict[str, float]  # lesson id -> mean rating, only from MIN_TEAM others
    agree: dict[str, bool]  # lesson id -> the answers mostly agree, only from MIN_SPREAD others

    @property
    def visible(self) -> bool:
        """Anything to show at all: at least one obstacle has enough answers."""
        return bool(self.means)

    def too_few(self, items: list[Obstacle]) -> list[Obstacle]:
        """The obstacles shown as "not enough answers yet"."""
        return [o for o in items if o.lesson.id not in self.means]


def aggregate(others: list[dict[str, int]]) -> TeamAggregate:
    """The team's figures from the latest assessments of everyone **but the viewer**.

    The privacy rule ("aggregates only from at least 3 people other than the viewer"), made
    airtight against a viewer who knows their own answers and can do the arithmetic:

    * The viewer's own answers are left out (storage's ``team_latest_ratings(excluding=)``),
      so knowing them subtracts nothing, and the count below counts only other people.
    * Per obstacle, not per team: an obstacle gets a mean only when at least ``MIN_TEAM`` (3)
      others rated it. Below that it is "not enough answers yet": an obstacle that one member
      rated (a lesson added after the others answered) never shows that member's rating.
      Group means, the strongest obstacles and the chart use only these means.
    * The spread is never a number. With integer ratings 1–5 a mean and a population spread
      to one decimal pin down the multiset of ratings for small n (3 others: 4.0 ± 0.8 can
      only be 3, 4, 5), and a spread of 0.0 reveals that every one of them gave the same
      rating, which a mean of 3.0 alone never does (1+3+5, 2+3+4, ...). So the spread is
      shown only from ``MIN_SPREAD`` (5) others, and only as a word: "mostly agree" (below
      ``AGREE_BELOW`` = 1.0) or "differ". The "agree" word always also covers ratings that
      differ (r−1, r, …, r, r+1 has a spread of √(2/n) ≤ 0.64 < 1), so it never gives away
      a unanimous answer.
    * Near the ends of the scale even a word would single someone out: 5 others, mean 1.6
      and "differ" can only be 1, 1, 1, 1, 4 (the mean alone also allows 1, 1, 1, 2, 3 and
      1, 1, 2, 2, 2). So the word appears only for a shown mean from 1.7 to 4.3
      (``AGREE_MEANS``). That choice depends on the shown mean alone, so leaving the word
      out tells nothing either. Enumerated for 5 to 22 others: within that band the word
      never narrows the ratings to one combination where the mean alone leaves several.
    * What remains, and no summary can hide: a mean of 1.0 or 5.0 means that all of the at
      least 3 others gave that rating. That is the group's answer, not one person's, and it
      is what the rule allows. ``tests/unit/test_assessment.py`` enumerates every combination
      of ratings near the thresholds and checks that nothing shown determines a member's
      rating beyond that.
    """
    values: dict[str, list[int]] = {}
    for ratings in others:
        for lesson_id, rating in ratings.items():
            values.setdefault(lesson_id, []).append(rating)
    return TeamAggregate(
        answered=len(others),
        means={k: statistics.fmean(v) for k, v in values.items() if len(v) >= MIN_TEAM},
        agree={
            k: statistics.pstdev(v) < AGREE_BELOW
            for k, v in values.items()
            if len(v) >= MIN_SPREAD and _word_allowed(statistics.fmean(v))
        },
    )


def shown_mean(mean: float) -> Decimal:
    """A mean as the screens show it: one decimal, half to even (as Babel formats it)."""
    return Decimal(str(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


def _word_allowed(mean: float) -> bool:
    low, high = AGREE_MEANS
    return low <= shown_mean(mean) <= high


def team_code() -> str:
    """A 10-character join code for ?start=t_<code> (about 52 bits: not guessable)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def clean_team_name(text: str) -> str | None:
    name = " ".join(text.split())[:60]
    return name or None
