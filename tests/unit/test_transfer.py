"""`cxcoach db backup` and `cxcoach db copy` on real files and a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.cli import main as cxcoach
from domain.records import Audience, DeliveryOutcome
from storage.sqlite import SQLiteStorage
from tests.postgres import postgres_dsn

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def populated(path) -> SQLiteStorage:
    """A SQLite deployment with rows in every table."""
    db = SQLiteStorage(path)
    await db.open()
    for uid in (1, 2, 3):
        await db.touch_user(uid, f"U{uid}", "uk", T0)
    await db.set_blocked(3, True, T0)
    attempt = await db.start_attempt(1, "silos", 2, T0)
    await db.record_answer(attempt.id, 1, 0, 1, True, T0)
    await db.record_answer(attempt.id, 1, 1, 0, False, T0 + timedelta(seconds=5))
    await db.mark_opened(2, "all-is-fine", T0)
    await db.set_subscription(1, "why-cx-fails", "active", T0)
    await db.schedule(1, T0)
    [claim] = await db.claim_due(T0, 5)
    await db.finish_delivery(
        1, claim.slot_at, DeliveryOutcome("sent", "drip", ("all-is-fine",)), T0
    )
    await db.save_review(
        1, "silos", 0, '{"x": 1}', T0 + timedelta(days=2),
        expected_reviews=None, rating=3, correct=True, source="quiz", seconds=4.5, now=T0,
    )  # fmt: skip
    await db.add_activity(1, date(2026, 11, 23))
    draft = await db.create_broadcast(1, "users", 1, 10, T0)
    await db.update_broadcast(draft.id, audience=Audience(languages=("uk",)))
    await db.confirm_broadcast(draft.id, None, T0, "en")
    assessment = await db.start_assessment(2, T0)
    await db.rate_obstacle(assessment.id, 2, "silos", 4, T0)
    await db.finish_assessment(assessment.id, 2, T0)
    team = await db.create_team(1, "Front office", "abcdefghij", T0)
    await db.join_team(team.id, 2, T0)
    return db


async def test_backup_is_a_consistent_copy_while_the_bot_writes(tmp_path, capsys):
    db = await populated(tmp_path / "live.sqlite3")
    writer = asyncio.gather(*(db.touch_user(100 + i, "W", "en", T0) for i in range(50)))
    code = await asyncio.to_thread(
        cxcoach,
        ["db", "backup", str(tmp_path / "b.sqlite3"), "--from", str(tmp_path / "live.sqlite3")],
    )
    await writer
    await db.close()
    assert code == 0 and "integrity ok" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "b.sqlite3") as copy:
        assert copy.execute("SELECT COUNT(*) FROM teams").fetchone()[0] == 1
        assert copy.execute("SELECT COUNT(*) FROM quiz_answers").fetchone()[0] == 2


async def test_copy_to_postgres_is_verified_table_by_table(tmp_path, capsys):
    import asyncpg

    from storage.postgres import PostgresStorage

    dsn = await postgres_dsn()
    source = tmp_path / "live.sqlite3"
    db = await populated(source)
    stats_before = await db.lesson_stats(1)
    await db.close()
    schema = f"copy_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(dsn)
    await admin.execute(f"CREATE SCHEMA {schema}")
    target = f"{dsn}?search_path={schema}"
    try:
        code = await asyncio.to_thread(
            cxcoach, ["db", "copy", "--from", str(source), "--to", target]
        )
        out = capsys.readouterr().out
        assert code == 0, out
        assert "every table verified" in out and " NO" not in out
        assert all(
            f"{table} " in out for table in ("users", "review_log", "team_members", "deliveries")
        )
        copied = PostgresStorage(dsn, schema=schema)
        await copied.open()
        assert await copied.lesson_stats(1) == stats_before
        assert (await copied.get_user(3)).blocked
        card = await copied.save_review(
            2, "silos", 1, "{}", T0, expected_reviews=None, rating=1, correct=False,
            source="quiz", seconds=None, now=T0,
        )  # fmt: skip
        assert card.id == 2  # the sequences continue after the copied ids
        await copied.close()
        # a second copy into the now non-empty database is refused
        code = await asyncio.to_thread(
            cxcoach, ["db", "copy", "--from", str(source), "--to", target]
        )
        assert code == 1 and "not empty" in capsys.readouterr().err
    finally:
        await admin.execute(f"DROP SCHEMA {schema} CASCADE")
        await admin.close()


def test_copy_needs_a_postgresql_url(tmp_path, capsys):
    assert cxcoach(["db", "copy", "--from", str(tmp_path / "x.sqlite3"), "--to", "mysql://x"]) == 2
    with pytest.raises(SystemExit):
        cxcoach(["db", "copy"])
