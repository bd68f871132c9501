"""After a quiz: the usefulness rating (once per attempt), what was unclear (kept as
written, cut at the limit), then the commitment offer — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services import feedback, quiz
from bot.services.env import Env, Gone
from bot.services.feedback import UNCLEAR_LIMIT
from content.model import Catalog
from tests import lessons
from tests.hermetic import Clock, HermeticSettings

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def _catalog() -> Catalog:
    return lessons.catalog({"en": [lessons.lesson("silos"), lessons.lesson("quick-wins")]})


async def _finished(env: Env, user, lesson_id: str = "silos") -> int:
    """A quiz taken to its end (both questions, right answer at index 0 in file order)."""
    started = await quiz.start(env, user, "en", lesson_id)
    outcome = None
    for index in range(2):
        position = started.attempt.option_orders[index].index(0)
        outcome = await quiz.answer(env, user, "en", started.attempt.id, index, position)
    assert outcome is not None and outcome.finished
    return started.attempt.id


async def _setup(db):
    clock = Clock(NOW)
    env = Env(HermeticSettings(), db, _catalog(), clock)
    user, _ = await db.touch_user(1, "Ann", "en", NOW)
    return env, user, clock


async def _me(db):
    return await db.get_user(1)


async def test_the_last_answer_asks_once_per_attempt_and_a_retake_asks_again(db):
    env, user, clock = await _setup(db)
    started = await quiz.start(env, user, "en", "silos")
    first = await quiz.answer(env, user, "en", started.attempt.id, 0, 0)
    assert not first.ask_feedback  # not before the last question
    attempt_id = await _finished(env, user)
    step = await feedback.rate(env, await _me(db), "en", attempt_id, 4)
    assert step.usefulness == 4 and step.ask_unclear
    again = await feedback.rate(env, await _me(db), "en", attempt_id, 2)
    assert again.already  # a second tap on the same message changes nothing
    assert (await db.feedback(1, "silos")).usefulness == 4
    clock.now += timedelta(days=1)
    retake = await quiz.start(env, await _me(db), "en", "silos")
    outcome = None
    for index in range(2):
        position = retake.attempt.option_orders[index].index(0)
        outcome = await quiz.answer(env, await _me(db), "en", retake.attempt.id, index, position)
    assert outcome.ask_feedback  # a retake asks again
    await feedback.rate(env, await _me(db), "en", retake.attempt.id, 2)
    stored = await db.feedback(1, "silos")
    assert (stored.usefulness, stored.attempt_id) == (2, retake.attempt.id)


async def test_a_rating_awaits_what_was_unclear_then_offers_the_action(db):
    env, user, _ = await _setup(db)
    attempt_id = await _finished(env, user)
    await feedback.rate(env, user, "en", attempt_id, 3)
    me = await _me(db)
    assert me.awaiting == "u:silos"
    typed = "<b>Step 2</b> & the example " + "x" * (UNCLEAR_LIMIT + 50)
    step = await feedback.unclear(env, me, "en", "  " + typed + "  ")
    assert step.cut and step.offer is not None and step.offer.lesson.id == "silos"
    stored = await db.feedback(1, "silos")
    assert stored.unclear == typed[:UNCLEAR_LIMIT]  # as written (escaped only when shown)
    assert (await _me(db)).awaiting is None


async def test_a_skipped_rating_goes_straight_to_the_offer(db):
    env, user, _ = await _setup(db)
    attempt_id = await _finished(env, user)
    step = await feedback.rate(env, user, "en", attempt_id, None)
    assert not step.ask_unclear and step.offer is not None
    assert (await db.feedback(1, "silos")).usefulness is None
    assert (await _me(db)).awaiting is None


async def test_skipping_what_was_unclear_clears_the_wait(db):
    env, user, _ = await _setup(db)
    attempt_id = await _finished(env, user)
    await feedback.rate(env, user, "en", attempt_id, 5)
    step = await feedback.skip_unclear(env, await _me(db), "en", "silos")
    assert step.offer is not None and (await _me(db)).awaiting is None
    assert (await db.feedback(1, "silos")).unclear is None


async def test_someone_elses_or_an_unfinished_attempt_is_gone(db):
    env, user, _ = await _setup(db)
    attempt_id = await _finished(env, user)
    other, _ = await db.touch_user(2, "Bob", "en", NOW)
    with pytest.raises(Gone):
        await feedback.rate(env, other, "en", attempt_id, 5)
    unfinished = await quiz.start(env, user, "en", "quick-wins")
    with pytest.raises(Gone):
        await feedback.rate(env, user, "en", unfinished.attempt.id, 5)
    assert await db.feedback(2, "silos") is None
