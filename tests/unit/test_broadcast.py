"""Broadcast rules and storage: audiences, confirmation once, recipients' states, history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services.broadcast import (
    cycle_button,
    cycle_idle,
    progress_of,
    run_at,
    toggle_language,
    toggle_series,
)
from bot.services.stats import hardest_questions
from domain.records import Audience, QuestionStats

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_audience_toggles_and_cycles():
    audience = toggle_language(Audience(), "uk")
    audience = toggle_language(audience, "en")
    assert audience.languages == ("en", "uk")
    assert toggle_language(audience, "uk").languages == ("en",)
    order = ["a", "b", "c"]
    assert toggle_series(toggle_series(Audience(), "c", order), "a", order).series == ("a", "c")
    steps = [Audience()]
    for _ in range(4):
        steps.append(cycle_idle(steps[-1]))
    assert [s.idle_days for s in steps] == [None, 7, 14, 30, None]
    assert [cycle_button(x, order) for x in (None, "a", "c", "gone")] == ["a", "b", None, "a"]


def test_schedules_and_progress():
    assert run_at("60", NOW, "Europe/Kyiv") == NOW + timedelta(hours=1)
    assert run_at("tm", NOW, "Europe/Kyiv") == datetime(2026, 11, 24, 7, tzinfo=UTC)
    progress = progress_of({"sent": 30, "failed": 5, "blocked": 5, "pending": 60}, 100, 10.0)
    assert (progress.done, progress.remaining, progress.rate, progress.eta_seconds) == (
        40,
        60,
        4.0,
        15.0,
    )
    assert progress.bar(10) == "▓▓▓▓░░░░░░"


def test_hardest_questions_need_enough_answers_and_under_half_right():
    stats = [
        QuestionStats("a", 0, 10, 2),
        QuestionStats("a", 1, 10, 9),
        QuestionStats("b", 0, 3, 0),  # too few answers to judge
        QuestionStats("c", 2, 20, 8),
    ]
    assert [(q.lesson_id, q.question) for q in hardest_questions(stats)] == [("a", 0), ("c", 2)]


async def add_users(db, languages: dict[int, str]) -> None:
    for user_id, language in languages.items():
        await db.touch_user(user_id, "U", language, NOW - timedelta(days=user_id % 10))


async def test_audience_counts_match_the_recipients_fixed_on_confirm(db):
    await add_users(db, {1: "en", 2: "uk", 3: "ru-RU", 4: "de", 5: "uk"})
    await db.set_blocked(5, True, NOW)
    await db.set_subscription(2, "silos", "active", NOW)
    draft = await db.create_broadcast(1, "users", 1, 10, NOW)
    uk_or_en = Audience(languages=("en", "uk"))
    assert await db.audience_size(uk_or_en, NOW, "en") == 3  # 1, 2 and 4 (de -> default en)
    assert await db.audience_size(Audience(series=("silos",)), NOW, "en") == 1
    assert await db.audience_size(Audience(idle_days=3), NOW, "en") == 2  # seen 3-4 days ago
    await db.update_broadcast(draft.id, audience=uk_or_en)
    confirmed = await db.confirm_broadcast(draft.id, None, NOW, "en")
    assert confirmed.status == "queued" and confirmed.total == 3
    assert await db.confirm_broadcast(draft.id, None, NOW, "en") is None  # double press
    assert sorted(await db.pending_recipients(draft.id, 10)) == [1, 2, 4]


async def test_recipient_states_recovery_and_retry(db):
    await add_users(db, {1: "en", 2: "en", 3: "en"})
    draft = await db.create_broadcast(1, "users", 1, 10, NOW)
    await db.confirm_broadcast(draft.id, None, NOW, "en")
    assert (await db.next_broadcast(NOW)).id == draft.id
    assert await db.set_broadcast_status(draft.id, "running", ("queued",), NOW)
    assert await db.claim_recipients(draft.id, "me", 2, NOW, NOW) == [1, 2]
    assert await db.mark_sending(draft.id, 1, "me", NOW)
    assert await db.mark_sending(draft.id, 2, "me", NOW)
    assert not await db.mark_sending(draft.id, 2, "me", NOW)  # once
    await db.record_results(draft.id, [(1, "sent", None)], NOW)
    assert await db.recipient_counts(draft.id) == {"sent": 1, "sending": 1, "pending": 1}
    assert not await db.mark_sending(draft.id, 3, "me", NOW)  # never claimed by "me"
    assert await db.mark_unconfirmed() == 1  # 2 was in flight at a crash: not resent
    assert await db.pending_recipients(draft.id, 10) == [3]
    await db.record_results(draft.id, [(3, "failed", "Bad Request: x")], NOW)
    assert await db.set_broadcast_status(draft.id, "done", ("running",), NOW)
    assert await db.recipient_counts(draft.id) == {"sent": 1, "unconfirmed": 1, "failed": 1}
    assert await db.retry_failed(draft.id) == 1
    assert (await db.get_broadcast(draft.id)).status == "queued"
    [(listed, counts)] = await db.broadcasts(10)
    assert listed.id == draft.id and counts["pending"] == 1
    # the same process can take the retried recipient again
    assert await db.claim_recipients(draft.id, "me", 5, NOW, NOW) == [3]
    # the admin may also resend to the unconfirmed, accepting possible duplicates
    assert await db.retry_failed(draft.id, "unconfirmed") == 1
    assert await db.recipient_counts(draft.id) == {"sent": 1, "pending": 2}
    assert await db.claim_recipients(draft.id, "me", 5, NOW, NOW) == [2]
    with pytest.raises(ValueError):
        await db.retry_failed(draft.id, "sent")


async def test_scheduled_broadcasts_wait_for_their_time(db):
    await add_users(db, {1: "en"})
    draft = await db.create_broadcast(1, "users", 1, 10, NOW)
    await db.confirm_broadcast(draft.id, NOW + timedelta(hours=1), NOW, "en")
    assert await db.next_broadcast(NOW) is None
    assert (await db.next_broadcast(NOW + timedelta(hours=1))).status == "queued"


def twin(db):
    """A second process's storage on the same database (another replica)."""
    from storage.postgres import PostgresStorage
    from storage.sqlite import SQLiteStorage

    if isinstance(db, SQLiteStorage):
        return SQLiteStorage(db.path)
    assert isinstance(db, PostgresStorage)
    return PostgresStorage(db.dsn, schema=db.schema, pool_size=4)


async def test_two_processes_never_claim_the_same_recipient(db):
    import asyncio

    await add_users(db, {i: "en" for i in range(1, 201)})
    draft = await db.create_broadcast(1, "users", 1, 10, NOW)
    await db.confirm_broadcast(draft.id, None, NOW, "en")
    other = twin(db)
    await other.open()
    stale = NOW - timedelta(minutes=2)
    try:
        batches = await asyncio.gather(
            *(
                store.claim_recipients(draft.id, name, 17, NOW, stale)
                for _ in range(8)
                for store, name in ((db, "a"), (other, "b"))
            )
        )
    finally:
        await other.close()
    claimed = [chat for batch in batches for chat in batch]
    assert len(claimed) == len(set(claimed)) == 200
    assert await db.claim_recipients(draft.id, "c", 10, NOW, stale) == []


async def test_a_dead_owners_claims_return_after_the_lease(db):
    await add_users(db, {1: "en", 2: "en", 3: "en"})
    draft = await db.create_broadcast(1, "users", 1, 10, NOW)
    await db.confirm_broadcast(draft.id, None, NOW, "en")
    lease = timedelta(minutes=2)
    assert await db.claim_recipients(draft.id, "dead", 3, NOW, NOW - lease) == [1, 2, 3]
    assert await db.mark_sending(draft.id, 1, "dead", NOW)  # it was sending to 1 when it died
    later = NOW + timedelta(minutes=1)
    assert await db.claim_recipients(draft.id, "alive", 3, later, later - lease) == []
    assert await db.mark_unconfirmed(later - lease) == 0  # not expired yet
    expired = NOW + timedelta(minutes=3)
    assert await db.claim_recipients(draft.id, "alive", 3, expired, expired - lease) == [2, 3]
    assert await db.claim_recipients(draft.id, "alive", 3, expired, expired) == []  # its own
    assert await db.mark_unconfirmed(expired - lease) == 1  # 1 is never resent
    # the slow owner comes back: its claim on 2 was taken over, so it must not send to 2
    assert not await db.mark_sending(draft.id, 2, "dead", expired)
    assert await db.outstanding_recipients(draft.id) == 2
    assert await db.release_recipients(draft.id, "alive") == 2
    assert await db.claim_recipients(draft.id, "next", 5, expired, expired - lease) == [2, 3]


async def test_pending_slot_claims_return_only_after_the_lease(db):
    await add_users(db, {1: "en"})
    await db.schedule(1, NOW)
    [claim] = await db.claim_due(NOW, 5)
    assert await db.recover_pending(NOW, NOW - timedelta(minutes=2)) == 0  # owner may be alive
    assert await db.claim_due(NOW, 5) == []
    later = NOW + timedelta(minutes=3)
    assert await db.recover_pending(later, later - timedelta(minutes=2)) == 1
    assert [c.slot_at for c in await db.claim_due(later, 5)] == [claim.slot_at]
