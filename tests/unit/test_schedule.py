"""The daily slot as plain functions: next slots across DST, quiet hours, what a slot sends."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import load_catalog
from bot.services.schedule import (
    ALL_DAYS,
    QUICK_ZONES,
    WEEKDAYS,
    LearnerState,
    Prefs,
    Subscription,
    best_streak,
    nearest_allowed,
    next_slot,
    out_of_quiet,
    parse_quiet,
    parse_time,
    parse_zone,
    plan_slot,
    quick_zones,
    quiet_contains,
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


def test_a_time_skipped_by_spring_forward_moves_forward():
    slot = next_slot(kyiv("03:30"), utc(2026, 3, 28, 12))
    assert slot == utc(2026, 3, 29, 1, 30)  # 04:30 summer time, an hour "late" like the clock
    assert slot.astimezone(zone(KYIV)).hour == 4


def test_an_ambiguous_time_on_fall_back_day_is_taken_once():
    first = next_slot(kyiv("03:30"), utc(2026, 10, 24, 12))
    assert first == utc(2026, 10, 25, 0, 30)  # the first 03:30 (summer time)
    after = next_slot(kyiv("03:30"), first, last_slot=first)
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


# the property: no slot is ever delivered twice ---------------------------------------------
zones = st.sampled_from(
    [
        "Europe/Kyiv",
        "Europe/London",
        "America/New_York",
        "Asia/Almaty",
        "UTC+05:30",
        "Australia/Lord_Howe",
    ]
)
prefs_strategy = st.builds(
    Prefs,
    timezone=zones,
    time=st.integers(0, 24 * 60 - 1),
    days=st.integers(1, ALL_DAYS),
    quiet_start=st.none(),
    quiet_end=st.none(),
)
events = st.lists(
    st.tuples(
        st.floats(min_value=1, max_value=60 * 60 * 60),  # seconds to the next tick (downtime too)
        st.one_of(st.none(), prefs_strategy),  # a settings change at that moment
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(
    prefs=prefs_strategy,
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1)),
    steps=events,
)
def test_no_schedule_ever_delivers_a_slot_twice_or_twice_on_a_local_date(prefs, start, steps):
    """The delivery engine's rule, replayed over random clocks, downtimes and changes."""
    now = start.replace(tzinfo=UTC)
    slot = next_slot(prefs, now)
    last: datetime | None = None
    delivered: list[tuple[datetime, datetime, Prefs]] = []  # (slot, sent at, prefs then)
    for gap, change in steps:
        now += timedelta(seconds=gap)
        if change is not None:
            prefs = change
            slot = next_slot(prefs, now, last)
        if slot is not None and slot <= now:
            delivered.append((slot, now, prefs))
            last = now
            slot = next_slot(prefs, now, last)
    slots = [s for s, _, _ in delivered]
    assert len(slots) == len(set(slots))
    assert slots == sorted(slots)
    for (_, sent_before, _), (_, sent, prefs_then) in itertools.pairwise(delivered):
        tz = prefs_then.tz
        assert sent.astimezone(tz).date() > sent_before.astimezone(tz).date()
