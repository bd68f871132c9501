"""/mydata's storage side on both backends: every row about a user is counted and deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.mydata import PERSONAL_TABLES

T0 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
ADMIN, LEARNER, OTHER = 500, 1001, 1002


async def _everything(db) -> None:
    """One row of each kind for ADMIN, and a broadcast they sent to LEARNER and OTHER."""
    for user_id in (ADMIN, LEARNER, OTHER):
        await db.touch_user(user_id, f"U{user_id}", "en", T0)
    await db.save_review(
        ADMIN, "silos", 0, "{}", T0 + timedelta(days=1),
        expected_reviews=None, rating=3, correct=True, source="quiz", seconds=2.0, now=T0,
    )  # fmt: skip
    await db.create_team(ADMIN, "Front office", "abcdefghij", T0)
    draft = await db.create_broadcast(ADMIN, "users", ADMIN, 42, T0)
    assert await db.confirm_broadcast(draft.id, None, T0, "en") is not None


async def test_mydata_counts_review_history_receipts_managed_teams_and_broadcasts(db):
    await _everything(db)
    counts = (await db.personal_data(ADMIN))["counts"]
    assert counts["review_history"] == 1
    assert counts["teams_managed"] == 1
    assert counts["broadcasts_sent"] == 1
    assert counts["broadcast_receipts"] == 1  # the admin is among the recipients too
    assert (await db.personal_data(LEARNER))["counts"]["broadcast_receipts"] == 1


async def test_deleting_an_admin_leaves_no_row_that_names_them(db):
    await _everything(db)
    assert await db.delete_personal_data(ADMIN)
    await db.touch_user(ADMIN, "Again", "en", T0)  # back: only the new profile, nothing else
    counts = (await db.personal_data(ADMIN))["counts"]
    assert set(counts) == set(PERSONAL_TABLES)
    assert all(n == 0 for n in counts.values()), counts


async def test_former_admins_awaited_draft_is_forgotten_and_current_admins_kept(db):
    for user_id in (ADMIN, LEARNER, OTHER):
        await db.touch_user(user_id, f"U{user_id}", "en", T0)
    await db.set_awaiting(ADMIN, "bc:users")
    await db.set_awaiting(LEARNER, "bc:channel")  # an admin once, no longer
    await db.set_awaiting(OTHER, "t")  # a learner's typed setting: not ours to touch
    assert await db.forget_awaiting(("bc:users", "bc:channel"), frozenset({ADMIN})) == 1
    assert [(await db.get_user(u)).awaiting for u in (ADMIN, LEARNER, OTHER)] == [
        "bc:users",
        None,
        "t",
    ]
    assert await db.forget_awaiting(("bc:users", "bc:channel"), frozenset()) == 1
    assert (await db.get_user(ADMIN)).awaiting is None
