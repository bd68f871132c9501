"""The daily slot as plain functions: next slots across DST, quiet hours, what a slot sends."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.app import load_catalog
from bot.services.schedule import (
    ALL_DAYS,
    ON_TIME,
    QUICK_ZONES,
    WEEKDAYS,
    LearnerState,
    Prefs,
    Subscription,
    best_streak,
    counts_for,
    nearest_allowed,
    next_slot,
    out_of_quiet,
    parse_quiet,
    parse_time,
    parse_zone,
    plan_slot,
    quick_zones,
    quiet_contains,
    slot_on,
    streak,
    zone,
)

CATALOG = load_catalog()
KYIV = "Europe/Kyiv"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def kyiv(prefs_time: str = "09:00", days: int = ALL_DAYS, **kw: object) -> Prefs:
    return Prefs(timezone=KYIV, time=parse_time(prefs_time), days=days, **kw)  # type: ignore[arg-type]


# next_slot ------------------------------------------------------------------------------
def test_next_slot_is_the_local_time_on_a_chosen_day():
    monday_noon = utc(2026, 11, 23, 10)  # 12:00 in Kyiv (UTC+2 in winter)
    assert next_slot(kyiv(), monday_noon) == utc(2026, 11, 24, 7)  # Tuesday 09:00 local
    assert next_slot(kyiv("13:00"), monday_noon) == utc(2026, 11, 23, 11)  # later today
    friday_evening = utc(2026, 11, 27, 18)
    assert next_slot(kyiv(days=WEEKDAYS), friday_evening) == utc(2026, 11, 30, 7)  # Monday
    assert next_slot(kyiv(days=0), monday_noon) is None


def test_slot_keeps_local_time_across_dst():
    # Kyiv: summer time from 2026-03-29 03:00, winter time from 2026-10-25 04:00.
    assert next_slot(kyiv(), utc(2026, 3, 28, 0)) == utc(2026, 3, 28, 7)  # 09:00 EET
    assert next_slot(kyiv(), utc(2026, 3, 28, 8)) == utc(2026, 3, 29, 6)  # 09:00 EEST
    assert next_slot(kyiv(), utc(2026, 10, 24, 8)) == utc(2026, 10, 25, 7)  # 09:00 EET again


NO_QUIET = {"quiet_start": None, "quiet_end": None}  # a night-time slot without quiet hours


def test_a_time_skipped_by_spring_forward_moves_forward():
    slot = next_slot(kyiv("03:30", **NO_QUIET), utc(2026, 3, 28, 12))
    assert slot == utc(2026, 3, 29, 1, 30)  # 04:30 summer time, an hour "late" like the clock
    assert slot.astimezone(zone(KYIV)).hour == 4


def test_an_ambiguous_time_on_fall_back_day_is_taken_once():
    first = next_slot(kyiv("03:30", **NO_QUIET), utc(2026, 10, 24, 12))
    assert first == utc(2026, 10, 25, 0, 30)  # the first 03:30 (summer time)
    after = next_slot(kyiv("03:30", **NO_QUIET), first, last_slot=first)
    assert after == utc(2026, 10, 26, 1, 30)  # not the second 03:30 an hour later


def test_never_two_slots_on_one_local_date_after_a_change():
    delivered = utc(2026, 11, 23, 7)  # 09:00 Kyiv
    later_today = kyiv("18:00")
    assert next_slot(later_today, utc(2026, 11, 23, 8), last_slot=delivered) == utc(
        2026, 11, 24, 16
    )
    # moving to a zone where "today" still has an 18:00 ahead does not add a second lesson
    lisbon = Prefs(timezone="Europe/Lisbon", time=18 * 60, days=ALL_DAYS)
    slot = next_slot(lisbon, utc(2026, 11, 23, 8), last_slot=delivered)
    assert slot == utc(2026, 11, 24, 18)


def test_fixed_offsets_and_unknown_zones():
    assert next_slot(Prefs("UTC+05:30", 9 * 60, ALL_DAYS), utc(2026, 1, 1)) == utc(
        2026, 1, 1, 3, 30
    )
    assert zone("Mars/Olympus") == UTC  # a stored name that vanished never crashes


# quiet hours ----------------------------------------------------------------------------
def test_quiet_hours_across_midnight():
    prefs = kyiv(quiet_start=22 * 60, quiet_end=8 * 60)
    assert prefs.in_quiet(23 * 60) and prefs.in_quiet(7 * 60 + 59)
    assert not prefs.in_quiet(8 * 60) and not prefs.in_quiet(21 * 60 + 59)
    assert out_of_quiet(prefs, utc(2026, 11, 23, 21, 30)) == utc(2026, 11, 24, 6)  # 23:30 -> 08:00
    assert out_of_quiet(prefs, utc(2026, 11, 24, 3)) == utc(2026, 11, 24, 6)  # 05:00 -> 08:00
    noon = utc(2026, 11, 24, 10)
    assert out_of_quiet(prefs, noon) == noon
    off = kyiv(quiet_start=None, quiet_end=None)
    assert out_of_quiet(off, utc(2026, 11, 23, 23)) == utc(2026, 11, 23, 23)


def deliveries(prefs: Prefs, start: datetime, n: int, late: timedelta = timedelta(minutes=1)):
    """The first ``n`` deliveries of the engine's rule, each sent ``late`` after its slot."""
    slot, sent = next_slot(prefs, start), []
    for _ in range(n):
        sent.append(slot)
        slot = next_slot(prefs, slot + late, counts_for(prefs, slot + late))
    return [moment.astimezone(prefs.tz).strftime("%a %d %H:%M") for moment in sent]


def test_an_evening_time_in_quiet_hours_gives_every_chosen_day_its_lesson():
    # the review's case: 22:30 in Kyiv, quiet hours 22:00-08:00, Monday to Friday. Each
    # day's lesson waits for the next morning, and the next day's own lesson still comes.
    prefs = kyiv("22:30", days=WEEKDAYS, quiet_start=22 * 60, quiet_end=8 * 60)
    monday_noon = utc(2026, 11, 23, 10)
    assert deliveries(prefs, monday_noon, 7) == [
        "Tue 24 08:00",  # Monday's
        "Wed 25 08:00",  # Tuesday's
        "Thu 26 08:00",
        "Fri 27 08:00",
        "Sat 28 08:00",  # Friday's; Saturday and Sunday are not chosen
        "Tue 01 08:00",  # next Monday's
        "Wed 02 08:00",
    ]
    assert slot_on(prefs, date(2026, 11, 23)) == utc(2026, 11, 24, 6)
    # Monday 23:00: Monday's lesson is still to come, tomorrow morning
    assert next_slot(prefs, utc(2026, 11, 23, 21)) == utc(2026, 11, 24, 6)


def test_a_time_in_quiet_hours_that_end_the_same_day_waits_for_their_end():
    early = kyiv("06:00", quiet_start=23 * 60, quiet_end=7 * 60)  # after midnight: same day
    assert deliveries(early, utc(2026, 11, 23, 10), 3) == [
        "Tue 24 07:00",
        "Wed 25 07:00",
        "Thu 26 07:00",
    ]
    lunch = kyiv("13:30", quiet_start=13 * 60, quiet_end=14 * 60)  # not across midnight
    assert deliveries(lunch, utc(2026, 11, 23, 10), 2) == ["Mon 23 14:00", "Tue 24 14:00"]


def test_a_slot_sent_just_after_midnight_still_lets_the_next_day_have_its_own():
    prefs = kyiv("23:50", quiet_start=None, quiet_end=None)
    assert deliveries(prefs, utc(2026, 11, 23, 10), 3, late=timedelta(minutes=20)) == [
        "Mon 23 23:50",  # sent at 00:10 on Tuesday
        "Tue 24 23:50",
        "Wed 25 23:50",
    ]
    slot = utc(2026, 11, 23, 21, 50)
    assert counts_for(prefs, slot + ON_TIME) == slot
    three_hours_later = slot + ON_TIME + timedelta(seconds=1)
    assert counts_for(prefs, three_hours_later) == three_hours_later  # a catch-up


def test_a_slot_that_slipped_into_quiet_hours_still_counts_for_its_day():
    prefs = kyiv("21:55", quiet_start=22 * 60, quiet_end=8 * 60)
    slot = utc(2026, 11, 23, 19, 55)  # Monday 21:55; the drain reaches it at 22:05
    assert out_of_quiet(prefs, slot + timedelta(minutes=10)) == utc(2026, 11, 24, 6)
    sent = utc(2026, 11, 24, 6, 1)  # it waited for 08:00: 6 minutes late, quiet hours aside
    assert counts_for(prefs, sent) == slot
    assert next_slot(prefs, sent, counts_for(prefs, sent)) == utc(2026, 11, 24, 19, 55)


def test_a_late_catch_up_stands_in_for_the_day_it_is_sent_on():
    prefs = kyiv("09:00")  # default quiet hours 22:00-08:00
    sent = utc(2026, 11, 27, 6, 30)  # the bot was down from Monday until Friday 08:30
    assert counts_for(prefs, sent) == sent  # Thursday's 09:00 was 13 awake hours ago
    assert next_slot(prefs, sent, counts_for(prefs, sent)) == utc(2026, 11, 28, 7)  # not Fri 09:00


# parsing --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9", 540),
        ("09:30", 570),
        ("9.30", 570),
        ("21h", 1260),
        ("7 pm", 1140),
        ("12 am", 0),
        ("24:00", None),
        ("9:60", None),
        ("soon", None),
        ("", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Kyiv", "Europe/Kyiv"),
        ("europe/kiev", "Europe/Kyiv"),
        ("Kyiv", "Europe/Kyiv"),
        ("berlin", "Europe/Berlin"),
        ("New York", "America/New_York"),
        ("UTC+3", "UTC+03:00"),
        ("gmt-4:30", "UTC-04:30"),
        ("+05:45", "UTC+05:45"),
        ("utc", "UTC"),
        ("UTC+0", "UTC"),
        ("UTC+15", None),
        ("Qwertyland", None),
        ("x" * 100, None),
        ("Київ", "Europe/Kyiv"),
        ("Нью-Йорк", "America/New_York"),
        ("EST", None),  # hides summer time: a choice of region zones, never stored as is
        ("CET", None),
        ("Portland", None),  # several zones: the learner chooses
    ],
)
def test_parse_zone(text, expected):
    assert parse_zone(text) == expected


def test_every_quick_zone_is_known():
    assert all(parse_zone(name) == name for name in QUICK_ZONES)


def test_quick_picks_per_language_keep_their_button_indexes():
    for language in ("en", "ru", "uk"):
        picks = quick_zones(language)
        assert picks[-1] == (QUICK_ZONES.index("UTC"), "UTC")
        assert all(QUICK_ZONES[i] == name for i, name in picks)
        assert len({name for _, name in picks}) == len(picks)
    assert "Europe/Moscow" not in {name for _, name in quick_zones("uk")}
    assert quick_zones("uk")[0][1] == "Europe/Kyiv" and quick_zones("en")[0][1] == "Europe/London"
    assert QUICK_ZONES[:10] == (  # indexes on buttons already sent never change meaning
        "Europe/Kyiv", "Europe/Warsaw", "Europe/Berlin", "Europe/London", "Europe/Moscow",
        "Asia/Almaty", "Asia/Tbilisi", "Europe/Chisinau", "Asia/Tashkent", "UTC",
    )  # fmt: skip


def test_parse_quiet():
    assert parse_quiet("22-8") == (1320, 480)
    assert parse_quiet("22:00 – 07:30") == (1320, 450)
    assert parse_quiet("off") == "off" and parse_quiet("ні") == "off"
    for word in ("выкл", "Выкл.", "нет", "вимк", "вимкнути", "ні", "no"):
        assert parse_quiet(word) == "off", word
    assert parse_quiet("22-22") is None and parse_quiet("late") is None


def test_nearest_allowed_time_is_outside_the_quiet_hours():
    prefs = kyiv(quiet_start=22 * 60, quiet_end=8 * 60)
    assert nearest_allowed(prefs, 7 * 60 + 30) == 8 * 60  # closer to the end
    assert nearest_allowed(prefs, 22 * 60 + 30) == 21 * 60 + 30  # just before they begin
    assert nearest_allowed(prefs, 12 * 60) == 12 * 60  # not quiet: unchanged
    for minutes in range(0, 24 * 60, 15):
        assert not prefs.in_quiet(nearest_allowed(prefs, minutes))
    day = kyiv(quiet_start=13 * 60, quiet_end=14 * 60)  # not across midnight
    assert nearest_allowed(day, 13 * 60 + 45) == 14 * 60
    assert quiet_contains(22 * 60, 8 * 60, 7 * 60) and not quiet_contains(None, None, 7 * 60)


# what a slot sends ------------------------------------------------------------------------
NOW = utc(2026, 11, 23, 7)


def state(**kw: object) -> LearnerState:
    base = dict(
        prefs=kyiv(),
        language="en",
        subscriptions=(),
        opened=frozenset(),
        completed=frozenset(),
        reviews_due=0,
        last_seen=NOW - timedelta(hours=1),
        last_nudge_at=None,
        ignored_nudges=0,
        has_progress=True,
    )
    base.update(kw)
    return LearnerState(**base)  # type: ignore[arg-type]


def sub(series_id: str, status: str = "active", minutes: int = 0) -> Subscription:
    return Subscription(series_id, status, NOW - timedelta(days=10) + timedelta(minutes=minutes))


def test_drip_takes_the_next_unread_lesson_of_each_active_series_in_one_plan():
    opened = frozenset({"all-is-fine", "nominal-leader"})
    plan = plan_slot(
        CATALOG,
        state(
            subscriptions=(
                sub("why-cx-fails"),
                sub("prejudices", minutes=1),
                sub("resistance", "paused"),
            ),
            opened=opened,
            reviews_due=2,
        ),
        NOW,
    )
    assert plan.lessons == (("why-cx-fails", "we-know-better"), ("prejudices", "too-big"))
    assert plan.kind == "drip" and plan.reviews_due == 2 and not plan.is_nudge


def test_a_series_whose_lessons_are_all_delivered_is_finished_with_suggestions():
    lessons = [lesson.id for lesson in CATALOG.series("en", "prejudices").lessons]
    plan = plan_slot(
        CATALOG, state(subscriptions=(sub("prejudices"),), opened=frozenset(lessons)), NOW
    )
    assert plan.finished == ("prejudices",) and plan.lessons == ()
    assert plan.suggestions and "prejudices" not in plan.suggestions


def test_reviews_due_without_a_drip_make_a_review_nudge():
    plan = plan_slot(CATALOG, state(reviews_due=3), NOW)
    assert plan.kind == "review" and plan.is_nudge


def test_idle_learner_gets_a_reminder_of_the_next_lesson():
    idle = state(opened=frozenset({"all-is-fine"}), last_seen=NOW - timedelta(days=4))
    assert plan_slot(CATALOG, idle, NOW).reminder == "nominal-leader"
    recent = state(opened=frozenset({"all-is-fine"}), last_seen=NOW - timedelta(days=1))
    assert plan_slot(CATALOG, recent, NOW).kind is None


def test_no_idle_reminder_after_an_unsubscribe_or_while_a_series_is_paused():
    idle = dict(opened=frozenset({"all-is-fine"}), last_seen=NOW - timedelta(days=4))
    left = state(**idle, unsubscribed=True)
    assert plan_slot(CATALOG, left, NOW).kind is None  # it would push the series they left
    paused = state(**idle, subscriptions=(sub("why-cx-fails", "paused"),))
    assert plan_slot(CATALOG, paused, NOW).kind is None  # they asked for quiet
    # reviews they have due are still mentioned: those are their own answers
    assert plan_slot(CATALOG, state(**idle, unsubscribed=True, reviews_due=2), NOW).kind == (
        "review"
    )
    finished = state(**idle, subscriptions=(sub("why-cx-fails", "finished"),))
    assert plan_slot(CATALOG, finished, NOW).reminder is not None  # done, not opted out


def test_nudges_stop_after_three_ignored_and_never_twice_a_day():
    assert plan_slot(CATALOG, state(reviews_due=1, ignored_nudges=3), NOW).kind is None
    nudged = state(reviews_due=1, last_nudge_at=NOW - timedelta(hours=5))
    assert plan_slot(CATALOG, nudged, NOW).kind is None
    # ...but a subscribed drip still comes: the learner asked for it
    drip = state(subscriptions=(sub("why-cx-fails"),), reviews_due=1, ignored_nudges=5)
    assert plan_slot(CATALOG, drip, NOW).kind == "drip"


def test_withdrawn_series_sends_nothing():
    assert plan_slot(CATALOG, state(subscriptions=(sub("gone-series"),)), NOW).kind is None


# streaks --------------------------------------------------------------------------------
def test_streaks():
    days = [date(2026, 11, d) for d in (1, 2, 3, 10, 20, 21, 22)]
    assert streak(days, date(2026, 11, 22)) == 3
    assert streak(days, date(2026, 11, 23)) == 3  # today is not over yet
    assert streak(days, date(2026, 11, 24)) == 0
    assert best_streak(days) == 3 and best_streak([]) == 0


# the properties: one lesson per chosen weekday, never a slot twice -------------------------
zones = st.sampled_from(
    [
        "Europe/Kyiv",
        "Europe/London",
        "America/New_York",
        "America/Santiago",  # DST changes at midnight
        "Asia/Almaty",
        "UTC+05:30",
        "Australia/Lord_Howe",  # half-hour DST
    ]
)
times = st.one_of(
    st.integers(0, 24 * 60 - 1),
    st.sampled_from(
        [22 * 60 + 30, 23 * 60 + 59, 0, 2 * 60 + 30, 6 * 60, 7 * 60 + 30, 21 * 60 + 55]
    ),
)
quiet_hours = st.one_of(
    st.just((None, None)),
    st.sampled_from([(22 * 60, 8 * 60), (23 * 60, 7 * 60), (0, 6 * 60), (13 * 60, 14 * 60)]),
    # any range up to 16 hours (the replay ticks every few minutes to hours; with only a
    # minute awake a day, ticks that far apart would keep missing it)
    st.tuples(st.integers(0, 24 * 60 - 1), st.integers(1, 16 * 60)).map(
        lambda q: (q[0], (q[0] + q[1]) % (24 * 60))
    ),
)


@st.composite
def prefs_strategy(draw) -> Prefs:
    quiet_start, quiet_end = draw(quiet_hours)
    return Prefs(draw(zones), draw(times), draw(st.integers(1, ALL_DAYS)), quiet_start, quiet_end)


@dataclass(frozen=True)
class Sent:
    slot: datetime  # the claim's slot
    at: datetime
    counts_for: datetime
    prefs: Prefs


def replay(prefs: Prefs, now: datetime, steps) -> list[Sent]:
    """The delivery engine's rule (bot/delivery.py), over ticks, downtimes and changes."""
    slot, last, sent = next_slot(prefs, now), None, []
    for gap, change in steps:
        now += gap
        if change is not None:  # training.update_prefs
            prefs = change
            slot = next_slot(prefs, now, last)
        if slot is None or slot > now:
            continue
        ready = out_of_quiet(prefs, now)
        if ready > now:  # deferred to the end of the quiet hours
            slot = ready
            continue
        last = counts_for(prefs, now)
        sent.append(Sent(slot, now, last, prefs))
        slot = next_slot(prefs, now, last)
    return sent


def lesson_of(prefs: Prefs, day: date) -> datetime:
    """When ``day``'s lesson is due, worked out by hand: its local time (a time skipped by
    spring-forward moves on with the clock), or, within quiet hours, when they end."""
    tz, qs, qe = prefs.tz, prefs.quiet_start, prefs.quiet_end
    moment = datetime.combine(day, dtime(prefs.time // 60, prefs.time % 60), tzinfo=tz)
    moment = moment.astimezone(UTC)
    local = moment.astimezone(tz)
    minutes = local.hour * 60 + local.minute
    if qs is None or qe is None:
        return moment
    if qs < qe:
        quiet, next_morning = qs <= minutes < qe, False
    else:
        quiet, next_morning = minutes >= qs or minutes < qe, minutes >= qs
    if not quiet:
        return moment
    end_day = local.date() + timedelta(days=1 if next_morning else 0)
    end = datetime.combine(end_day, dtime(qe // 60, qe % 60), tzinfo=tz).astimezone(UTC)
    return max(moment, end)


def quiet_at(prefs: Prefs, moment: datetime) -> bool:
    local = moment.astimezone(prefs.tz)
    return prefs.in_quiet(local.hour * 60 + local.minute)


@settings(max_examples=300, deadline=None)
@given(
    prefs=prefs_strategy(),
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1)),
    weeks=st.integers(2, 5),
    # minutes between ticks (the bot ticks every few seconds; a drain may lag an hour)
    gaps=st.lists(st.integers(1, 60), min_size=1, max_size=20),
)
@example(  # the review's case: 22:30 in Kyiv, default quiet hours, across both DST changes
    prefs=Prefs("Europe/Kyiv", 22 * 60 + 30, WEEKDAYS, 22 * 60, 8 * 60),
    start=datetime(2026, 3, 20),
    weeks=3,
    gaps=[1],
)
@example(
    prefs=Prefs("Europe/Kyiv", 22 * 60 + 30, ALL_DAYS, 22 * 60, 8 * 60),
    start=datetime(2026, 10, 18),
    weeks=2,
    gaps=[7, 50],
)
@example(
    prefs=Prefs("America/Santiago", 23 * 60 + 30, ALL_DAYS, 23 * 60, 30),
    start=datetime(2026, 8, 30),
    weeks=2,
    gaps=[13],
)
@example(
    prefs=Prefs("Australia/Lord_Howe", 2 * 60 + 15, ALL_DAYS, None, None),
    start=datetime(2026, 9, 28),
    weeks=2,
    gaps=[5],
)
@example(
    prefs=Prefs("UTC", 21 * 60 + 55, WEEKDAYS, 22 * 60, 8 * 60),  # drained after 22:00
    start=datetime(2026, 11, 23),
    weeks=2,
    gaps=[15],
)
def test_every_chosen_weekday_gets_one_lesson_and_no_other_day_does(prefs, start, weeks, gaps):
    """Weeks of ticks with unchanged settings, whatever the time, zone, DST and quiet hours."""
    begin = start.replace(tzinfo=UTC)
    steps = []
    elapsed = timedelta(0)
    for minutes in itertools.cycle(gaps):
        elapsed += timedelta(minutes=minutes)
        if elapsed > timedelta(weeks=weeks):
            break
        steps.append((timedelta(minutes=minutes), None))
    end = begin + sum((gap for gap, _ in steps), timedelta(0))
    sent = replay(prefs, begin, steps)
    first = begin.astimezone(prefs.tz).date() - timedelta(days=2)
    days = [first + timedelta(days=n) for n in range(weeks * 7 + 5)]
    expected = [
        lesson_of(prefs, day)
        for day in days
        if prefs.has_day(day) and begin < lesson_of(prefs, day) <= end
    ]
    counted = [s.counts_for for s in sent]
    assert counted == expected[: len(counted)]  # one per chosen day, in order, none on others
    held_back = timedelta(hours=24 + 3)  # a night's quiet hours, and a tick
    assert len(counted) >= sum(1 for due in expected if due <= end - held_back)  # none lost
    for s in sent:
        assert s.at >= s.counts_for and not quiet_at(prefs, s.at)
    for before, after in itertools.pairwise(sent):
        day_of = lambda moment: moment.astimezone(prefs.tz).date()  # noqa: E731
        if day_of(before.at) == day_of(after.at):  # two on one local date only when the
            # first is the day before's, late (held by quiet hours, or drained after midnight)
            assert day_of(before.counts_for) < day_of(before.at)
            assert day_of(after.counts_for) == day_of(after.at)


events = st.lists(
    st.tuples(
        st.floats(min_value=1, max_value=60 * 60 * 60).map(lambda s: timedelta(seconds=s)),
        st.one_of(st.none(), prefs_strategy()),  # a settings change at that moment
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(
    prefs=prefs_strategy(),
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1)),
    steps=events,
)
def test_no_schedule_ever_delivers_a_slot_twice_or_twice_on_a_local_date(prefs, start, steps):
    """Random ticks, downtimes (up to 60 hours) and changes of time, days, zone and quiet
    hours: never a slot twice, never in quiet hours, never two lessons for one local date,
    one catch-up after downtime."""
    sent = replay(prefs, start.replace(tzinfo=UTC), steps)
    slots = [s.slot for s in sent]
    assert len(slots) == len(set(slots))
    assert slots == sorted(slots)
    for s in sent:
        assert s.slot <= s.at and s.counts_for <= s.at and not quiet_at(s.prefs, s.at)
    for before, after in itertools.pairwise(sent):
        tz = after.prefs.tz
        assert after.counts_for.astimezone(tz).date() > before.counts_for.astimezone(tz).date()
        assert after.slot > before.at  # downtime: one catch-up, the next slot is a new one
