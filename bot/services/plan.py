"""/plan: a 90-day plan from the latest self-assessment and the learner's commitments.

Three phases of 30 days. Each takes on one of the strongest obstacles (the assessment's top
three, rated 3 or more), strongest first: its lesson to read and act on, and its series to
follow. The learner's own commitments land where they help most: open ones are finished in
the first month, what worked is kept as a routine from day one, what failed (or was put off)
is retried in the second month with its lesson re-read. Every phase has one measure; the
last one is the self-assessment taken again.

The plan is structure only (lesson and series ids, ratings, statuses): the screen and the
PDF word it (``bot/render/plan.py``).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from bot.services.assessment import Obstacle, obstacles, plan_series, strongest
from bot.services.env import Env
from bot.services.schedule import prefs_of
from domain.records import Assessment, Commitment, User

PHASE_DAYS = ((1, 30), (31, 60), (61, 90))


class StepKind(StrEnum):
    FOCUS = "focus"  # a strongest obstacle: read its lesson, take on its action
    SERIES = "series"  # follow the series that addresses it (subscribe)
    EXPLORE = "explore"  # nothing rated 3 or more: pick a series to go deeper
    FINISH = "finish"  # an open commitment: carry it out this month
    KEEP = "keep"  # a commitment that worked: a routine to keep
    REREAD = "reread"  # one that did not work: re-read its lesson, try it another way
    RETRY = "retry"  # one put off ("not yet"): give it a date
    REVIEW = "review"  # a weekly /review of what was learned
    REASSESS = "reassess"  # take /assess again and compare


@dataclass(frozen=True)
class Step:
    kind: StepKind
    lesson_id: str | None = None
    series_id: str | None = None
    rating: int | None = None  # a focus obstacle's rating, 1..5
    status: str | None = None  # the latest commitment's status on this lesson, if any
    note: str | None = None  # the learner's own "what happened", as written


class MeasureKind(StrEnum):
    RATING = "rating"  # re-rate one obstacle at the phase's end: current -> target
    ACTIONS = "actions"  # actions carried out in the phase: target
    ASSESSMENT = "assessment"  # the strongest obstacles' mean at the re-take: current -> target


@dataclass(frozen=True)
class Measure:
    kind: MeasureKind
    lesson_id: str | None
    current: float
    target: float


@dataclass(frozen=True)
class Phase:
    first_day: int
    last_day: int
    steps: tuple[Step, ...]
    measure: Measure


@dataclass(frozen=True)
class NinetyDayPlan:
    assessed_at: datetime
    strongest: list[Obstacle]  # up to three, strongest first
    ratings: dict[str, int]  # every obstacle's rating (lesson id -> 1..5)
    phases: tuple[Phase, Phase, Phase]
    commitments: list[Commitment]  # on lessons that exist, newest first


@dataclass(frozen=True)
class PlanOutcome:
    plan: NinetyDayPlan | None  # None: no finished self-assessment yet (/assess first)
    made_at: datetime
    tz: tzinfo


ACTION_STEPS = (StepKind.FOCUS, StepKind.FINISH, StepKind.REREAD, StepKind.RETRY)
COMMITMENT_PHASE = {"open": 0, "later": 0, "done": 0, "failed": 1, "not_yet": 1}
COMMITMENT_STEP = {
    "open": StepKind.FINISH,
    "later": StepKind.FINISH,
    "done": StepKind.KEEP,
    "failed": StepKind.REREAD,
    "not_yet": StepKind.RETRY,
}


def build_plan(
    items: Sequence[Obstacle], assessment: Assessment, commitments: Sequence[Commitment]
) -> NinetyDayPlan:
    """The plan from an assessment's ratings and the commitments (newest first)."""
    items = list(items)
    ratings = assessment.ratings
    top = strongest(items, ratings)  # type: ignore[arg-type]
    known = {o.lesson.id for o in items}
    kept = [c for c in commitments if c.lesson_id in known and c.status in COMMITMENT_STEP]
    latest: dict[str, Commitment] = {}
    for c in kept:  # newest first: the first one seen per lesson is where it stands now
        latest.setdefault(c.lesson_id, c)
    focus_phase = {o.lesson.id: n for n, o in enumerate(top)}
    steps: list[list[Step]] = [[], [], []]
    planned_series: set[str] = set()
    for n, obstacle in enumerate(top):
        status = latest[obstacle.lesson.id].status if obstacle.lesson.id in latest else None
        steps[n].append(
            Step(StepKind.FOCUS, obstacle.lesson.id, obstacle.series.id,
                 ratings[obstacle.lesson.id], status)
        )  # fmt: skip
        for series in plan_series([obstacle]):
            if series.id not in planned_series:
                planned_series.add(series.id)
                steps[n].append(Step(StepKind.SERIES, series_id=series.id))
    if not top:
        steps[0].append(Step(StepKind.EXPLORE))
    for lesson_id, c in latest.items():
        phase = COMMITMENT_PHASE[c.status]
        if focus_phase.get(lesson_id) == phase:  # that month's focus step says it already
            continue
        steps[phase].append(
            Step(COMMITMENT_STEP[c.status], lesson_id, status=c.status, note=c.note)
        )
    steps[1].append(Step(StepKind.REVIEW))
    steps[2].append(Step(StepKind.REASSESS))
    phases = tuple(
        Phase(first, last, tuple(phase_steps), _measure(n, top, ratings, phase_steps))
        for n, ((first, last), phase_steps) in enumerate(zip(PHASE_DAYS, steps, strict=True))
    )
    return NinetyDayPlan(
        assessment.finished_at or assessment.started_at,
        top,
        dict(ratings),
        phases,  # type: ignore[arg-type]
        kept,
    )


def lower(value: float) -> float:
    """A target one point lower on the 1-5 scale (never below 1)."""
    return max(1.0, value - 1)


def _measure(
    n: int, top: list[Obstacle], ratings: dict[str, int], phase_steps: list[Step]
) -> Measure:
    """Phases 1 and 2: their focus obstacle re-rated (or the actions done, without one);
    phase 3: the self-assessment taken again, the strongest obstacles' mean a point lower."""
    if n == 2:
        rated = [ratings[o.lesson.id] for o in top] or list(ratings.values()) or [1]
        mean = statistics.fmean(rated)
        return Measure(MeasureKind.ASSESSMENT, None, mean, lower(mean))
    if n < len(top):
        rating = ratings[top[n].lesson.id]
        return Measure(MeasureKind.RATING, top[n].lesson.id, rating, lower(rating))
    actions = sum(step.kind in ACTION_STEPS for step in phase_steps)
    return Measure(MeasureKind.ACTIONS, None, 0, max(1, actions))


async def plan(env: Env, user: User, lang: str) -> PlanOutcome:
    """/plan and its PDF: the plan from the latest finished self-assessment, or None."""
    tz = prefs_of(user, lang).tz
    latest = await env.storage.finished_assessments(user.id, 1)
    if not latest:
        return PlanOutcome(None, env.now(), tz)
    commitments = await env.storage.commitments(user.id)
    made = build_plan(obstacles(env.catalog, lang), latest[0], commitments)
    return PlanOutcome(made, env.now(), tz)
