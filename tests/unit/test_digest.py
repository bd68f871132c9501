"""The weekly digest: its day and hour, the managers' right to choose it, at most once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services import digest
from bot.services.digest import OFF, Step, next_digest
from bot.services.env import Env
from tests.hermetic import HermeticSettings
from tests.unit.test_assignments import MANAGER, _catalog, _team

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday


def _env(db, now: datetime = NOW) -> Env:
    return Env(HermeticSettings(), db, _catalog(), lambda: now)


async def test_the_digest_comes_on_its_weekday_at_the_lesson_time_outside_quiet_hours(db):
    await db.touch_user(MANAGER, "Iryna", "uk", NOW)
    user = await db.get_user(MANAGER)  # Kyiv (guessed from the language), 09:00
    friday = next_digest(user, "uk", 4, NOW)
    assert friday == datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv
    assert next_digest(user, "uk", 0, NOW) == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    await db.set_prefs(MANAGER, None, delivery_time=23 * 60)  # in the quiet hours (22-08)
    late = next_digest(await db.get_user(MANAGER), "uk", 4, NOW)
    assert late == datetime(2026, 11, 28, 6, 0, tzinfo=UTC)  # their end, the next morning


async def test_only_a_manager_chooses_and_off_switches_it_off(db):
    env = _env(db)
    team = await _team(db)
    member = await db.get_user(101)
    assert (await digest.choose(env, member, "en", team.id, 2)).step is Step.REFUSED
    assert (await db.get_user(101)).digest_day is None
    manager = await db.get_user(MANAGER)
    shown = await digest.choose(env, manager, "en", team.id, None)
    assert shown.step is Step.SHOWN and shown.day is None
    chosen = await digest.choose(env, manager, "en", team.id, 2)
    assert chosen.step is Step.SET and chosen.day == 2
    stored = await db.get_user(MANAGER)
    assert stored.digest_day == 2 and stored.next_digest_at == chosen.next_at
    off = await digest.choose(env, stored, "en", team.id, OFF)
    assert off.day is None and (await db.get_user(MANAGER)).next_digest_at is None
    assert (await digest.choose(env, stored, "en", 999, 2)).step is Step.GONE


async def test_a_digest_is_taken_once_and_moves_on_a_week(db):
    team = await _team(db)
    manager = await db.get_user(MANAGER)
    await digest.choose(_env(db), manager, "en", team.id, 0)
    due_at = (await db.get_user(MANAGER)).next_digest_at
    later = _env(db, due_at + timedelta(minutes=1))
    (due,) = await digest.due(later)
    taken = await digest.take(later, due)
    assert taken is not None and [r.team.id for r in taken.reports] == [team.id]
    assert await digest.take(later, due) is None  # the same due digest, again: no
    assert (await db.get_user(MANAGER)).next_digest_at == due_at + timedelta(days=7)
    assert await digest.due(later) == []


async def test_a_manager_without_teams_gets_none_and_the_digest_stops(db):
    team = await _team(db)
    await digest.choose(_env(db), await db.get_user(MANAGER), "en", team.id, 0)
    assert await db.delete_team(team.id, MANAGER)
    due_at = (await db.get_user(MANAGER)).next_digest_at
    later = _env(db, due_at)
    (due,) = await digest.due(later)
    assert await digest.take(later, due) is None
    assert (await db.get_user(MANAGER)).next_digest_at is None
