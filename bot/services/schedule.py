"""When the bot speaks first, and what it says: plain functions of (state, now).

Every learner in training has one daily *slot*: a local time on chosen weekdays. At its slot
the bot sends at most ONE message: the next lessons of the learner's subscriptions (with the
number of reviews due), or else a review nudge, or else a gentle reminder after days of
silence. Nothing here touches Telegram or the database; the delivery engine
(``bot/delivery.py``) stores what these functions decide.

Rules that the tests pin down:

* a slot is a local wall-clock time, so it follows DST: 09:00 stays 09:00 in Kyiv in winter
  and in summer; a time that does not exist on a spring-forward day moves forward with the
  clock (02:30 -> 03:30), an ambiguous one on a fall-back day is taken once (its first
  occurrence);
* never two slots on one local date: the next slot is always on a later local date than the
  last delivered one, even after a change of time zone or delivery time;
* after downtime, a missed slot is delivered once (the next one is computed from *now*);
* nothing unprompted in quiet hours: a slot that falls in them waits for their end;
* at most one nudge (review or reminder) a day, none after three ignored in a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from datetime import time as dtime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from content.model import Catalog, SeriesContent

MINUTES_PER_DAY = 24 * 60
ALL_DAYS = 0b1111111
WEEKDAYS = 0b0011111
IDLE_AFTER = timedelta(days=3)  # silence before a reminder
MAX_IGNORED_NUDGES = 3  # then the bot goes quiet until the learner returns
NUDGE_GAP = timedelta(hours=20)  # "one nudge a day", whatever the slot times do

# Quick picks for the likely audience; any IANA zone or UTC offset can also be typed.
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
)
DEFAULT_ZONE_BY_LANGUAGE = {"uk": "Europe/Kyiv", "ru": "Europe/Kyiv", "en": "Europe/London"}


# Time zones -------------------------------------------------------------------------------
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-−])\s*(\d{1,2})(?:[:.]?(\d{2}))?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    names = {name.casefold(): name for name in available_timezones()}
    names["europe/kiev"] = "Europe/Kyiv"  # the old spelling people still type
    return names


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    cities = {name.rsplit("/", 1)[-1].casefold(): name for name in _zone_names().values()}
    cities["kiev"] = "Europe/Kyiv"
    return cities


def parse_zone(text: str) -> str | None:
    """A zone name we can store: an IANA name (any case) or a fixed offset 'UTC+05:30'."""
    raw = text.strip()
    if not raw or len(raw) > 64:
        return None
    if raw.casefold() in ("utc", "gmt", "z"):
        return "UTC"
    if match := _OFFSET.match(raw):
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes >= 60 or (hours == 14 and minutes):
            return None
        if hours == 0 and minutes == 0:
            return "UTC"
        return f"UTC{'-' if sign in '-−' else '+'}{hours:02d}:{minutes:02d}"
    key = raw.replace(" ", "_").casefold()
    if key in _zone_names():
        return _zone_names()[key]
    return _cities().get(key)  # a bare city: "Kyiv", "berlin", "New York"


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


def default_zone(language: str) -> str:
    return DEFAULT_ZONE_BY_LANGUAGE.get(language, "UTC")


# Times of day ----------------------------------------------------------------------------
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


def parse_quiet(text: str) -> tuple[int, int] | str | None:
    """'22-8', '22:00 - 07:30' -> (start, end); 'off'/'-'/'0' -> 'off'; else None."""
    raw = text.strip().casefold()
    if raw in ("off", "no", "none", "-", "0", "нет", "ні", "выкл", "вимк"):
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


# Preferences and slots --------------------------------------------------------------------
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
        if self.quiet_start is None or self.quiet_end is None:
            return False
        start, end = self.quiet_start, self.quiet_end
        if start < end:
            return start <= minutes < end
        return minutes >= start or minutes < end  # across midnight

    @property
    def time_is_quiet(self) -> bool:
        return self.in_quiet(self.time)


def local_time(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz)


def _at(day: date, minutes: int, tz: tzinfo) -> datetime:
    """The UTC instant of a local wall-clock time (first occurrence; gaps move forward)."""
    local = datetime.combine(day, dtime(minutes // 60, minutes % 60), tzinfo=tz)
    return local.astimezone(UTC)


def next_slot(prefs: Prefs, after: datetime, last_slot: datetime | None = None) -> datetime | None:
    """The first slot strictly after ``after`` on a local date later than ``last_slot``'s.

    None when no weekday is chosen. ``last_slot`` is when the last slot was delivered.
    """
    if not prefs.days & ALL_DAYS:
        return None
    tz = prefs.tz
    start = after.astimezone(tz).date()
    last_date = last_slot.astimezone(tz).date() if last_slot is not None else None
    for offset in range(9):
        day = start + timedelta(days=offset)
        if not prefs.has_day(day) or (last_date is not None and day <= last_date):
            continue
        slot = _at(day, prefs.time, tz)
        if slot > after:
            return slot
    return None  # pragma: no cover - 9 days always hold a chosen weekday


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


# What one slot sends -----------------------------------------------------------------------
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


@dataclass(frozen=True)
class SlotPlan:
    lessons: tuple[tuple[str, str], ...] = ()  # (series id, lesson id) to deliver
    finished: tuple[str, ...] = ()  # series whose last lesson was delivered: send the recap
    reviews_due: int = 0  # mention the reviews due (in a drip or as a nudge)
    reminder: str | None = None  # lesson id to suggest in an idle reminder
    suggestions: tuple[str, ...] = field(default=())  # series to take next after a recap

    @property
    def kind(self) -> str | None:
        if self.lessons or self.finished:
            return "drip"
        if self.reviews_due:
            return "review"
        if self.reminder:
            return "reminder"
        return None

    @property
    def is_nudge(self) -> bool:
        return self.kind in ("review", "reminder")


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


def plan_slot(catalog: Catalog, state: LearnerState, now: datetime) -> SlotPlan:
    """What the slot due at ``now`` sends: one message at most (see the module's rules)."""
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
    if lessons or finished:
        suggestions = suggest_series(catalog, state.language, state) if finished else ()
        return SlotPlan(tuple(lessons), tuple(finished), state.reviews_due, None, suggestions)
    if not may_nudge(state, now):
        return SlotPlan()
    if state.reviews_due:
        return SlotPlan(reviews_due=state.reviews_due)
    if state.has_progress and now - state.last_seen >= IDLE_AFTER:
        suggestion = _reminder_lesson(catalog, state)
        if suggestion is not None:
            return SlotPlan(reminder=suggestion)
    return SlotPlan()


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


def in_training(subscriptions: Sequence[Subscription], has_cards: bool, has_progress: bool) -> bool:
    """Whether a learner has a daily slot at all."""
    return has_progress or has_cards or any(s.status == "active" for s in subscriptions)


# Streaks ----------------------------------------------------------------------------------
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
