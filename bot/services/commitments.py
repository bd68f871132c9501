"""The week's action as a commitment: "I'll try it" / "Not now" after a lesson, followed up a
few working days later inside the daily slot ("Did you try it?" -> done / not yet / it did
not work, then an optional line of what happened). "Not yet" asks again once, later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.services.env import Env, Gone
from bot.services.schedule import prefs_of
from content.model import Lesson
from domain.records import Commitment, User

FOLLOW_UP_AFTER = 3  # working days (Monday to Friday, the learner's own) before asking
NOTE_LIMIT = 500  # characters of "what happened" kept
AWAIT_NOTE = "n"  # users.awaiting = "n:<commitment id>": the next text is what happened


def working_days_later(moment: datetime, days: int, tz) -> date:
    """The local date ``days`` working days (Mon–Fri) after ``moment``'s own local date."""
    day = moment.astimezone(tz).date()
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def follow_up_at(moment: datetime, tz) -> datetime:
    """When a commitment made at ``moment`` is asked about: the start of the local day
    :data:`FOLLOW_UP_AFTER` working days later (the learner's slot that day, or the next,
    sends it)."""
    day = working_days_later(moment, FOLLOW_UP_AFTER, tz)
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(moment.tzinfo)


def clean_text(text: str, limit: int) -> tuple[str, bool]:
    """Free text as we keep it (a note, what was unclear): as written, stripped, at most
    ``limit`` characters; and whether it was cut. It is escaped wherever it is shown."""
    text = text.strip()
    return text[:limit], len(text) > limit


@dataclass(frozen=True)
class CommitOffer:
    """The week's action offered as a commitment (or the one already taken on)."""

    lesson: Lesson
    open: Commitment | None = None  # already committed to it and not yet followed up


async def offer(env: Env, user: User, lang: str, lesson_id: str) -> CommitOffer | None:
    found = env.catalog.lesson(lang, lesson_id)
    if found is None:
        return None
    taken = [c for c in await env.storage.commitments(user.id) if c.lesson_id == lesson_id]
    return CommitOffer(found[1], next((c for c in taken if c.is_open), None))


@dataclass(frozen=True)
class CommitOutcome:
    lesson: Lesson
    commitment: Commitment
    ask_on: date | None  # the local day of the follow-up (None: declined)


async def commit(env: Env, user: User, lang: str, lesson_id: str, taken: bool) -> CommitOutcome:
    """ "I'll try it" (followed up in :data:`FOLLOW_UP_AFTER` working days) or "Not now"."""
    found = env.catalog.lesson(lang, lesson_id)
    if found is None:
        raise Gone("lesson")
    now, tz = env.now(), prefs_of(user, lang).tz
    when = follow_up_at(now, tz) if taken else None
    status = "open" if taken else "declined"
    commitment, _ = await env.storage.commit(user.id, lesson_id, status, when, now)
    ask_on = commitment.follow_up_at.astimezone(tz).date() if commitment.follow_up_at else None
    return CommitOutcome(found[1], commitment, ask_on)


@dataclass(frozen=True)
class FollowUpOutcome:
    commitment: Commitment
    lesson: Lesson | None
    already: bool = False  # answered before (an old message, a double tap)
    ask_note: bool = False  # next: "what happened?" (the next text is the note)
    ask_on: date | None = None  # "not yet" the first time: asked again that day


async def follow_up(
    env: Env, user: User, lang: str, commitment_id: int, answer: str
) -> FollowUpOutcome:
    """The answer to "did you try it?": ``done``, ``failed`` (then what happened, optional)
    or ``later`` — asked again in a few working days the first time, closed as "not yet"
    the second."""
    commitment = await env.storage.commitment(commitment_id, user.id)
    if commitment is None:
        raise Gone("commitment")
    found = env.catalog.lesson(lang, commitment.lesson_id)
    lesson = found[1] if found else None
    if not commitment.is_open:
        return FollowUpOutcome(commitment, lesson, already=True)
    now, tz = env.now(), prefs_of(user, lang).tz
    again = None
    if answer == "later":
        status = "later" if commitment.status == "open" else "not_yet"
        again = follow_up_at(now, tz) if status == "later" else None
    else:
        status = answer
    answered = await env.storage.answer_commitment(commitment.id, user.id, status, again, now)
    if answered is None:  # answered meanwhile (another tap)
        return FollowUpOutcome(commitment, lesson, already=True)
    asks = status in ("done", "failed")
    if asks:
        await env.storage.set_awaiting(user.id, f"{AWAIT_NOTE}:{commitment.id}")
    ask_on = again.astimezone(tz).date() if again else None
    return FollowUpOutcome(answered, lesson, ask_note=asks, ask_on=ask_on)


@dataclass(frozen=True)
class NoteOutcome:
    commitment: Commitment | None  # None: nothing to note any more
    cut: bool = False


async def skip_note(env: Env, user: User, commitment_id: int) -> NoteOutcome:
    if user.awaiting == f"{AWAIT_NOTE}:{commitment_id}":
        await env.storage.set_awaiting(user.id, None)
    return NoteOutcome(await env.storage.commitment(commitment_id, user.id))


async def note(env: Env, user: User, text: str) -> NoteOutcome:
    """The line typed after "what happened?": kept as written (cut at :data:`NOTE_LIMIT`)."""
    raw_id = (user.awaiting or "").partition(":")[2]
    await env.storage.set_awaiting(user.id, None)
    if not raw_id.isdigit():
        return NoteOutcome(None)
    kept, cut = clean_text(text, NOTE_LIMIT)
    if not kept:
        return NoteOutcome(await env.storage.commitment(int(raw_id), user.id))
    return NoteOutcome(await env.storage.note_commitment(int(raw_id), user.id, kept), cut)
