"""/settings: delivery preferences, read from buttons or typed text, and the slot they move."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.services import places
from bot.services.env import Env
from bot.services.schedule import (
    QUICK_ZONES,
    Prefs,
    Subscription,
    in_training,
    nearest_allowed,
    next_slot,
    parse_quiet,
    parse_time,
    parse_zone,
    prefs_of,
    quiet_contains,
)
from domain.records import User
from storage.store import Storage


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
    assessed, assigned = facts.assessed_at is not None, bool(facts.assignments)
    return in_training(subs, facts.has_cards, bool(facts.opened), assessed, assigned)


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


# Use cases -------------------------------------------------------------------------------
class Refusal(enum.Enum):
    """Why a setting was not changed."""

    IN_QUIET = "the time is within the quiet hours"
    COVERS_TIME = "the quiet hours would cover the delivery time"
    LAST_DAY = "the last delivery day cannot go"
    UNREADABLE = "typed text that is not a setting, or a zone button out of date"


@dataclass(frozen=True)
class SettingChange:
    """A learner's settings after a press or typed text, or why they did not change."""

    user: User  # as stored now
    prefs: Prefs
    now: datetime
    refused: Refusal | None = None
    asked: dict[str, object] = field(default_factory=dict)  # the fields asked for
    nearest: int | None = None  # IN_QUIET: the nearest time that is not
    zone_awaited: bool = False  # a typed zone was awaited: confirm, take the keyboard away
    place: str | None = None  # the place a typed zone was found by
    choices: places.Lookup | None = None  # a typed zone names several places: choose one
    offered: str | None = None  # a location shared unasked: its zone, offered, not stored

    @property
    def saved(self) -> bool:
        return self.refused is None and self.choices is None and self.offered is None


def current(env: Env, user: User, lang: str) -> SettingChange:
    """The learner's settings as they are (nothing changes)."""
    return SettingChange(user, prefs_of(user, lang), env.now())


async def open_page(env: Env, user: User, lang: str) -> SettingChange:
    """/settings' pages: a typed setting no longer awaited (a zone's location keyboard goes
    too: ``zone_awaited``)."""
    if user.awaiting:
        await env.storage.set_awaiting(user.id, None)
    return SettingChange(user, prefs_of(user, lang), env.now(), zone_awaited=user.awaiting == "z")


async def ask(env: Env, user: User, what: str) -> None:
    """The learner's next text message is read as setting ``what`` (t, z or q)."""
    await env.storage.set_awaiting(user.id, what)


async def choose(env: Env, user: User, lang: str, **fields: object) -> SettingChange:
    """Change delivery time, days or quiet hours, unless the change cannot be kept: a time
    within the quiet hours, quiet hours over the time, no day left."""
    prefs, now = prefs_of(user, lang), env.now()
    refused = _refusal(prefs, fields)
    if refused is not None:
        nearest = None
        if refused is Refusal.IN_QUIET:
            nearest = nearest_allowed(prefs, fields["delivery_time"])  # type: ignore[arg-type]
        return SettingChange(user, prefs, now, refused, fields, nearest)
    if user.awaiting:
        await env.storage.set_awaiting(user.id, None)
    changed = await update_prefs(env.storage, user, lang, now, **fields)
    awaited = user.awaiting == "z"
    return SettingChange(changed, prefs_of(changed, lang), now, asked=fields, zone_awaited=awaited)


def _refusal(prefs: Prefs, fields: dict[str, object]) -> Refusal | None:
    minutes = fields.get("delivery_time")
    if isinstance(minutes, int) and prefs.in_quiet(minutes):
        return Refusal.IN_QUIET
    days = fields.get("delivery_days")
    if isinstance(days, int) and ((days == prefs.days and days.bit_count() == 1) or not days):
        return Refusal.LAST_DAY  # the last day's button toggles nothing: it cannot go
    start, end = fields.get("quiet_start"), fields.get("quiet_end")
    if isinstance(start, int) and isinstance(end, int) and quiet_contains(start, end, prefs.time):
        return Refusal.COVERS_TIME
    return None


async def choose_zone(
    env: Env, user: User, lang: str, *, index: int | None = None, name: str | None = None
) -> SettingChange:
    """A zone from the quick picks (``index``) or among places of one name (``name``)."""
    if index is not None:
        zone = quick_zone(index)
    else:  # the first lookup builds the places index (about a second): off the event loop
        zone = await asyncio.to_thread(_known_zone, name or "")
    if zone is None:
        return SettingChange(user, prefs_of(user, lang), env.now(), Refusal.UNREADABLE)
    return await _set_zone(env, user, lang, zone)


async def _set_zone(env: Env, user: User, lang: str, zone: str, place: str | None = None):
    return replace(await choose(env, user, lang, timezone=zone), place=place)


def _known_zone(name: str) -> str | None:
    found = places.find(name).found
    return found.zone if found is not None and found.name is None else None


async def typed(env: Env, user: User, lang: str, text: str) -> SettingChange:
    """Text typed while setting ``user.awaiting`` is awaited: stored, or why not; a typed
    place that names several gives the choices."""
    what = user.awaiting
    if what == "z":
        lookup = await asyncio.to_thread(places.find, text)  # may build the index
        if (found := lookup.found) is not None:
            return await _set_zone(env, user, lang, found.zone, found.name)
        if lookup.places:
            return SettingChange(user, prefs_of(user, lang), env.now(), choices=lookup)
        return SettingChange(user, prefs_of(user, lang), env.now(), Refusal.UNREADABLE)
    fields = parse_setting(what or "", text)
    if fields is None:
        return SettingChange(user, prefs_of(user, lang), env.now(), Refusal.UNREADABLE)
    return await choose(env, user, lang, **fields)


async def located(env: Env, user: User, lang: str, latitude: float, longitude: float):
    """A shared location: its time zone, found offline. Asked for, it is stored; unasked, it
    is offered. Nothing but the zone is kept, and that only once the learner agrees."""
    zone = await asyncio.to_thread(places.zone_at, latitude, longitude)
    if zone is None:
        return SettingChange(user, prefs_of(user, lang), env.now(), Refusal.UNREADABLE)
    if user.awaiting == "z":
        return await _set_zone(env, user, lang, zone)
    return SettingChange(user, prefs_of(user, lang), env.now(), offered=zone)
