"""Team assignments: the pace rules, the one reminder, what a manager may see (the privacy
rule, names only by choice), and the storage on both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.services import assignments, mydata, schedule, teams
from bot.services.assignments import (
    Status,
    due_dates,
    expected,
    figures,
    reminder_for,
    status,
    workdays_until,
)
from bot.services.env import Env, Gone
from content.model import Catalog
from domain.records import Assignment, DeliveryOutcome, MemberAssignment, MemberProgress
from tests import lessons
from tests.hermetic import HermeticSettings

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday
MANAGER, CO_MANAGER = 100, 110
MEMBERS = (101, 102, 103, 104)
SERIES = "habits"
LESSONS = ("aa", "bb", "cc", "dd")


def _catalog() -> Catalog:
    series = lessons.series(SERIES, 1, [lessons.lesson(x, i + 1) for i, x in enumerate(LESSONS)])
    other = lessons.series("other", 2, [lessons.lesson("zz", 1)])
    return Catalog(languages={"en": (series, other)})


def _env(db, now: datetime = NOW) -> Env:
    return Env(HermeticSettings(), db, _catalog(), lambda: now)


# The rules -----------------------------------------------------------------------------------
def test_working_days_count_weekdays_after_today_up_to_the_due_date():
    monday = date(2026, 11, 23)
    assert workdays_until(monday, monday + timedelta(days=4)) == 4  # Tue..Fri
    assert workdays_until(monday, monday + timedelta(days=7)) == 5  # the weekend is not
    assert workdays_until(monday, monday) == 0
    assert workdays_until(date(2026, 11, 27), date(2026, 11, 30)) == 1  # Fri -> Mon


def test_an_even_pace_decides_on_track_and_behind():
    start, due = date(2026, 11, 23), date(2026, 12, 3)  # ten days for four lessons
    assert expected(4, start, due, start) == 0
    assert expected(4, start, due, date(2026, 11, 28)) == 2
    assert expected(4, start, due, due) == 4
    assert status(4, 4, start, due, start) is Status.DONE
    assert status(4, 0, start, due, date(2026, 11, 25)) is Status.ON_TRACK  # 0 asked by then
    assert status(4, 1, start, due, date(2026, 11, 28)) is Status.BEHIND
    assert status(4, 2, start, due, date(2026, 11, 28)) is Status.ON_TRACK
    assert status(4, 3, start, due, date(2026, 12, 4)) is Status.BEHIND  # over, not done


def _assigned(due: date, reminded: bool = False) -> MemberAssignment:
    created = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    return MemberAssignment(
        1, 7, "Front office", SERIES, due, created, created if reminded else None
    )


def test_the_reminder_comes_within_three_working_days_when_behind_and_only_once():
    catalog = _catalog()
    due = date(2026, 11, 27)  # Friday; assigned Monday the 16th
    thursday_before = date(2026, 11, 19)
    assert reminder_for(catalog, "en", [_assigned(due)], [], thursday_before) is None  # 6 days
    found = reminder_for(catalog, "en", [_assigned(due)], ["aa"], date(2026, 11, 24))
    assert found is not None and found[1:] == (1, 4)
    # on track, done, reminded already, or past the due date: none
    assert reminder_for(catalog, "en", [_assigned(due)], LESSONS[:3], date(2026, 11, 24)) is None
    assert reminder_for(catalog, "en", [_assigned(due)], LESSONS, date(2026, 11, 24)) is None
    assert reminder_for(catalog, "en", [_assigned(due, True)], [], date(2026, 11, 24)) is None
    assert reminder_for(catalog, "en", [_assigned(due)], [], date(2026, 11, 28)) is None


def test_due_dates_are_one_to_four_weeks_on_working_days():
    assert due_dates(date(2026, 11, 23)) == [
        date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 21)
    ]  # fmt: skip
    saturday = date(2026, 11, 28)
    assert all(d.weekday() == 4 for d in due_dates(saturday))  # moved back to Friday


def _progress(*rows: tuple[str, bool, int]) -> list[MemberProgress]:
    joined = datetime(2026, 11, 1, tzinfo=UTC)
    return [MemberProgress(i, name, shares, joined, done) for i, (name, shares, done) in
            enumerate(rows)]  # fmt: skip


ASSIGNMENT = Assignment(1, 7, SERIES, date(2026, 12, 3), datetime(2026, 11, 23, tzinfo=UTC))


def test_shares_only_from_three_others_and_names_only_by_choice():
    series = _catalog().series("en", SERIES)
    today = date(2026, 11, 28)
    two = figures(ASSIGNMENT, series, _progress(("A", False, 4), ("B", False, 0)), today)
    assert two.shares is None and two.named == []
    four = figures(
        ASSIGNMENT, series,
        _progress(("A", False, 4), ("B", False, 0), ("C", False, 2), ("D", True, 1)),
        today,
    )  # fmt: skip
    # D shares; three keep it to themselves: the shares may show
    assert four.shares == {Status.DONE: 1, Status.ON_TRACK: 1, Status.BEHIND: 2}
    assert four.named == [("D", 1, Status.BEHIND)]
    # two of four share: the other two's statuses would follow from shares minus names
    half = figures(
        ASSIGNMENT, series,
        _progress(("A", True, 4), ("B", True, 0), ("C", False, 2), ("D", False, 1)),
        today,
    )  # fmt: skip
    assert half.shares is None and [n for n, _, _ in half.named] == ["A", "B"]
    everyone = figures(
        ASSIGNMENT, series, _progress(("A", True, 4), ("B", True, 0), ("C", True, 2)), today
    )
    assert everyone.shares is not None and len(everyone.named) == 3


# On the databases ----------------------------------------------------------------------------
async def _team(db, members=MEMBERS):
    for user_id in (MANAGER, CO_MANAGER, *members):
        await db.touch_user(user_id, f"L{user_id}", "en", NOW)
    team = await db.create_team(MANAGER, "Front office", "code123456", NOW)
    for user_id in (CO_MANAGER, *members):
        assert await db.join_team(team.id, user_id, NOW)
    assert await db.add_manager(team.id, CO_MANAGER, MANAGER, NOW)
    return team


async def test_assigning_subscribes_the_members_not_the_managers_and_starts_their_slots(db):
    env = _env(db)
    team = await _team(db)
    await db.set_subscription(101, SERIES, "paused", NOW)  # their own pause stays
    outcome = await assignments.assign(env, await db.get_user(MANAGER), "en", team.id, SERIES, 2)
    assert outcome.step is assignments.Step.ASSIGNED and outcome.members == 4
    assert outcome.assignment.due_on == date(2026, 12, 7)
    for user_id in MEMBERS:
        subs = {s.series_id: s.status for s in await db.subscriptions(user_id)}
        assert subs == {SERIES: "paused" if user_id == 101 else "active"}
        assert (await db.get_user(user_id)).next_slot_at is not None
        mine = await db.my_assignments(user_id)
        assert [(a.team_name, a.series_id, a.due_on) for a in mine] == [
            ("Front office", SERIES, date(2026, 12, 7))
        ]
    for user_id in (MANAGER, CO_MANAGER):
        assert await db.subscriptions(user_id) == [] and await db.my_assignments(user_id) == []
    # assigning it again moves the due date, it does not add a second one
    again = await assignments.assign(env, await db.get_user(CO_MANAGER), "en", team.id, SERIES, 1)
    assert again.assignment.id == outcome.assignment.id
    assert [a.due_on for a in await db.team_assignments(team.id, NOW.date())] == [
        date(2026, 11, 30)
    ]


async def test_only_managers_assign_and_a_late_joiner_takes_the_open_ones(db):
    env = _env(db)
    team = await _team(db, MEMBERS[:2])
    member = await db.get_user(101)
    refused = await assignments.assign(env, member, "en", team.id, SERIES, 2)
    assert refused.step is assignments.Step.REFUSED
    assert await db.team_assignments(team.id, NOW.date()) == []
    with pytest.raises(Gone):
        await assignments.assign(env, await db.get_user(MANAGER), "en", team.id, "nope", 2)
    await assignments.assign(env, await db.get_user(MANAGER), "en", team.id, SERIES, 2)
    await db.touch_user(150, "Late", "en", NOW)
    joined = await teams.join(env, await db.get_user(150), "en", team.code)
    assert joined.new and joined.assigned == [("T", date(2026, 12, 7))]  # the joined screen
    assert [s.series_id for s in await db.subscriptions(150)] == [SERIES]
    assert (await db.get_user(150)).next_slot_at is not None  # their slot starts
    # withdrawn: no longer open, nobody else takes it; subscriptions stay
    current = (await db.team_assignments(team.id, NOW.date()))[0]
    outcome = await assignments.cancel(
        env, await db.get_user(MANAGER), "en", team.id, current.id, True
    )
    assert outcome.step is assignments.Step.MENU and outcome.assignments == []
    assert await db.my_assignments(150) == []
    await db.touch_user(151, "Later", "en", NOW)
    assert await db.join_team(team.id, 151, NOW)
    assert await db.subscriptions(151) == []
    assert [s.series_id for s in await db.subscriptions(150)] == [SERIES]
    with pytest.raises(Gone):
        await assignments.cancel(env, await db.get_user(MANAGER), "en", team.id, current.id, True)


async def test_the_report_counts_others_and_deleting_ones_data_removes_them(db):
    env = _env(db, NOW + timedelta(days=5))  # a Saturday: 1 lesson of 4 asked for by now
    team = await _team(db)
    await assignments.assign(_env(db), await db.get_user(MANAGER), "en", team.id, SERIES, 2)
    for user_id, done in zip(MEMBERS, (4, 2, 0, 1), strict=True):
        for lesson in LESSONS[:done]:
            await db.mark_completed(user_id, lesson, NOW)
        attempt = await db.start_attempt(user_id, "zz", 2, NOW + timedelta(days=4))
        await db.record_answer(attempt.id, user_id, 0, 0, True, NOW + timedelta(days=4))
        await db.record_answer(attempt.id, user_id, 1, 0, user_id % 2 == 0, NOW + timedelta(4))
        assert await db.rate_lesson(user_id, "zz", attempt.id, 4, NOW + timedelta(days=4))
    assert await db.set_sharing(team.id, 104, True, NOW)
    manager = await db.get_user(MANAGER)
    report = await assignments.team_report(env, manager, "en", team)
    (item,) = report.assignments
    assert item.people == 4  # the co-manager manages: not an assignee
    assert item.shares == {Status.DONE: 1, Status.ON_TRACK: 2, Status.BEHIND: 1}
    assert item.named == [("L104", 1, Status.ON_TRACK)]
    assert report.week.answers == 8 and report.week.correct == 6 and report.week.answerers == 4
    assert report.accuracy == 0.75 and report.rating == 4.0
    # one member deletes their data: they count nowhere any more, and 3 are too few once
    # one of them is named and two are not
    await mydata.delete(env, await db.get_user(101))
    after = await assignments.team_report(env, manager, "en", team)
    assert after.assignments[0].people == 3 and after.assignments[0].shares is None
    assert after.week.answerers == 3 and after.week.answers == 6


async def test_the_reminder_is_stored_with_the_slot_it_went_out_in(db):
    team = await _team(db, MEMBERS[:1])
    await assignments.assign(_env(db), await db.get_user(MANAGER), "en", team.id, SERIES, 1)
    (mine,) = await db.my_assignments(101)
    slot = NOW + timedelta(days=1)
    await db.schedule(101, slot)
    await db.claim_due(slot, 10)
    outcome = DeliveryOutcome("sent", kind="deadline", nudge=True, reminded=mine.id)
    await db.finish_delivery(101, slot, outcome, slot)
    (after,) = await db.my_assignments(101)
    assert after.reminded_at == slot
    facts = await db.training_facts(101, slot)
    assert facts.assignments == (after,)


def test_the_slot_plans_the_reminder_alone_or_with_the_days_lesson():
    catalog = _catalog()
    friday = date(2026, 11, 27)
    base = schedule.LearnerState(
        prefs=schedule.Prefs(),
        language="en",
        subscriptions=(schedule.Subscription(SERIES, "finished", NOW - timedelta(days=7)),),
        opened=frozenset(LESSONS),  # every lesson sent, one quiz passed
        completed=frozenset({"aa"}),
        reviews_due=0,
        last_seen=NOW - timedelta(days=1),
        last_nudge_at=None,
        ignored_nudges=0,
        has_progress=True,
        assignments=(_assigned(friday),),
    )
    tuesday = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    alone = schedule.plan_slot(catalog, base, tuesday)
    assert alone.kind == "deadline" and alone.is_nudge and alone.deadline.completed == 1
    # a lesson left to send that day: one message, the lesson with the reminder
    active = (schedule.Subscription(SERIES, "active", NOW - timedelta(days=7)),)
    fresh = replace(base, opened=frozenset({"aa"}), subscriptions=active)
    with_lesson = schedule.plan_slot(catalog, fresh, tuesday)
    assert with_lesson.kind == "drip" and with_lesson.deadline is not None
    assert with_lesson.assigned == ((SERIES, friday, "Front office"),)
    # three nudges ignored: no reminder at all
    quiet = replace(base, ignored_nudges=3)
    assert schedule.plan_slot(catalog, quiet, tuesday).deadline is None


async def test_an_owner_who_deletes_their_data_leaves_the_team_to_a_co_manager(db):
    env = _env(db)
    team = await _team(db)
    await assignments.assign(env, await db.get_user(MANAGER), "en", team.id, SERIES, 2)
    await mydata.delete(env, await db.get_user(MANAGER))
    kept = await db.get_team(team.id)
    assert kept is not None and kept.manager_id == CO_MANAGER
    (assignment,) = await db.team_assignments(team.id, NOW.date())
    assert assignment.assigned_by is None  # who assigned it is forgotten with them
    assert await db.is_manager(team.id, CO_MANAGER) and not await db.is_manager(team.id, MANAGER)
    # the new owner, without co-managers, deletes theirs: the team goes with them
    await mydata.delete(env, await db.get_user(CO_MANAGER))
    assert await db.get_team(team.id) is None
