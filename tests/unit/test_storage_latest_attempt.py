"""latest_attempt: the quiz a learner is in the middle of (both backends, `db` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_latest_attempt_is_the_newest_of_the_user_finished_or_not(db):
    await db.touch_user(1, "A", "en", T0)
    await db.touch_user(2, "B", "en", T0)
    assert await db.latest_attempt(1) is None  # never took a quiz

    first = await db.start_attempt(1, "silos", 2, T0, ((1, 0, 2), (0, 2, 1)))
    await db.record_answer(first.id, 1, 0, 1, True, T0 + timedelta(seconds=5))
    other = await db.start_attempt(2, "culture", 1, T0 + timedelta(minutes=1))
    latest = await db.latest_attempt(1)
    assert latest is not None and latest.id == first.id  # another user's is not mine
    assert latest.lesson_id == "silos" and latest.current == 1 and not latest.finished
    assert latest.option_orders == ((1, 0, 2), (0, 2, 1))  # the order to show it again in

    second = await db.start_attempt(1, "culture", 1, T0 + timedelta(minutes=2))
    assert (await db.latest_attempt(1)).id == second.id
    await db.record_answer(second.id, 1, 0, 0, True, T0 + timedelta(minutes=3))
    done = await db.latest_attempt(1)
    assert done.id == second.id and done.finished  # finished: no quiz in progress any more
    assert (await db.latest_attempt(2)).id == other.id
