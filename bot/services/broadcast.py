"""/broadcast and /announce: drafts, audiences, confirming, and controlling a broadcast;
the rules as plain functions. Sending is the runner's (:mod:`bot.broadcaster`): a use case
here says what the runner must do next (stop a broadcast, look for work) and the handler
tells it.

Every use case is an admin's: the handler checks the caller against CXCOACH_ADMIN_IDS on
every call before it gets here."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from datetime import time as dtime

from bot.services.env import Env
from bot.services.schedule import Prefs, prefs_of, zone
from content.model import SeriesContent
from domain.records import Audience, Broadcast, User

log = logging.getLogger(__name__)

# What an admin's next message is awaited as (users.awaiting).
AWAIT_USERS, AWAIT_CHANNEL = "bc:users", "bc:channel"

IDLE_STEPS = (None, 7, 14, 30)  # the idle filter cycles through these (days)


LANGUAGE_CODES = ("en", "ru", "uk")


# Message kinds an admin may broadcast (copyMessage keeps their formatting and media).
BROADCASTABLE = (
    "text",
    "photo",
    "video",
    "animation",
    "document",
    "audio",
    "voice",
    "video_note",
)


def toggle_language(audience: Audience, code: str) -> Audience:
    langs = set(audience.languages) ^ {code}
    return replace(audience, languages=tuple(c for c in LANGUAGE_CODES if c in langs))


def toggle_series(audience: Audience, series_id: str, order: list[str]) -> Audience:
    chosen = set(audience.series) ^ {series_id}
    return replace(audience, series=tuple(s for s in order if s in chosen))


def cycle_idle(audience: Audience) -> Audience:
    index = IDLE_STEPS.index(audience.idle_days) if audience.idle_days in IDLE_STEPS else 0
    return replace(audience, idle_days=IDLE_STEPS[(index + 1) % len(IDLE_STEPS)])


def cycle_button(current: str | None, order: list[str]) -> str | None:
    """None -> first series -> ... -> last series -> None."""
    if current not in order:
        return order[0] if order else None
    index = order.index(current) + 1  # type: ignore[arg-type]
    return order[index] if index < len(order) else None


def run_at(arg: str, now: datetime, timezone: str) -> datetime:
    """'60' -> in an hour; 'tm' -> tomorrow 09:00 in the admin's time zone."""
    if arg == "60":
        return now + timedelta(hours=1)
    tz = zone(timezone)  # named zones and fixed offsets (UTC+05:30) alike
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, dtime(9, 0), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int  # failed + blocked + unconfirmed
    elapsed: float  # seconds since the start of this run

    @property
    def done(self) -> int:
        return self.sent + self.failed

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.done)

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        return self.remaining / self.rate if self.rate > 0 else None

    def bar(self, width: int = 20) -> str:
        filled = round(width * self.done / self.total) if self.total else width
        return "▓" * filled + "░" * (width - filled)


def progress_of(counts: dict[str, int], total: int, elapsed: float) -> Progress:
    failed = sum(counts.get(k, 0) for k in ("failed", "blocked", "unconfirmed"))
    return Progress(total, counts.get("sent", 0), failed, elapsed)


# Use cases -------------------------------------------------------------------------------
async def start_draft(env: Env, user: User, channel: bool) -> bool:
    """/broadcast (``channel`` False) or /announce: the admin's next message is the one to
    send. False: an announcement, but no channel is configured."""
    if channel and env.settings.channel is None:
        return False
    await env.storage.set_awaiting(user.id, AWAIT_CHANNEL if channel else AWAIT_USERS)
    return True


async def drafting(env: Env, user_id: int) -> str | None:
    """ "users" or "channel" while the admin's message to broadcast is awaited; else None."""
    user = await env.storage.get_user(user_id)
    if user is None or user.awaiting not in (AWAIT_USERS, AWAIT_CHANNEL):
        return None
    return "channel" if user.awaiting == AWAIT_CHANNEL else "users"


@dataclass(frozen=True)
class DraftView:
    """A draft as its screen shows it: the audience's size now, the series to filter by."""

    draft: Broadcast
    series: tuple[SeriesContent, ...]
    count: int  # recipients (1: the channel)
    channel: str | None


async def draft_view(env: Env, lang: str, draft: Broadcast) -> DraftView:
    count = 1
    if draft.target != "channel":
        count = await env.storage.audience_size(
            draft.audience, env.now(), env.settings.default_language
        )
    return DraftView(draft, env.catalog.series_list(lang), count, env.settings.channel)


async def create_draft(
    env: Env, user: User, lang: str, target: str, kind: str, chat_id: int, message_id: int
) -> DraftView | None:
    """The admin's message (of ``kind``) becomes a draft to ``target``; None if such a
    message cannot be broadcast (a sticker, a poll...: the message stays awaited)."""
    if kind not in BROADCASTABLE:
        return None
    await env.storage.set_awaiting(user.id, None)
    draft = await env.storage.create_broadcast(user.id, target, chat_id, message_id, env.now())
    return await draft_view(env, lang, draft)


async def history(env: Env, limit: int = 20) -> list[tuple[Broadcast, dict[str, int]]]:
    """/broadcasts: the latest broadcasts with their outcome counts."""
    return await env.storage.broadcasts(limit)


class Step(enum.Enum):
    """What an admin's press on a broadcast's button comes to."""

    OUT_OF_DATE = "out of date"
    EDITED = "edited"  # a draft's audience or button changed: the draft again (view)
    DROPPED = "dropped"  # the draft is dropped
    WAS_DROPPED = "was dropped"  # a draft's button, the draft dropped before
    WAS_CONFIRMED = "was confirmed"  # a draft's button, the broadcast confirmed before
    NOBODY = "nobody"  # confirming an audience of no one
    CONFIRMING = "confirming"  # see Confirmation: show it, then confirm()
    PAUSING = "pausing"  # the runner stops it (halt), after the messages in flight
    RESUMED = "resumed"  # the runner looks for work (tick)
    CANCELLING = "cancelling"  # running: the runner stops it (halt)
    CANCELLED = "cancelled"  # not running: cancelled at once (report)
    RETRIED = "retried"  # n failed recipients again (tick)
    ASK_RESEND = "ask resend"  # n unconfirmed recipients: send again?
    RESENT = "resent"  # n unconfirmed recipients again (tick)
    REPORT = "report"  # the report again (report)


@dataclass(frozen=True)
class Report:
    broadcast: Broadcast
    counts: dict[str, int]
    progress: Progress
    status: str


@dataclass(frozen=True)
class Confirmation:
    """A draft about to be confirmed: its progress message shows it queued (or scheduled)
    *before* :func:`confirm`, so the runner's reports always come after."""

    draft: Broadcast
    size: int
    when: datetime | None  # scheduled for; None: now
    prefs: Prefs  # the admin's (the time is shown in their zone)

    @property
    def report(self) -> Report:
        counts = {"pending": self.size}
        status = "scheduled" if self.when else "queued"
        return Report(self.draft, counts, progress_of(counts, self.size, 0.0), status)


@dataclass(frozen=True)
class PressOutcome:
    """What a press came to (``step``) and what its screen or toast needs."""

    step: Step
    view: DraftView | None = None  # EDITED: the draft again
    confirmation: Confirmation | None = None  # CONFIRMING
    report: Report | None = None  # CANCELLED, REPORT
    # RETRIED, ASK_RESEND, RESENT: how many recipients; the broadcast pressed on
    count: int = 0
    broadcast: Broadcast | None = None


DRAFT_VERBS = ("lang", "ser", "idle", "btn", "go", "at", "x")


async def press(
    env: Env,
    user: User,
    lang: str,
    broadcast_id: int,
    verb: str,
    arg: str | None,
    progress_message: tuple[int, int] | None = None,
) -> PressOutcome:
    """ab:<verb>:<id>[:<arg>]: edit a draft's audience or button, confirm (now or later) or
    drop it; pause, resume, cancel a confirmed broadcast; retry its failed recipients or
    resend to those a dead process left unconfirmed. ``progress_message`` (chat, message):
    the pressed message, which becomes a confirmed broadcast's progress report."""
    storage = env.storage
    draft = await storage.get_broadcast(broadcast_id)
    if draft is None:
        return PressOutcome(Step.OUT_OF_DATE)
    if verb in DRAFT_VERBS and draft.status != "draft":
        dropped = draft.status == "cancelled" and draft.started_at is None and draft.total == 0
        return PressOutcome(Step.WAS_DROPPED if dropped else Step.WAS_CONFIRMED, broadcast=draft)
    order = [s.id for s in env.catalog.series_list(lang)]
    if verb in ("lang", "ser", "idle", "btn"):
        if verb == "btn":
            changes: dict[str, object] = {"button_series": cycle_button(draft.button_series, order)}
        elif verb == "lang":
            changes = {"audience": toggle_language(draft.audience, arg or "")}
        elif verb == "ser":
            index = int(arg or 0)
            if index >= len(order):
                return PressOutcome(Step.OUT_OF_DATE)
            changes = {"audience": toggle_series(draft.audience, order[index], order)}
        else:
            changes = {"audience": cycle_idle(draft.audience)}
        updated = await storage.update_broadcast(draft.id, **changes)
        return PressOutcome(Step.EDITED, await draft_view(env, lang, updated or draft))
    if verb in ("go", "at"):
        return await _prepare(env, user, lang, draft, verb, arg, progress_message)
    if verb == "x":
        await storage.set_broadcast_status(draft.id, "cancelled", ("draft",), env.now())
        return PressOutcome(Step.DROPPED, broadcast=draft)
    if verb == "unc":
        return await _unconfirmed(env, draft, arg or "")
    return await _control(env, draft, verb)


async def _prepare(env, user, lang, draft, verb, arg, progress_message) -> PressOutcome:
    now = env.now()
    size = 1
    if draft.target == "users":
        size = await env.storage.audience_size(draft.audience, now, env.settings.default_language)
        if size == 0:
            return PressOutcome(Step.NOBODY)
    prefs = prefs_of(user, lang)
    when = run_at(arg or "", now, prefs.timezone) if verb == "at" else None
    if progress_message is not None:
        chat_id, message_id = progress_message
        draft = await env.storage.update_broadcast(
            draft.id, progress_chat_id=chat_id, progress_message_id=message_id
        ) or draft  # fmt: skip
    return PressOutcome(Step.CONFIRMING, confirmation=Confirmation(draft, size, when, prefs))


async def confirm(env: Env, confirmation: Confirmation) -> bool:
    """Confirm the draft: its recipients are fixed now (or when it is due). False if it was
    confirmed already (cannot happen twice: one chat's updates run in order)."""
    s = env.settings
    done = await env.storage.confirm_broadcast(
        confirmation.draft.id, confirmation.when, env.now(), s.default_language, s.channel_chat
    )
    if done is None:
        log.warning("broadcast %s was confirmed twice", confirmation.draft.id)
    return done is not None


async def _control(env: Env, broadcast: Broadcast, verb: str) -> PressOutcome:
    """Pause, resume, cancel or retry a confirmed broadcast (every process sending it stops
    at its next claim; this one at once, when told to halt)."""
    storage, now, id_ = env.storage, env.now(), broadcast.id
    if verb == "p" and await storage.set_broadcast_status(id_, "paused", ("running",), now):
        return PressOutcome(Step.PAUSING, broadcast=broadcast)
    if verb == "r" and await storage.set_broadcast_status(id_, "queued", ("paused",), now):
        return PressOutcome(Step.RESUMED, broadcast=broadcast)
    if verb == "c" and await storage.set_broadcast_status(id_, "cancelled", ("running",), now):
        return PressOutcome(Step.CANCELLING, broadcast=broadcast)
    if verb == "c" and await storage.set_broadcast_status(
        id_, "cancelled", ("queued", "scheduled", "paused"), now
    ):
        return PressOutcome(Step.CANCELLED, report=await report(env, id_, "cancelled"))
    if verb == "retry" and broadcast.status == "done":
        retried = await storage.retry_failed(id_)
        return PressOutcome(Step.RETRIED, count=retried, broadcast=broadcast)
    return PressOutcome(Step.OUT_OF_DATE)


async def _unconfirmed(env: Env, broadcast: Broadcast, step: str) -> PressOutcome:
    """Ask, then (only on "ok") send again to the recipients a dead process left in doubt."""
    counts = await env.storage.recipient_counts(broadcast.id)
    unconfirmed = counts.get("unconfirmed", 0)
    if broadcast.status != "done" or not unconfirmed:
        return PressOutcome(Step.OUT_OF_DATE)
    if step == "ask":
        return PressOutcome(Step.ASK_RESEND, count=unconfirmed, broadcast=broadcast)
    if step == "no":
        return PressOutcome(Step.REPORT, report=await report(env, broadcast.id, "done"))
    resent = await env.storage.retry_failed(broadcast.id, "unconfirmed")
    return PressOutcome(Step.RESENT, count=resent, broadcast=broadcast)


async def report(env: Env, broadcast_id: int, status: str) -> Report | None:
    current = await env.storage.get_broadcast(broadcast_id)
    if current is None:
        return None
    counts = await env.storage.recipient_counts(broadcast_id)
    return Report(current, counts, progress_of(counts, current.total, 0.0), status)


async def forget_stale_drafts(env: Env) -> int:
    """At start-up: someone no longer in CXCOACH_ADMIN_IDS may still have a broadcast message
    awaited; forget it, so their next typed text gets the usual answer, not an error."""
    cleared = await env.storage.forget_awaiting(
        (AWAIT_USERS, AWAIT_CHANNEL), env.settings.admin_ids
    )
    if cleared:
        log.info("forgot %d broadcast draft(s) awaited from former admins", cleared)
    return cleared
