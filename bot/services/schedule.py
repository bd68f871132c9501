"""When the bot speaks first, and what it says: plain functions of (state, now).

Every learner in training has one daily *slot*: a local time on chosen weekdays. At its slot
the bot sends at most ONE message: a commitment's follow-up ("did you try it?") or a
self-assessment's re-take offer when one is due, or else the next lessons of the learner's
subscriptions (with the number of reviews due), or else a review nudge, or else a gentle
reminder after days of silence. Nothing here touches Telegram or the database; the delivery engine
(``bot/delivery.py``) stores what these functions decide.

Rules that the tests pin down:

* a slot is a local wall-clock time, so it follows DST: 09:00 stays 09:00 in Kyiv in winter
  and in summer; a time that does not exist on a spring-forward day moves forward with the
  clock (02:30 -> 03:30), an ambiguous one on a fall-back day is taken once (its first
  occurrence);
* one lesson per chosen weekday, whatever the time, the zone, DST and quiet hours: each
  chosen day D has ONE slot, :func:`slot_on` — D's local time, or, when that is within the
  quiet hours, their end (the next morning when they began that evening: a 22:30 slot with
  quiet hours 22:00-08:00 is D's lesson, delivered at 08:00 on D+1, and D+1's own lesson
  still comes, at 08:00 on D+2). The slot is stored as that moment, so "Next delivery" says
  when the lesson really comes; nothing unprompted is ever sent in quiet hours;
* never two slots on one local date: the next slot is always on a later local date than the
  one the last delivery counts for (:func:`counts_for`: the slot it went out for, when it was
  on time, quiet hours not counted; the moment it was sent, when it was a catch-up), even
  after a change of time zone, delivery time or quiet hours. With unchanged settings the
  slots of consecutive chosen days always fall on different local dates, so this never takes
  a chosen day's lesson away. Where the two rules meet, the chosen day wins for a lesson that
  was on time (one that slipped into quiet hours, say a 21:59 slot drained at 22:01, comes
  at 08:00 and that day's own 21:59 lesson still comes), and "never two in a day" wins for
  a catch-up after downtime or a change (it stands in for the day it is sent on: two
  lessons within hours read as a glitch, and the drip is a sequence that simply goes on);
* after downtime, a missed slot is delivered once (the next one is computed from *now*); a
  catch-up that falls in quiet hours waits for their end;
* at most one nudge (a commitment's follow-up, a self-assessment's re-take, a review or a
  reminder) a day, none after three ignored in a row; a follow-up or a re-take takes the
  slot before the day's lessons (they wait a day);
* an assignment's one reminder (:class:`Deadline`, rules in :mod:`bot.services.assignments`)
  is a nudge too, but it never delays a lesson: with the day's lesson it rides along in the
  same message, alone it is that day's nudge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from datetime import time as dtime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from content.model import Catalog, SeriesContent
from domain.records import MemberAssignment, TrainingFacts, User
from storage.store import Storage

MINUTES_PER_DAY = 24 * 60


ALL_DAYS = 0b1111111


WEEKDAYS = 0b0011111


IDLE_AFTER = timedelta(days=3)  # silence before a reminder


MAX_IGNORED_NUDGES = 3  # then the bot goes quiet until the learner returns


NUDGE_GAP = timedelta(hours=20)  # "one nudge a day", whatever the slot times do


RETAKE_AFTER = timedelta(days=30)  # a self-assessment this old: the slot offers a re-take


# Quick-pick zones. A button stores an index into this tuple, so it only ever grows (an old
# button keeps its meaning); which of them a learner sees depends on the language.
QUICK_ZONES: tuple[str, ...] = (
    "Europe/Kyiv",
    "Europe/Warsaw",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Moscow",
    "Asia/Almaty",
    "Asia/Tbilisi",
    "Europe/Chisinau",
    "Asia/Tashkent",
    "UTC",
    "America/New_York",  # 10
    "America/Los_Angeles",
    "America/Chicago",
    "Europe/Prague",
    "Europe/Rome",
    "Europe/Madrid",  # 15
    "America/Toronto",
    "Europe/Minsk",
    "Asia/Jerusalem",
    "Australia/Sydney",
    "Asia/Kolkata",  # 20
    "Europe/Paris",
)


# Where learners of each language most often live: Ukrainians at home and in the largest
# diasporas (Poland, Germany, Czechia, the UK, Italy, Spain, North America) - never Moscow;
# Russian speakers in Ukraine, Russia, Belarus, Kazakhstan, Georgia, Israel and Germany
# (Moscow is one of their cities: the time zone names a clock, not an allegiance);
# English speakers across the UK, North America, Europe, India and Australia.
QUICK_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "uk": (
        "Europe/Kyiv",
        "Europe/Warsaw",
        "Europe/Berlin",
        "Europe/Prague",
        "Europe/London",
        "Europe/Rome",
        "Europe/Madrid",
        "America/Toronto",
        "America/New_York",
    ),
    "ru": (
        "Europe/Kyiv",
        "Europe/Moscow",
        "Europe/Minsk",
        "Asia/Almaty",
        "Asia/Tbilisi",
        "Asia/Jerusalem",
        "Europe/Berlin",
        "Asia/Tashkent",
        "Europe/Chisinau",
    ),
    "en": (
        "Europe/London",
        "America/New_York",
        "America/Chicago",
        "America/Los_Angeles",
        "America/Toronto",
        "Europe/Berlin",
        "Europe/Kyiv",
        "Asia/Kolkata",
        "Australia/Sydney",
    ),
}


DEFAULT_ZONE_BY_LANGUAGE = {"uk": "Europe/Kyiv", "ru": "Europe/Kyiv", "en": "Europe/London"}


def quick_zones(language: str) -> tuple[tuple[int, str], ...]:
    """The quick picks for a language, as (index into QUICK_ZONES, zone); UTC comes last."""
    picks = (*QUICK_BY_LANGUAGE.get(language, QUICK_BY_LANGUAGE["en"]), "UTC")
    return tuple((QUICK_ZONES.index(name), name) for name in picks)


def parse_zone(text: str) -> str | None:
    """A zone we can store without asking: an IANA region zone, a UTC offset, or the one zone
    of a typed city or country (any of en/ru/uk). None if unknown, ambiguous (several zones
    to choose from) or an abbreviation that hides summer time (EST, CET, MSK...): those
    need :func:`bot.services.places.find` and the learner's choice."""
    from bot.services import places

    found = places.find(text).found
    return found.zone if found is not None else None


@lru_cache(maxsize=512)
def zone(name: str) -> tzinfo:
    """The tzinfo for a stored zone name; unknown names fall back to UTC (never raise)."""
    if name.startswith("UTC") and len(name) == 9:
        sign = -1 if name[3] == "-" else 1
        offset = timedelta(hours=int(name[4:6]), minutes=int(name[7:9]))
        return timezone(sign * offset, name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def is_fixed_offset(name: str) -> bool:
    return name.startswith("UTC") and len(name) == 9


def default_zone(language: str) -> str:
    return DEFAULT_ZONE_BY_LANGUAGE.get(language, "UTC")


_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.h ]\s*(\d{2}))?\s*(am|pm|h|ч|год)?\.?$", re.IGNORECASE)


def parse_time(text: str) -> int | None:
    """'9', '09:30', '9.30', '21h', '7 pm' -> minutes after midnight; None if not a time."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower()
    if suffix in ("am", "pm"):
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if suffix == "pm" else 0)
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


# Words that switch quiet hours off, in en/ru/uk (the prompt names the learner's own).
QUIET_OFF_WORDS = frozenset(
    {
        "off",
        "no",
        "none",
        "-",
        "0",
        "нет",
        "не надо",
        "выкл",
        "выключить",
        "отключить",
        "ні",
        "нi",
        "вимк",
        "вимкнути",
        "немає",
    }
)


def parse_quiet(text: str) -> tuple[int, int] | str | None:
    """'22-8', '22:00 - 07:30' -> (start, end); 'off'/'выкл'/'ні'... -> 'off'; else None."""
    raw = text.strip().casefold().rstrip(".!")
    if raw in QUIET_OFF_WORDS:
        return "off"
    parts = re.split(r"\s*(?:-|–|—|to|до)\s*", raw)
    if len(parts) != 2:
        return None
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start is None or end is None or start == end:
        return None
    return start, end


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def quiet_contains(start: int | None, end: int | None, minutes: int) -> bool:
    """Whether a local time is within the quiet hours start-end (None: no quiet hours)."""
    if start is None or end is None:
        return False
    if start < end:
        return start <= minutes < end
    return minutes >= start or minutes < end  # across midnight


def nearest_allowed(prefs: Prefs, minutes: int) -> int:
    """The delivery time outside quiet hours nearest to ``minutes`` (the end of the quiet
    hours when the time is closer to it than to their start, else just before they begin)."""
    if not prefs.in_quiet(minutes) or prefs.quiet_start is None or prefs.quiet_end is None:
        return minutes
    after = (prefs.quiet_end - minutes) % MINUTES_PER_DAY
    before = (minutes - prefs.quiet_start) % MINUTES_PER_DAY + 1
    if after <= before:
        return prefs.quiet_end
    return (prefs.quiet_start - 30) % MINUTES_PER_DAY  # half an hour before they begin


@dataclass(frozen=True)
class Prefs:
    timezone: str = "UTC"
    time: int = 9 * 60  # minutes after local midnight
    days: int = WEEKDAYS  # bit 0 = Monday ... bit 6 = Sunday
    quiet_start: int | None = 22 * 60
    quiet_end: int | None = 8 * 60

    @property
    def tz(self) -> tzinfo:
        return zone(self.timezone)

    def has_day(self, day: date) -> bool:
        return bool(self.days >> day.weekday() & 1)

    def in_quiet(self, minutes: int) -> bool:
        """Whether a local time (minutes after midnight) is within quiet hours."""
        return quiet_contains(self.quiet_start, self.quiet_end, minutes)

    @property
    def time_is_quiet(self) -> bool:
        return self.in_quiet(self.time)


def local_time(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz)


def _at(day: date, minutes: int, tz: tzinfo) -> datetime:
    """The UTC instant of a local wall-clock time (first occurrence; gaps move forward)."""
    local = datetime.combine(day, dtime(minutes // 60, minutes % 60), tzinfo=tz)
    return local.astimezone(UTC)


def slot_on(prefs: Prefs, day: date) -> datetime:
    """When the lesson of ``day`` (a chosen weekday) is delivered: the local delivery time
    (DST-adjusted as in :func:`_at`), or the end of the quiet hours it falls in — the next
    morning's when they began that evening."""
    return out_of_quiet(prefs, _at(day, prefs.time, prefs.tz))


def next_slot(prefs: Prefs, after: datetime, last_slot: datetime | None = None) -> datetime | None:
    """The first slot (:func:`slot_on` of a chosen weekday) strictly after ``after`` and on a
    local date later than ``last_slot``'s.

    None when no weekday is chosen. ``last_slot`` is the moment the last delivery counts for
    (:func:`counts_for`; storage keeps it as ``last_slot_at``).
    """
    if not prefs.days & ALL_DAYS:
        return None
    tz = prefs.tz
    start = after.astimezone(tz).date()
    last_date = last_slot.astimezone(tz).date() if last_slot is not None else None
    for offset in range(-1, 9):  # from yesterday: its lesson may wait for this morning
        day = start + timedelta(days=offset)
        if not prefs.has_day(day):
            continue
        slot = slot_on(prefs, day)
        if slot > after and (last_date is None or slot.astimezone(tz).date() > last_date):
            return slot
    return None  # pragma: no cover - 9 days always hold a chosen weekday


# A delivery this late after its slot (quiet hours do not count: the bot may not write then)
# is a catch-up after downtime: it takes the place of the day it is sent on. Sooner (a busy
# drain, a retry, a slot just before midnight sent after it, one that slipped into quiet
# hours and waited for the morning) it counts for its slot, so the next day's lesson comes.
ON_TIME = timedelta(hours=3)


def latest_slot(prefs: Prefs, moment: datetime) -> datetime | None:
    """The latest slot (:func:`slot_on` of a chosen weekday) at or before ``moment``."""
    if not prefs.days & ALL_DAYS:
        return None
    today = moment.astimezone(prefs.tz).date()
    for offset in range(1, -9, -1):
        day = today + timedelta(days=offset)
        if prefs.has_day(day) and (slot := slot_on(prefs, day)) <= moment:
            return slot
    return None  # pragma: no cover - 9 days always hold a chosen weekday


def awake_between(prefs: Prefs, start: datetime, end: datetime) -> timedelta:
    """The time from ``start`` to ``end`` outside the quiet hours."""
    if end <= start:
        return timedelta(0)
    total = end - start
    qs, qe = prefs.quiet_start, prefs.quiet_end
    if qs is None or qe is None:
        return total
    tz = prefs.tz
    first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    day = first - timedelta(days=1)
    while day <= last:
        quiet_from = _at(day, qs, tz)
        quiet_to = _at(day + timedelta(days=1 if qs > qe else 0), qe, tz)
        overlap = min(end, quiet_to) - max(start, quiet_from)
        if overlap > timedelta(0):
            total -= overlap
        day += timedelta(days=1)
    return max(total, timedelta(0))


def counts_for(prefs: Prefs, sent: datetime) -> datetime:
    """The moment a delivery sent at ``sent`` counts for (the next slot comes on a later
    local date): the latest slot when it went out within ``ON_TIME`` of it, else ``sent``."""
    slot = latest_slot(prefs, sent)
    if slot is not None and awake_between(prefs, slot, sent) <= ON_TIME:
        return slot
    return sent


def out_of_quiet(prefs: Prefs, moment: datetime) -> datetime:
    """``moment`` itself, or the end of the quiet hours it falls in."""
    local = moment.astimezone(prefs.tz)
    minutes = local.hour * 60 + local.minute
    if not prefs.in_quiet(minutes) or prefs.quiet_end is None:
        return moment
    day = local.date()
    if minutes >= prefs.quiet_end:  # quiet started this evening: it ends tomorrow
        day += timedelta(days=1)
    return max(moment, _at(day, prefs.quiet_end, prefs.tz))


def local_day(moment: datetime, prefs: Prefs) -> date:
    return moment.astimezone(prefs.tz).date()


@dataclass(frozen=True)
class Subscription:
    series_id: str
    status: str  # active, paused, finished
    subscribed_at: datetime


@dataclass(frozen=True)
class LearnerState:
    """Everything a slot decision depends on, read from storage in one go."""

    prefs: Prefs
    language: str
    subscriptions: tuple[Subscription, ...]
    opened: frozenset[str]  # lessons opened or delivered
    completed: frozenset[str]
    reviews_due: int
    last_seen: datetime
    last_nudge_at: datetime | None
    ignored_nudges: int
    has_progress: bool  # opened any lesson at all
    unsubscribed: bool = False  # left a series once: sets their own pace, no idle reminders
    follow_up: tuple[int, str] | None = None  # (commitment, lesson) whose follow-up is due
    assessed_at: datetime | None = None  # the latest full self-assessment, finished
    retake_offered: bool = False  # ... and its re-take was offered already
    assessment_id: int | None = None
    assignments: tuple[MemberAssignment, ...] = ()  # series the learner's teams assigned


@dataclass(frozen=True)
class Deadline:
    """An assignment's one reminder: the series is due soon and the learner is behind."""

    assignment_id: int
    series_id: str
    due_on: date
    team_name: str
    completed: int
    total: int


@dataclass(frozen=True)
class SlotPlan:
    lessons: tuple[tuple[str, str], ...] = ()  # (series id, lesson id) to deliver
    finished: tuple[str, ...] = ()  # series whose last lesson was delivered: send the recap
    reviews_due: int = 0  # mention the reviews due (in a drip or as a nudge)
    reminder: str | None = None  # lesson id to suggest in an idle reminder
    suggestions: tuple[str, ...] = field(default=())  # series to take next after a recap
    follow_up: tuple[int, str] | None = None  # (commitment, lesson): "did you try it?"
    retake: int | None = None  # the self-assessment whose re-take is offered
    deadline: Deadline | None = None  # an assignment's reminder (alone, or with the lessons)
    # (series id, due date, team name) of the assigned series: their lessons say so
    assigned: tuple[tuple[str, date, str], ...] = ()

    @property
    def kind(self) -> str | None:
        if self.follow_up:
            return "follow_up"
        if self.retake:
            return "retake"
        if self.lessons or self.finished:
            return "drip"
        if self.deadline:
            return "deadline"
        if self.reviews_due:
            return "review"
        if self.reminder:
            return "reminder"
        return None

    @property
    def is_nudge(self) -> bool:
        return self.kind in ("follow_up", "retake", "deadline", "review", "reminder")


def next_unread(series: SeriesContent, opened: Iterable[str]) -> str | None:
    seen = set(opened)
    return next((lesson.id for lesson in series.lessons if lesson.id not in seen), None)


def suggest_series(
    catalog: Catalog, language: str, state: LearnerState, exclude: Iterable[str] = ()
) -> tuple[str, ...]:
    """Series to take next: not subscribed, not finished, fewest lessons done first."""
    taken = {s.series_id for s in state.subscriptions} | set(exclude)
    candidates = []
    for order, series in enumerate(catalog.series_list(language)):
        if series.id in taken:
            continue
        left = sum(1 for lesson in series.lessons if lesson.id not in state.completed)
        if left:
            candidates.append((left < len(series.lessons), order, series.id))
    return tuple(series_id for _, _, series_id in sorted(candidates)[:2])


def may_nudge(state: LearnerState, now: datetime) -> bool:
    if state.ignored_nudges >= MAX_IGNORED_NUDGES:
        return False
    return state.last_nudge_at is None or now - state.last_nudge_at >= NUDGE_GAP


def retake_due(state: LearnerState, now: datetime) -> bool:
    """A full self-assessment finished :data:`RETAKE_AFTER` ago, its re-take not offered."""
    return (
        state.assessed_at is not None
        and not state.retake_offered
        and now - state.assessed_at >= RETAKE_AFTER
    )


def plan_slot(catalog: Catalog, state: LearnerState, now: datetime) -> SlotPlan:
    """What the slot due at ``now`` sends: one message at most (see the module's rules).

    A commitment's follow-up, then a self-assessment's re-take, come before the day's
    lessons: both are nudges (one a day, none after three ignored), and a drip that waits a
    day costs less than a question never asked to a learner who gets a lesson every day."""
    if may_nudge(state, now):
        lesson = state.follow_up and catalog.lesson(state.language, state.follow_up[1])
        if state.follow_up and lesson is not None:
            return SlotPlan(follow_up=state.follow_up)
        if retake_due(state, now):
            return SlotPlan(retake=state.assessment_id)
    lessons: list[tuple[str, str]] = []
    finished: list[str] = []
    active = sorted(
        (s for s in state.subscriptions if s.status == "active"), key=lambda s: s.subscribed_at
    )
    for sub in active:
        series = catalog.series(state.language, sub.series_id)
        if series is None:  # a series withdrawn from the content: nothing to send
            continue
        lesson_id = next_unread(series, state.opened)
        if lesson_id is None:
            finished.append(series.id)
        else:
            lessons.append((series.id, lesson_id))
    deadline = _deadline(catalog, state, now) if state.assignments else None
    if lessons or finished:
        suggestions = suggest_series(catalog, state.language, state) if finished else ()
        assigned = tuple((a.series_id, a.due_on, a.team_name) for a in state.assignments)
        return SlotPlan(
            tuple(lessons),
            tuple(finished),
            state.reviews_due,
            None,
            suggestions,
            deadline=deadline,
            assigned=assigned,
        )
    if deadline is not None:
        return SlotPlan(deadline=deadline)
    if not may_nudge(state, now):
        return SlotPlan()
    if state.reviews_due:
        return SlotPlan(reviews_due=state.reviews_due)
    if state.has_progress and now - state.last_seen >= IDLE_AFTER and _may_remind(state):
        suggestion = _reminder_lesson(catalog, state)
        if suggestion is not None:
            return SlotPlan(reminder=suggestion)
    return SlotPlan()


def _deadline(catalog: Catalog, state: LearnerState, now: datetime) -> Deadline | None:
    """An assignment's reminder due in this slot (a nudge: one a day, none after three
    ignored), by the rules of :mod:`bot.services.assignments`."""
    if not may_nudge(state, now):
        return None
    from bot.services.assignments import reminder_for  # it builds on this module

    today = local_day(now, state.prefs)
    found = reminder_for(catalog, state.language, state.assignments, state.completed, today)
    if found is None:
        return None
    item, completed, total = found
    return Deadline(item.id, item.series_id, item.due_on, item.team_name, completed, total)


def _may_remind(state: LearnerState) -> bool:
    """An idle reminder is for learners who keep their own pace and never asked for quiet:
    not after an unsubscribe (that series' next lesson would be the very thing they left),
    not while a subscription is paused."""
    return not state.unsubscribed and not any(s.status == "paused" for s in state.subscriptions)


def _reminder_lesson(catalog: Catalog, state: LearnerState) -> str | None:
    """The lesson a reminder suggests: the next unread one in a series already begun."""
    for series in catalog.series_list(state.language):
        if any(lesson.id in state.opened for lesson in series.lessons):
            lesson_id = next_unread(series, state.opened)
            if lesson_id is not None:
                return lesson_id
    for series in catalog.series_list(state.language):
        lesson_id = next_unread(series, state.opened)
        if lesson_id is not None:
            return lesson_id
    return None


def in_training(
    subscriptions: Sequence[Subscription],
    has_cards: bool,
    has_progress: bool,
    assessed: bool = False,
    assigned: bool = False,
) -> bool:
    """Whether a learner has a daily slot at all (a self-assessment alone gives one: its
    re-take is offered in the slot 30 days on; an assignment too: its reminder comes there,
    even while its series is paused)."""
    return (
        has_progress
        or has_cards
        or assessed
        or assigned
        or any(s.status == "active" for s in subscriptions)
    )


def streak(days: Iterable[date], today: date) -> int:
    """Days in a row with activity, ending today (or yesterday: today is not over yet)."""
    have = set(days)
    day = today if today in have else today - timedelta(days=1)
    count = 0
    while day in have:
        count += 1
        day -= timedelta(days=1)
    return count


def best_streak(days: Iterable[date]) -> int:
    ordered = sorted(set(days))
    best = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def prefs_of(user: User, language: str) -> Prefs:
    """A user's delivery preferences (a zone guessed from the language until they choose)."""
    return Prefs(
        timezone=user.timezone if user.tz_chosen else default_zone(language),
        time=user.delivery_time,
        days=user.delivery_days,
        quiet_start=user.quiet_start,
        quiet_end=user.quiet_end,
    )


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
    assessed = facts.assessed_at is not None
    assigned = bool(facts.assignments)
    if not in_training(subscriptions, facts.has_cards, bool(facts.opened), assessed, assigned):
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
        follow_up=(facts.follow_up.id, facts.follow_up.lesson_id) if facts.follow_up else None,
        assessed_at=facts.assessed_at,
        retake_offered=facts.retake_offered,
        assessment_id=facts.assessment_id,
        assignments=facts.assignments,
    )
    return state, facts
