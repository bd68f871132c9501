"""Commitments: taken on, followed up a few working days later in the daily slot (before the
day's lesson, under the nudge rules), answered once, "not yet" asked again once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.services import commitments
from bot.services.commitments import NOTE_LIMIT, follow_up_at, working_days_later
from bot.services.env import Env, Gone
from bot.services.schedule import (
    MAX_IGNORED_NUDGES,
    RETAKE_AFTER,
    LearnerState,
    Prefs,
    Subscription,
    plan_slot,
)
from content.model import Catalog
from tests import lessons
from tests.hermetic import Clock, HermeticSettings

KYIV = ZoneInfo("Europe/Kyiv")
FRIDAY = datetime(2026, 12, 4, 16, tzinfo=UTC)  # 18:00 in Kyiv


def _catalog() -> Catalog:
    return lessons.catalog({"en": [lessons.lesson("silos"), lessons.lesson("quick-wins")]})


async def _setup(db, now: datetime = FRIDAY):
    clock = Clock(now)
    env = Env(HermeticSettings(), db, _catalog(), clock)
    await db.touch_user(1, "Ann", "en", now)
    await db.set_prefs(1, None, timezone="Europe/Kyiv")
    return env, await db.get_user(1), clock


def test_working_days_skip_the_weekend_in_the_learners_zone():
    assert working_days_later(FRIDAY, 3, KYIV) == date(2026, 12, 9)  # Fri -> Wed
    late_sunday_utc = datetime(2026, 12, 6, 22, 30, tzinfo=UTC)  # Monday 00:30 in Kyiv
    assert working_days_later(late_sunday_utc, 3, KYIV) == date(2026, 12, 10)  # Mon -> Thu
    asked = follow_up_at(FRIDAY, KYIV)
    assert asked == datetime(2026, 12, 9, tzinfo=KYIV)  # the start of that local day


async def test_taking_on_an_action_schedules_one_follow_up(db):
    env, user, _ = await _setup(db)
    taken = await commitments.commit(env, user, "en", "silos", True)
    assert taken.ask_on == date(2026, 12, 9)
    again = await commitments.commit(env, user, "en", "silos", True)  # a second tap
    assert again.commitment.id == taken.commitment.id
    declined = await commitments.commit(env, user, "en", "quick-wins", False)
    assert declined.commitment.status == "declined" and declined.ask_on is None
    journal = await db.commitments(1)
    assert [c.lesson_id for c in journal] == ["silos"]  # "not now" is no commitment
    with pytest.raises(Gone):
        await commitments.commit(env, user, "en", "no-such-lesson", True)


async def test_the_follow_up_is_due_on_its_day_and_asked_once(db):
    env, user, _ = await _setup(db)
    taken = await commitments.commit(env, user, "en", "silos", True)
    assert await db.follow_up_due(1, datetime(2026, 12, 8, 21, 59, tzinfo=UTC)) is None
    due = await db.follow_up_due(1, datetime(2026, 12, 8, 22, 0, tzinfo=UTC))  # 00:00 Kyiv
    assert due is not None and due.id == taken.commitment.id
    asked = await db.mark_asked(due.id)
    assert asked.asked == 1 and asked.follow_up_at is None
    assert await db.mark_asked(due.id) is None  # never counted twice
    assert await db.follow_up_due(1, FRIDAY + timedelta(days=30)) is None


async def test_done_asks_for_a_note_kept_as_written_and_answers_once(db):
    env, user, clock = await _setup(db)
    taken = await commitments.commit(env, user, "en", "silos", True)
    clock.now = datetime(2026, 12, 9, 8, tzinfo=UTC)
    done = await commitments.follow_up(env, user, "en", taken.commitment.id, "done")
    assert done.ask_note and done.commitment.status == "done"
    me = await db.get_user(1)
    assert me.awaiting == f"n:{taken.commitment.id}"
    stale = await commitments.follow_up(env, me, "en", taken.commitment.id, "failed")
    assert stale.already and stale.commitment.status == "done"
    noted = await commitments.note(env, me, "Called 5 clients <i>myself</i> " + "!" * NOTE_LIMIT)
    assert noted.cut and noted.commitment.note.startswith("Called 5 clients <i>myself</i>")
    assert len(noted.commitment.note) == NOTE_LIMIT
    assert (await db.get_user(1)).awaiting is None


async def test_not_yet_asks_again_once_then_closes(db):
    env, user, clock = await _setup(db)
    taken = await commitments.commit(env, user, "en", "silos", True)
    clock.now = datetime(2026, 12, 9, 8, tzinfo=UTC)  # Wednesday
    later = await commitments.follow_up(env, user, "en", taken.commitment.id, "later")
    assert later.commitment.status == "later" and later.ask_on == date(2026, 12, 14)
    assert not later.ask_note
    clock.now = datetime(2026, 12, 14, 8, tzinfo=UTC)
    assert (await db.follow_up_due(1, clock.now)).id == taken.commitment.id
    closed = await commitments.follow_up(env, user, "en", taken.commitment.id, "later")
    assert closed.commitment.status == "not_yet" and closed.ask_on is None
    assert await db.follow_up_due(1, clock.now + timedelta(days=30)) is None


async def test_someone_elses_commitment_is_gone(db):
    env, user, _ = await _setup(db)
    taken = await commitments.commit(env, user, "en", "silos", True)
    other, _ = await db.touch_user(2, "Bob", "en", FRIDAY)
    with pytest.raises(Gone):
        await commitments.follow_up(env, other, "en", taken.commitment.id, "done")
    assert (await db.commitment(taken.commitment.id, 1)).status == "open"


def _state(**changes) -> LearnerState:
    base = dict(
        prefs=Prefs(timezone="Europe/Kyiv"),
        language="en",
        subscriptions=(Subscription("series-0", "active", FRIDAY),),
        opened=frozenset(),
        completed=frozenset(),
        reviews_due=2,
        last_seen=FRIDAY,
        last_nudge_at=None,
        ignored_nudges=0,
        has_progress=True,
    )
    return LearnerState(**{**base, **changes})


def test_a_due_follow_up_takes_the_slot_before_the_days_lesson():
    catalog = _catalog()
    plan = plan_slot(catalog, _state(follow_up=(7, "silos")), FRIDAY)
    assert plan.follow_up == (7, "silos") and not plan.lessons and plan.is_nudge
    assert plan.kind == "follow_up"


def test_the_nudge_rules_hold_for_follow_ups_and_retakes():
    catalog = _catalog()
    quiet = _state(follow_up=(7, "silos"), ignored_nudges=MAX_IGNORED_NUDGES)
    assert plan_slot(catalog, quiet, FRIDAY).lessons  # the drip goes on, the question waits
    nudged = _state(follow_up=(7, "silos"), last_nudge_at=FRIDAY - timedelta(hours=2))
    assert plan_slot(catalog, nudged, FRIDAY).follow_up is None
    gone = _state(follow_up=(7, "no-such-lesson"))
    assert plan_slot(catalog, gone, FRIDAY).follow_up is None  # never an empty question


def test_a_retake_is_offered_thirty_days_after_an_assessment_once():
    catalog = _catalog()
    assessed = FRIDAY - RETAKE_AFTER
    due = _state(assessed_at=assessed, assessment_id=4)
    assert plan_slot(catalog, due, FRIDAY).retake == 4
    early = _state(assessed_at=assessed + timedelta(hours=1), assessment_id=4)
    assert plan_slot(catalog, early, FRIDAY).retake is None
    offered = _state(assessed_at=assessed, assessment_id=4, retake_offered=True)
    assert plan_slot(catalog, offered, FRIDAY).retake is None
    both = _state(assessed_at=assessed, assessment_id=4, follow_up=(7, "silos"))
    assert plan_slot(catalog, both, FRIDAY).follow_up  # one message: the follow-up first
