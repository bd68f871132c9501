"""Storage on real SQLite files: users, progress, quiz attempts, concurrency, crash safety."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from domain.records import AnswerStatus
from storage import sqlite as storage_sqlite
from storage.driver import migrations
from storage.sqlite import SQLiteStorage, to_db

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_an_older_database_keeps_its_deliveries_through_the_upgrade(tmp_path):
    """0007 rebuilds `deliveries` (new states): a database made by the previous release keeps
    every row and comes out able to record a send in doubt."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:
        for version, _, sql in migrations("sqlite")[:6]:
            raw.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version={version};\nCOMMIT;")
        raw.execute(
            "INSERT INTO users (id, first_name, first_seen, last_seen) VALUES (1, 'U', ?, ?)",
            (to_db(T0), to_db(T0)),
        )
        raw.execute(
            "INSERT INTO deliveries (user_id, slot_at, status, kind, lessons, claimed_at, "
            "finished_at) VALUES (1, ?, 'sent', 'drip', 'a,b', ?, ?)",
            (to_db(T0), to_db(T0), to_db(T0)),
        )
    storage = SQLiteStorage(path)
    await storage.open()
    try:
        assert await storage.schema_version() == len(migrations("sqlite"))
        rows = await storage.db.fetch("SELECT status, kind, lessons FROM deliveries")
        assert [tuple(row.values()) for row in rows] == [("sent", "drip", "a,b")]
        await storage.schedule(1, T0 + timedelta(days=1))
        [claim] = await storage.claim_due(T0 + timedelta(days=1), 5)
        assert await storage.mark_delivery_sending(1, claim.slot_at, claim.claimed_at, T0)
        assert await storage.recover_pending(T0 + timedelta(days=1)) == 1  # now unconfirmed
    finally:
        await storage.close()


async def test_migrations_apply_once_and_set_wal(tmp_path):
    path = tmp_path / "cx.sqlite3"
    storage = SQLiteStorage(path)
    await storage.open()
    assert await storage.schema_version() == len(migrations("sqlite"))
    await storage.close()
    # Opening again applies nothing new and keeps data.
    again = SQLiteStorage(path)
    await again.open()
    assert await again.schema_version() == len(migrations("sqlite"))
    await again.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_touch_user_creates_then_refreshes(db):
    user, created = await db.touch_user(42, "Olena", "uk", T0)
    assert created and user.language is None and user.tg_language == "uk"
    assert user.first_seen == T0 and not user.blocked
    later = T0 + timedelta(hours=3)
    user, created = await db.touch_user(42, "Olena K", None, later)
    assert not created
    assert user.first_seen == T0 and user.last_seen == later
    assert user.first_name == "Olena K" and user.tg_language == "uk"  # kept when None given


async def test_language_and_blocked_flag(db):
    await db.touch_user(7, "Ivan", "ru", T0)
    await db.set_language(7, "en")
    await db.set_blocked(7, True, T0)
    user = await db.get_user(7)
    assert user.language == "en" and user.blocked
    # Coming back (any update) clears the flag, progress untouched.
    user, _ = await db.touch_user(7, "Ivan", "ru", T0 + timedelta(days=1))
    assert not user.blocked and user.language == "en"
    assert await db.get_user(999) is None


async def test_quiz_attempt_records_every_answer_and_completes_lesson(db):
    await db.touch_user(1, "A", "en", T0)
    attempt = await db.start_attempt(1, "silos", 3, T0)
    assert attempt.current == 0 and not attempt.finished
    r1 = await db.record_answer(attempt.id, 1, 0, 2, True, T0)
    assert r1.status is AnswerStatus.RECORDED and r1.attempt.current == 1
    assert await db.completed_lessons(1) == set()
    await db.record_answer(attempt.id, 1, 1, 0, False, T0)
    r3 = await db.record_answer(attempt.id, 1, 2, 1, True, T0 + timedelta(seconds=30))
    assert r3.attempt.finished and r3.attempt.correct == 2
    assert await db.completed_lessons(1) == {"silos"}
    stats = (await db.lesson_stats(1))["silos"]
    assert (stats.answers, stats.correct_answers, stats.best_score) == (3, 2, 2)
    assert stats.completed and stats.opened


async def test_double_press_and_foreign_attempt_change_nothing(db):
    await db.touch_user(1, "A", "en", T0)
    await db.touch_user(2, "B", "en", T0)
    attempt = await db.start_attempt(1, "silos", 2, T0)
    first = await db.record_answer(attempt.id, 1, 0, 1, True, T0)
    again = await db.record_answer(attempt.id, 1, 0, 0, False, T0)
    assert first.status is AnswerStatus.RECORDED
    assert again.status is AnswerStatus.STALE
    forged = await db.record_answer(attempt.id, 2, 1, 0, True, T0)
    assert forged.status is AnswerStatus.NOT_FOUND
    stats = (await db.lesson_stats(1))["silos"]
    assert stats.answers == 1 and stats.correct_answers == 1
    assert "silos" not in await db.lesson_stats(2)


async def test_retake_abandons_the_open_attempt_and_keeps_history(db):
    await db.touch_user(1, "A", "en", T0)
    old = await db.start_attempt(1, "silos", 2, T0)
    await db.record_answer(old.id, 1, 0, 0, False, T0)
    new = await db.start_attempt(1, "silos", 2, T0)
    assert (await db.record_answer(old.id, 1, 1, 0, True, T0)).status is AnswerStatus.STALE
    await db.record_answer(new.id, 1, 0, 0, True, T0)
    await db.record_answer(new.id, 1, 1, 0, True, T0)
    stats = (await db.lesson_stats(1))["silos"]
    assert stats.answers == 3 and stats.correct_answers == 2 and stats.best_score == 2


async def test_concurrent_answers_from_many_users_never_lock(db):
    users = range(1, 81)
    for u in users:
        await db.touch_user(u, f"U{u}", "en", T0)
    attempts = {u: await db.start_attempt(u, "silos", 3, T0) for u in users}

    async def walk(u: int) -> None:
        for q in range(3):
            # every user double-presses every answer, concurrently with everyone else
            results = await asyncio.gather(
                db.record_answer(attempts[u].id, u, q, 0, q != 1, T0),
                db.record_answer(attempts[u].id, u, q, 0, q != 1, T0),
            )
            assert sorted(r.status.value for r in results) == ["recorded", "stale"]

    await asyncio.gather(*(walk(u) for u in users))
    for u in users:
        stats = (await db.lesson_stats(u))["silos"]
        assert (stats.answers, stats.correct_answers, stats.completed) == (3, 2, True)


async def test_a_failed_transaction_leaves_nothing_behind(db):
    await db.touch_user(1, "A", "en", T0)
    attempt = await db.start_attempt(1, "silos", 1, T0)
    with pytest.raises(RuntimeError):
        async with db.db.transaction() as tx:  # the same statement text on both backends
            await tx.write(
                "INSERT INTO quiz_answers (attempt_id, question, user_id, lesson_id, chosen, "
                "correct, answered_at) VALUES (:a, 0, 1, 'silos', 0, 1, :now)",
                a=attempt.id,
                now=T0,
            )
            raise RuntimeError("crash between two statements")
    assert "silos" not in await db.lesson_stats(1)
    # and the storage still works afterwards
    result = await db.record_answer(attempt.id, 1, 0, 0, True, T0)
    assert result.status is AnswerStatus.RECORDED


async def test_progress_survives_reopening_the_file(tmp_path):
    path = tmp_path / "cx.sqlite3"
    first = SQLiteStorage(path)
    await first.open()
    await first.touch_user(5, "E", "ru", T0)
    await first.set_language(5, "ru")
    attempt = await first.start_attempt(5, "culture", 1, T0)
    await first.record_answer(attempt.id, 5, 0, 1, True, T0)
    await first.close()
    second = SQLiteStorage(path)
    await second.open()
    assert await second.completed_lessons(5) == {"culture"}
    assert (await second.get_user(5)).language == "ru"
    await second.close()


async def test_naive_datetimes_are_refused(db):
    with pytest.raises(ValueError):
        await db.touch_user(1, "A", "en", datetime(2026, 1, 1))


async def test_two_connections_on_one_file_never_report_locked(tmp_path):
    """Like the bot and a CLI tool at once: separate connections wait, they do not fail."""
    path = tmp_path / "cx.sqlite3"
    first, second = SQLiteStorage(path), SQLiteStorage(path)
    await first.open()
    await second.open()
    try:

        async def learner(storage: SQLiteStorage, user_id: int) -> None:
            await storage.touch_user(user_id, "U", "en", T0)
            attempt = await storage.start_attempt(user_id, "silos", 2, T0)
            for q in range(2):
                await storage.record_answer(attempt.id, user_id, q, 0, True, T0)
            await storage.mark_opened(user_id, "culture", T0)

        await asyncio.gather(
            *(learner(first, u) for u in range(1, 61)),
            *(learner(second, u) for u in range(61, 121)),
        )
        for u in (1, 60, 61, 120):
            assert await first.completed_lessons(u) == {"silos"}
            assert await second.completed_lessons(u) == {"silos"}
    finally:
        await first.close()
        await second.close()


# Assessments and teams ------------------------------------------------------------------
async def _rated(db, user_id: int, lessons: list[str], rating: int = 4):
    assessment = await db.start_assessment(user_id, T0)
    for lesson in lessons:
        assert await db.rate_obstacle(assessment.id, user_id, lesson, rating, T0)
    return assessment


async def _assessment_count(db, user_id: int) -> int:
    data = await db.personal_data(user_id)
    return data["counts"]["assessments"]


async def test_a_team_link_keeps_the_assessment_in_progress_and_the_team_counts_it(db):
    """Rate 3, join a team, Start again: the same assessment, its 3 answers kept; finished,
    it is the one the team sees. No orphan is left behind."""
    await db.touch_user(1, "Manager", "en", T0)
    await db.touch_user(2, "Member", "en", T0)
    before = await _rated(db, 2, ["a", "b", "c"], 5)
    team = await db.create_team(1, "Front office", "abcdefghij", T0)
    assert await db.join_team(team.id, 2, T0)
    again = await db.start_assessment(2, T0 + timedelta(minutes=1))  # the join screen's button
    assert again.id == before.id and again.ratings == {"a": 5, "b": 5, "c": 5}
    assert await db.rate_obstacle(again.id, 2, "d", 1, T0)
    assert await db.team_latest_ratings(team.id) == []  # unfinished: not counted yet
    assert await db.finish_assessment(again.id, 2, T0)
    assert await db.team_latest_ratings(team.id) == [{"a": 5, "b": 5, "c": 5, "d": 1}]
    assert await _assessment_count(db, 2) == 1


async def test_start_never_opens_a_second_assessment_even_when_pressed_at_once(db):
    await db.touch_user(3, "U", "en", T0)
    opened = await asyncio.gather(*(db.start_assessment(3, T0) for _ in range(5)))
    assert len({a.id for a in opened}) == 1
    assert await _assessment_count(db, 3) == 1
    assert await db.finish_assessment(opened[0].id, 3, T0)
    fresh = await db.start_assessment(3, T0)  # after a finished one: a new one
    assert fresh.id != opened[0].id and fresh.ratings == {}


async def test_start_over_discards_only_the_named_open_assessment(db):
    await db.touch_user(4, "U", "en", T0)
    await db.touch_user(5, "Other", "en", T0)
    finished = await _rated(db, 4, ["a"], 2)
    await db.finish_assessment(finished.id, 4, T0)
    open_ = await _rated(db, 4, ["a", "b"], 3)
    fresh = await db.restart_assessment(open_.id, 4, T0)
    assert fresh.id != open_.id and fresh.ratings == {} and fresh.finished_at is None
    assert await db.get_assessment(open_.id) is None
    assert (await db.finished_assessments(4))[0].ratings == {"a": 2}  # history kept
    # a stale confirmation (an assessment no longer open) discards nothing
    assert (await db.restart_assessment(open_.id, 4, T0)).id == fresh.id
    assert (await db.restart_assessment(finished.id, 4, T0)).id == fresh.id
    assert await db.get_assessment(finished.id) is not None
    # nor can one user discard another's
    others = await _rated(db, 5, ["a"])
    await db.restart_assessment(others.id, 4, T0)
    assert (await db.get_assessment(others.id)).ratings == {"a": 4}


async def test_a_manager_cannot_have_two_teams_of_the_same_name(db):
    await db.touch_user(6, "M", "uk", T0)
    await db.touch_user(7, "Other", "uk", T0)
    first = await db.create_team(6, "Тест команда", "aaaaaaaaaa", T0)
    assert first is not None
    for same in ("тест команда", "ТЕСТ  Команда", " Тест команда "):
        assert await db.create_team(6, same, "bbbbbbbbbb", T0) is None, same
    assert await db.create_team(6, "Тест команда 2", "cccccccccc", T0) is not None
    assert await db.create_team(7, "Тест команда", "dddddddddd", T0) is not None  # another manager
    assert [t.name for t in await db.teams_of(6)] == ["Тест команда", "Тест команда 2"]


async def test_one_assessment_counts_for_every_team_of_a_member(db):
    for user in (1, 2):
        await db.touch_user(user, f"U{user}", "en", T0)
    north = await db.create_team(1, "North", "nnnnnnnnnn", T0)
    south = await db.create_team(1, "South", "ssssssssss", T0)
    for team in (north, south):
        assert await db.join_team(team.id, 2, T0)
    assert not await db.join_team(north.id, 2, T0)  # the second press of a link: no change
    done = await _rated(db, 2, ["a"], 4)
    await db.finish_assessment(done.id, 2, T0)
    assert await db.team_latest_ratings(north.id) == [{"a": 4}]
    assert await db.team_latest_ratings(south.id) == [{"a": 4}]
    own = await _rated(db, 1, ["a"], 1)  # the manager answers too: a member of both teams
    await db.finish_assessment(own.id, 1, T0)
    assert sorted(await db.team_latest_ratings(north.id), key=str) == [{"a": 1}, {"a": 4}]
    assert await db.team_latest_ratings(north.id, excluding=1) == [{"a": 4}]  # not the viewer's
    assert await db.team_latest_ratings(north.id, excluding=2) == [{"a": 1}]
    assert await db.leave_team(south.id, 2)
    assert await db.team_latest_ratings(south.id, excluding=1) == []
    assert await db.delete_team(north.id, 1) and await db.get_team(north.id) is None
    assert (await db.finished_assessments(2))[0].ratings == {"a": 4}  # the member keeps it


async def test_another_process_holding_the_write_lock_is_waited_out_without_blocking(tmp_path):
    """Statements run on the event loop: a write lock held elsewhere (a CLI command, a second
    process) must be waited for with the loop free, never by SQLite's blocking busy handler."""
    path = tmp_path / "cx.sqlite3"
    storage = SQLiteStorage(path)
    await storage.open()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN IMMEDIATE")  # the other process takes the write lock
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        beat = asyncio.create_task(ticker())
        write = asyncio.create_task(storage.touch_user(7, "G", "en", T0))
        await asyncio.sleep(0.3)
        assert not write.done() and ticks >= 10  # waiting, and the loop kept running
        other.execute("COMMIT")
        user, created = await asyncio.wait_for(write, 5)
        assert created and user.first_name == "G"
        beat.cancel()
    finally:
        other.close()
        await storage.close()


async def test_a_write_lock_held_too_long_fails_the_write_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setattr(storage_sqlite, "BUSY_TIMEOUT", 0.2)
    path = tmp_path / "cx.sqlite3"
    storage = SQLiteStorage(path)
    await storage.open()
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await storage.touch_user(8, "H", "en", T0)
        assert await storage.get_user(8) is None  # reads never wait for the writer
        other.execute("ROLLBACK")
        await storage.touch_user(8, "H", "en", T0)  # and the storage works afterwards
        assert (await storage.get_user(8)).first_name == "H"
    finally:
        other.close()
        await storage.close()


async def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "cx.sqlite3"
    storage = SQLiteStorage(path)
    await storage.open()
    version = await storage.schema_version()
    await storage.close()
    shipped = migrations("sqlite")
    broken = "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;"
    monkeypatch.setattr(
        storage_sqlite, "migrations", lambda _: [*shipped, (version + 1, "broken.sql", broken)]
    )
    again = SQLiteStorage(path)
    with pytest.raises(sqlite3.OperationalError, match="syntax error"):
        await again.open()
    await again.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == version
        assert not raw.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall()


async def test_mistakes_fail_at_once_and_say_what(tmp_path, monkeypatch):
    storage = SQLiteStorage(tmp_path / "cx.sqlite3")
    with pytest.raises(RuntimeError, match="not open"):
        await storage.get_user(1)
    await storage.open()
    try:
        with pytest.raises(sqlite3.OperationalError, match="syntax"):  # not a busy wait
            await storage.db.fetch("SELEC 1")
    finally:
        await storage.close()
    monkeypatch.setattr(storage_sqlite, "MIN_VERSION", (99, 0))
    with pytest.raises(RuntimeError, match="too old"):
        await SQLiteStorage(tmp_path / "other.sqlite3").open()
