"""Subscriptions, delivery settings and the learner's slot: the rules behind the handlers.

Plain async functions over :class:`Storage` (no ``telegram`` import), so the handlers stay
thin and these are tested on a real database without Telegram.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from bot.services import journey
from bot.services.schedule import (
    QUICK_ZONES,
    LearnerState,
    Prefs,
    Subscription,
    best_streak,
    default_zone,
    in_training,
    local_day,
    next_slot,
    next_unread,
    parse_quiet,
    parse_time,
    parse_zone,
    streak,
)
from content.model import Catalog, Lesson, SeriesContent
from domain.records import SubscriptionRow, TrainingFacts, User
from storage.store import Storage


def prefs_of(user: User, language: str) -> Prefs:
    """A user's delivery preferences (a zone guessed from the language until they choose)."""
    return Prefs(
        timezone=user.timezone if user.tz_chosen else default_zone(language),
        time=user.delivery_time,
        days=user.delivery_days,
        quiet_start=user.quiet_start,
        quiet_end=user.quiet_end,
    )


def language_of(user: User, default: str) -> str:
    return journey.language_of(user, user.tg_language, default)


async def reschedule(
    storage: Storage, user: User, language: str, now: datetime, *, force: bool = False
) -> datetime | None:
    """Give a learner in training their next slot (``force``: recompute a set one).

    Cheap when nothing changes: a learner who already has a slot costs no query.
    """
    if user.blocked or (user.next_slot_at is not None and not force):
        return user.next_slot_at
    subs = await storage.subscriptions(user.id)
    facts = await storage.training_facts(user.id, now)
    subscriptions = [Subscription(s.series_id, s.status, s.subscribed_at) for s in subs]
    if not in_training(subscriptions, facts.has_cards, bool(facts.opened)):
        if force and user.next_slot_at is not None:
            await storage.schedule(user.id, None)
        return None
    slot = next_slot(prefs_of(user, language), now, user.last_slot_at)
    await storage.schedule(user.id, slot, only_if_unset=not force)
    return slot


async def note_activity(storage: Storage, user: User, language: str, now: datetime) -> None:
    """A lesson opened or a quiz answered: count the day for streaks, start the slot."""
    await storage.add_activity(user.id, local_day(now, prefs_of(user, language)))
    await reschedule(storage, user, language, now)


async def learner_state(
    storage: Storage, user: User, language: str, now: datetime
) -> tuple[LearnerState, TrainingFacts]:
    """The snapshot a slot decision (or a suggestion) is made from."""
    facts = await storage.training_facts(user.id, now)
    state = LearnerState(
        prefs=prefs_of(user, language),
        language=language,
        subscriptions=tuple(
            Subscription(s.series_id, s.status, s.subscribed_at) for s in facts.subscriptions
        ),
        opened=facts.opened,
        completed=facts.completed,
        reviews_due=facts.reviews_due,
        last_seen=user.last_seen,
        last_nudge_at=user.last_nudge_at,
        ignored_nudges=user.ignored_nudges,
        has_progress=bool(facts.opened),
        unsubscribed=user.unsubscribed_at is not None,
    )
    return state, facts


# Subscriptions ---------------------------------------------------------------------------
class SubResult(enum.Enum):
    DONE = "done"
    GONE = "gone"  # no such series (any more)
    UNCHANGED = "unchanged"  # e.g. pausing a paused series


@dataclass(frozen=True)
class SubscriptionChange:
    result: SubResult
    series: SeriesContent | None = None
    next_lesson: Lesson | None = None
    next_slot: datetime | None = None


async def change_subscription(
    storage: Storage,
    catalog: Catalog,
    user: User,
    language: str,
    series_id: str,
    action: str,
    now: datetime,
) -> SubscriptionChange:
    """Subscribe, pause, resume or unsubscribe; then make sure the slot is right."""
    series = catalog.series(language, series_id)
    if series is None:
        return SubscriptionChange(SubResult.GONE)
    current = {s.series_id: s for s in await storage.subscriptions(user.id)}.get(series_id)
    target = {
        "subscribe": "active",
        "resume": "active",
        "pause": "paused",
        "unsubscribe": None,
    }[action]
    if action in ("pause", "resume") and current is None:
        return SubscriptionChange(SubResult.GONE, series)
    unchanged = (current.status if current else None) == target
    if not unchanged:
        await storage.set_subscription(user.id, series_id, target, now)
    slot = await reschedule(storage, user, language, now, force=user.next_slot_at is None)
    facts = await storage.training_facts(user.id, now)
    lesson_id = next_unread(series, facts.opened)
    lesson = catalog.lesson(language, lesson_id)[1] if lesson_id else None  # type: ignore[index]
    return SubscriptionChange(
        SubResult.UNCHANGED if unchanged else SubResult.DONE, series, lesson, slot
    )


async def subscriptions_overview(
    storage: Storage, catalog: Catalog, user: User, language: str, now: datetime
) -> tuple[list[SubscriptionRow], dict[str, journey.LessonCounts]]:
    """The user's subscriptions and, per series, its lessons opened and completed."""
    subs = await storage.subscriptions(user.id)
    facts = await storage.training_facts(user.id, now)
    counts = {}
    for sub in subs:
        series = catalog.series(language, sub.series_id)
        if series is not None:
            counts[sub.series_id] = journey.lesson_counts(
                series.lessons, facts.opened, facts.completed
            )
    return subs, counts


def subscription_status(subs: list[SubscriptionRow], series_id: str) -> str | None:
    return next((s.status for s in subs if s.series_id == series_id), None)


# Settings ---------------------------------------------------------------------------------
async def update_prefs(
    storage: Storage, user: User, language: str, now: datetime, **prefs: object
) -> User:
    """Change preferences and recompute the next slot from them (never two on one date)."""
    changed = prefs_of(user, language)
    merged = Prefs(
        timezone=str(prefs.get("timezone", changed.timezone)),
        time=int(prefs.get("delivery_time", changed.time)),  # type: ignore[call-overload]
        days=int(prefs.get("delivery_days", changed.days)),  # type: ignore[call-overload]
        quiet_start=prefs.get("quiet_start", changed.quiet_start),  # type: ignore[arg-type]
        quiet_end=prefs.get("quiet_end", changed.quiet_end),  # type: ignore[arg-type]
    )
    slot = None
    if user.next_slot_at is not None or await _in_training(storage, user, now):
        slot = next_slot(merged, now, user.last_slot_at)
    updated = await storage.set_prefs(user.id, slot, **prefs)
    return updated or user


async def _in_training(storage: Storage, user: User, now: datetime) -> bool:
    facts = await storage.training_facts(user.id, now)
    subs = [Subscription(s.series_id, s.status, s.subscribed_at) for s in facts.subscriptions]
    return in_training(subs, facts.has_cards, bool(facts.opened))


def quick_zone(index: int) -> str | None:
    return QUICK_ZONES[index] if 0 <= index < len(QUICK_ZONES) else None


def parse_setting(what: str, text: str) -> dict[str, object] | None:
    """Typed input for a setting -> the preference fields to store, or None if unreadable."""
    if what == "t":
        minutes = parse_time(text)
        return None if minutes is None else {"delivery_time": minutes}
    if what == "z":
        zone = parse_zone(text)
        return None if zone is None else {"timezone": zone}
    if what == "q":
        quiet = parse_quiet(text)
        if quiet is None:
            return None
        if quiet == "off":
            return {"quiet_start": None, "quiet_end": None}
        start, end = quiet  # type: ignore[misc]
        return {"quiet_start": start, "quiet_end": end}
    return None


# Streaks ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Streaks:
    current: int
    best: int


async def streaks(storage: Storage, user: User, language: str, now: datetime) -> Streaks:
    days = await storage.activity_days(user.id)
    today = local_day(now, prefs_of(user, language))
    return Streaks(streak(days, today), best_streak(days))
