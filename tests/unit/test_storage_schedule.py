"""The schedule's storage on real SQLite files: claims, recovery, outcomes, cards, activity."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.records import DeliveryOutcome
from storage.sqlite import SQLiteStorage

T0 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


async def users_due(db: SQLiteStorage, n: int, slot: datetime = T0) -> None:
    for user_id in range(1, n + 1):
        await db.touch_user(user_id, f"U{user_id}", "en", T0 - timedelta(days=1))
        await db.schedule(user_id, slot)


async def test_a_due_slot_is_claimed_once_even_by_two_processes(tmp_path):
    path = tmp_path / "cx.sqlite3"
    first, second = SQLiteStorage(path), SQLiteStorage(path)
    await first.open()
    await second.open()
    await users_due(first, 50)
    claims = await asyncio.gather(
        *(store.claim_due(T0, 7) for store in (first, second) for _ in range(10))
    )
    claimed = [c.user.id for batch in claims for c in batch]
    assert sorted(claimed) == list(range(1, 51))  # every user once, none twice
    assert await first.claim_due(T0 + timedelta(hours=1), 100) == []
    await first.close()
    await second.close()


async def test_claims_take_only_due_slots_oldest_first(db):
    await users_due(db, 3)
    await db.schedule(2, T0 - timedelta(hours=2))
    await db.schedule(3, T0 + timedelta(minutes=1))  # not yet
    claims = await db.claim_due(T0, 10)
    assert [(c.user.id, c.slot_at) for c in claims] == [
        (2, T0 - timedelta(hours=2)),
        (1, T0),
    ]
    assert await db.count_due(T0 + timedelta(minutes=1)) == 1


async def test_recovery_makes_interrupted_claims_due_again_once(db):
    await users_due(db, 2)
    await db.claim_due(T0, 10)
    await db.finish_delivery(
        1, T0, DeliveryOutcome("sent", next_slot_at=T0 + timedelta(days=1)), T0
    )
    assert await db.recover_pending(T0) == 1  # user 2's claim was never finished
    again = await db.claim_due(T0, 10)
    assert [(c.user.id, c.slot_at) for c in again] == [(2, T0)]
    assert await db.recover_pending(T0) == 1
    assert await db.recover_pending(T0) == 0


async def test_a_slot_being_sent_at_a_crash_is_never_sent_again(db):
    await users_due(db, 2)
    one, two = await db.claim_due(T0, 10)
    assert not (one.unconfirmed or two.unconfirmed)
    # user 1's send went out (written ahead), user 2's never started; then the process died
    assert await db.mark_delivery_sending(1, T0, one.claimed_at, T0)
    assert await db.recover_pending(T0) == 2
    again = {c.user.id: c for c in await db.claim_due(T0, 10)}
    assert again[1].unconfirmed and not again[2].unconfirmed  # 2 is simply due again
    tomorrow = T0 + timedelta(days=1)
    await db.finish_delivery(1, T0, DeliveryOutcome("unconfirmed", next_slot_at=tomorrow), T0)
    after = await db.finish_delivery(2, T0, DeliveryOutcome("sent", next_slot_at=tomorrow), T0)
    assert after is not None and (after.id, after.next_slot_at) == (2, tomorrow)  # as stored
    assert after.last_slot_at == T0
    assert await db.recover_pending(T0) == 0
    assert await db.count_due(T0) == 0  # user 1's next slot is tomorrow's, like user 2's
    assert [c.unconfirmed for c in await db.claim_due(tomorrow, 10)] == [False, False]


async def test_a_taken_over_claim_cannot_be_sent_by_its_old_owner(db):
    await users_due(db, 1)
    [old] = await db.claim_due(T0, 10)
    later = T0 + timedelta(minutes=5)
    assert await db.recover_pending(later, later - timedelta(minutes=2)) == 1  # lease expired
    [new] = await db.claim_due(later, 10)
    assert not await db.mark_delivery_sending(1, T0, old.claimed_at, later)  # the old owner
    assert await db.mark_delivery_sending(1, T0, new.claimed_at, later)


async def test_finishing_a_delivery_stores_everything_at_once(db):
    await users_due(db, 1)
    await db.set_subscription(1, "prejudices", "active", T0)
    [claim] = await db.claim_due(T0, 10)
    tomorrow = T0 + timedelta(days=1)
    outcome = DeliveryOutcome(
        "sent",
        kind="drip",
        lessons=("too-big",),
        finished_series=("prejudices",),
        nudge=False,
        next_slot_at=tomorrow,
    )
    await db.finish_delivery(1, claim.slot_at, outcome, T0)
    user = await db.get_user(1)
    assert (user.next_slot_at, user.last_slot_at, user.ignored_nudges) == (tomorrow, T0, 0)
    facts = await db.training_facts(1, T0)
    assert "too-big" in facts.opened
    assert [s.status for s in facts.subscriptions] == ["finished"]


async def test_nudges_count_until_the_learner_returns(db):
    await users_due(db, 1)
    for day in range(3):
        moment = T0 + timedelta(days=day)
        await db.schedule(1, moment)
        [claim] = await db.claim_due(moment, 1)
        nudge = DeliveryOutcome("sent", kind="review", nudge=True, next_slot_at=None)
        await db.finish_delivery(1, claim.slot_at, nudge, moment)
    user = await db.get_user(1)
    assert user.ignored_nudges == 3 and user.last_nudge_at == T0 + timedelta(days=2)
    user, _ = await db.touch_user(1, "U1", "en", T0 + timedelta(days=3))
    assert user.ignored_nudges == 0


async def test_blocking_clears_the_slot_and_returning_is_noticed(db):
    await users_due(db, 1)
    await db.set_blocked(1, True, T0)
    assert (await db.get_user(1)).next_slot_at is None
    await db.schedule(1, T0)  # never schedules a blocked user
    assert await db.claim_due(T0, 10) == []
    user, _ = await db.touch_user(1, "U1", "en", T0 + timedelta(days=1))
    assert user.returned and not user.blocked
    user, _ = await db.touch_user(1, "U1", "en", T0 + timedelta(days=1))
    assert not user.returned


async def test_preferences_and_the_slot_change_together(db):
    await users_due(db, 1)
    later = T0 + timedelta(hours=3)
    user = await db.set_prefs(1, later, timezone="Europe/Berlin", delivery_time=600)
    assert (user.timezone, user.tz_chosen, user.delivery_time, user.next_slot_at) == (
        "Europe/Berlin",
        True,
        600,
        later,
    )
    with pytest.raises(ValueError, match="not a delivery preference"):
        await db.set_prefs(1, later, blocked=0)


async def test_a_review_counts_once_even_when_pressed_twice(db):
    await users_due(db, 1)
    card = await db.save_review(
        1,
        "silos",
        0,
        "{}",
        T0 + timedelta(days=1),
        expected_reviews=None,
        rating=1,
        correct=False,
        source="quiz",
        seconds=4.0,
        now=T0,
    )
    assert card.reviews == 1
    results = await asyncio.gather(
        *(
            db.save_review(
                1,
                "silos",
                0,
                "{}",
                T0 + timedelta(days=3),
                expected_reviews=1,
                rating=3,
                correct=True,
                source="review",
                seconds=2.0,
                now=T0,
            )
            for _ in range(5)
        )
    )
    assert sum(r is not None for r in results) == 1
    assert (await db.card_by_id(card.id)).reviews == 2
    assert await review_log(db) == [(1, 0, "quiz"), (3, 1, "review")]  # one row per review
    assert await db.count_due_cards(1, T0 + timedelta(days=3)) == 1
    assert [c.id for c in await db.due_cards(1, T0 + timedelta(days=3), 10)] == [card.id]


async def test_activity_days_are_unique(db):
    await users_due(db, 1)
    for day in (date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 22)):
        await db.add_activity(1, day)
    assert await db.activity_days(1) == [date(2026, 11, 21), date(2026, 11, 22)]


async def review_log(db) -> list[tuple[int, int, str]]:
    """(rating, correct, source) of every logged review, oldest first, on either backend."""
    rows = await db.db.fetch(
        "SELECT rating, correct, source FROM review_log ORDER BY reviewed_at, rating"
    )
    return [(r["rating"], int(r["correct"]), r["source"]) for r in rows]


async def test_a_delivery_remembers_the_slot_it_counts_for(db):
    # a 23:50 slot drained at 00:10 counts for its own day (so tomorrow's still comes)
    await users_due(db, 2)
    await db.claim_due(T0, 10)
    sent_at = T0 + timedelta(minutes=20)
    tomorrow = T0 + timedelta(days=1)
    on_time = DeliveryOutcome("sent", kind="drip", next_slot_at=tomorrow, counted_at=T0)
    await db.finish_delivery(1, T0, on_time, sent_at)
    await db.finish_delivery(2, T0, DeliveryOutcome("sent", next_slot_at=tomorrow), sent_at)
    assert (await db.get_user(1)).last_slot_at == T0
    assert (await db.get_user(2)).last_slot_at == sent_at  # none given: when it was sent
    claim = next(c for c in await db.claim_due(tomorrow, 10) if c.user.id == 1)
    await db.finish_delivery(1, claim.slot_at, DeliveryOutcome("failed", counted_at=tomorrow), T0)
    assert (await db.get_user(1)).last_slot_at == T0  # only a sent lesson counts
