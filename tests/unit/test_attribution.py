"""Attribution storage: a learner's first source is kept, later starts are counted; joins
through our invite links are remembered, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


async def test_the_first_source_is_kept_and_later_ones_counted(db):
    await db.touch_user(1, "Ann", "en", NOW)
    for code in ("post7", "ad-fb"):
        await db.create_tracked_link(code, "link", code, NOW)
    assert await db.record_arrival(1, "post7", NOW) is True
    assert await db.record_arrival(1, "ad-fb", NOW + timedelta(days=1)) is False
    assert await db.record_arrival(1, "post7", NOW + timedelta(days=2)) is False
    rows = await db.db.fetch("SELECT code, first, times FROM arrivals ORDER BY code")
    assert [(r["code"], bool(r["first"]), r["times"]) for r in rows] == [
        ("ad-fb", False, 1),
        ("post7", True, 2),
    ]


async def test_channel_joins_through_our_invite_links(db):
    link = "https://t.me/+AbCdEf123"
    made = await db.create_tracked_link("inv1", "invite", "Partner X", NOW, channel="@cx",
                                        invite_link=link)  # fmt: skip
    assert (await db.tracked_invite(link)).code == made.code
    assert await db.tracked_invite("https://t.me/+other") is None
    await db.record_channel_join("@cx", 42, "inv1", "link", NOW)
    await db.record_channel_left("@cx", 42, NOW + timedelta(hours=1))
    await db.record_channel_join("@cx", 42, None, "request", NOW + timedelta(days=1))
    row = await db.db.fetchrow("SELECT * FROM channel_joins WHERE user_id = 42")
    assert (row["code"], row["via"], row["left_at"]) == ("inv1", "request", None)
