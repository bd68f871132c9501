"""Subscriptions: subscribe, pause, resume, unsubscribe (the slot kept right), the overview,
and a finished series' recap."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from bot.services.env import Env, Gone
from bot.services.lessons import LessonCounts, lesson_counts
from bot.services.schedule import (
    Prefs,
    learner_state,
    next_unread,
    prefs_of,
    reschedule,
    suggest_series,
)
from content.model import Lesson, SeriesContent
from domain.records import MemberAssignment, SubscriptionRow, User

ACTIONS = {"subscribe": "active", "resume": "active", "pause": "paused", "unsubscribe": None}


class SubResult(enum.Enum):
    DONE = "done"
    UNCHANGED = "unchanged"  # e.g. pausing a paused series


@dataclass(frozen=True)
class Overview:
    """/subscriptions: the learner's subscriptions, per series its lessons opened and
    completed, and when the next lesson comes."""

    subs: list[SubscriptionRow]
    counts: dict[str, LessonCounts]
    next_slot: datetime | None
    prefs: Prefs
    assigned: dict[str, MemberAssignment] = field(default_factory=dict)  # by series id


@dataclass(frozen=True)
class SubscriptionChange:
    result: SubResult
    series: SeriesContent | None = None
    next_lesson: Lesson | None = None  # the lesson the subscription delivers next
    user: User | None = None  # the learner after the change (their slot moved)
    prefs: Prefs | None = None
    overview: Overview | None = None  # after a pause, resume or unsubscribe: the list again


async def change(
    env: Env, user: User, lang: str, series_id: str, action: str
) -> SubscriptionChange:
    """Subscribe, pause, resume or unsubscribe (``action``); then make sure the slot is
    right. After anything but subscribing, the overview comes with it (the list is shown
    again, changed). Gone: no such series (to subscribe to), or no such subscription."""
    storage, now = env.storage, env.now()
    series = env.catalog.series(lang, series_id)
    if series is None:
        raise Gone("series" if action == "subscribe" else "subscription")
    current = {s.series_id: s for s in await storage.subscriptions(user.id)}.get(series_id)
    target = ACTIONS[action]
    if action in ("pause", "resume") and current is None:
        raise Gone("subscription")
    unchanged = (current.status if current else None) == target
    if not unchanged:
        await storage.set_subscription(user.id, series_id, target, now)
    await reschedule(storage, user, lang, now, force=user.next_slot_at is None)
    fresh = await storage.get_user(user.id) or user
    facts = await storage.training_facts(user.id, now)
    lesson_id = next_unread(series, facts.opened)
    found = env.catalog.lesson(lang, lesson_id) if lesson_id else None
    return SubscriptionChange(
        SubResult.UNCHANGED if unchanged else SubResult.DONE,
        series,
        found[1] if found else None,
        fresh,
        prefs_of(fresh, lang),
        None if action == "subscribe" else await overview(env, fresh, lang),
    )


async def overview(env: Env, user: User, lang: str) -> Overview:
    """The learner's subscriptions with their lessons opened and completed, and the slot."""
    now = env.now()
    subs = await env.storage.subscriptions(user.id)
    facts = await env.storage.training_facts(user.id, now)
    fresh = await env.storage.get_user(user.id) or user
    assigned: dict[str, MemberAssignment] = {}
    for item in facts.assignments:  # soonest due first: that one is shown
        assigned.setdefault(item.series_id, item)
    counts = {}
    for series_id in {sub.series_id for sub in subs} | set(assigned):
        series = env.catalog.series(lang, series_id)
        if series is not None:
            counts[series_id] = lesson_counts(series.lessons, facts.opened, facts.completed)
    return Overview(subs, counts, fresh.next_slot_at, prefs_of(fresh, lang), assigned)


@dataclass(frozen=True)
class Recap:
    series: SeriesContent
    suggestions: list[SeriesContent]  # what to take next
    counts: LessonCounts


async def recap(env: Env, user: User, lang: str, series_id: str) -> Recap:
    """A series' recap with the series to take next (Gone: the series is)."""
    series = env.catalog.series(lang, series_id)
    if series is None:
        raise Gone("series")
    state, facts = await learner_state(env.storage, user, lang, env.now())
    ids = suggest_series(env.catalog, lang, state, exclude=[series.id])
    suggestions = [s for s in (env.catalog.series(lang, i) for i in ids) if s]
    return Recap(series, suggestions, lesson_counts(series.lessons, facts.opened, facts.completed))


def subscription_status(subs: list[SubscriptionRow], series_id: str) -> str | None:
    return next((s.status for s in subs if s.series_id == series_id), None)
