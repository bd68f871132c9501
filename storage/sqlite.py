"""SQLite backend: WAL, one transaction per operation, statements run on the event loop.

Every statement a learner's update makes is small (a primary-key upsert, a guarded insert, a
read by index): SQLite does it in 20-100 µs. Handing it to a worker thread and back, as
aiosqlite does for every call, costs ~0.35 ms on an idle loop and 1-5 ms under load (the
worker waits for the GIL while the loop is busy), and writes queue behind one another while
they wait. So statements run inline, on the loop's own thread, through :class:`Connection`.
Operations whose cost grows with the number of learners (broadcast audiences, statistics,
exports, claiming due slots, start-up recovery) are marked :func:`offloaded` and run on a
worker thread instead, so they never hold up replies.

Two connections: a writer, whose transactions are serialised by an asyncio lock, and a reader
(in WAL mode readers never wait for the writer); offloaded reads use a third, so that a thread
never shares a connection with the loop. Another process holding the write lock (a CLI
command, a backup) is waited out with ``asyncio.sleep`` up to the busy timeout, never by
blocking the loop. Each operation is ONE statement where it can be: ``INSERT ... ON CONFLICT
... RETURNING``, and triggers (see the migrations) that keep quiz counters and lesson
completion consistent inside the answering statement; multi-statement work uses
:meth:`SQLiteStorage._tx`.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import aiosqlite

from storage.base import (
    BROADCAST_FIELDS,
    PREF_FIELDS,
    RETRYABLE,
    AnswerResult,
    AnswerStatus,
    Assessment,
    Attempt,
    Audience,
    Broadcast,
    Card,
    Claim,
    DeliveryOutcome,
    LessonStats,
    QuestionStats,
    Stats,
    Storage,
    SubscriptionRow,
    Team,
    TrainingFacts,
    User,
    team_name_key,
)
from storage.records import (
    PERSONAL_TABLES,
    PROFILE_FIELDS,
    attempt_record,
    broadcast_record,
    card_record,
    encode_order,
    encode_orders,
    from_db,
    lesson_stats_records,
    subscription_record,
    team_record,
    user_record,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 10.0  # seconds to wait for another process's write lock before giving up
_SQLITE_BUSY = 5  # primary result code of SQLITE_BUSY (extended codes keep it in the low byte)

_P = ParamSpec("_P")
_R = TypeVar("_R")
Params = Sequence[Any] | Mapping[str, Any]

_PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL")

# set while an @offloaded operation runs: its statements go to a worker thread
_OFFLOAD: ContextVar[bool] = ContextVar("sqlite_offload", default=False)


def offloaded(
    method: Callable[_P, Awaitable[_R]],
) -> Callable[_P, Awaitable[_R]]:
    """Run this operation's statements on a worker thread, not on the event loop: for work
    that grows with the number of learners (it may take tens of milliseconds)."""

    @functools.wraps(method)
    async def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        token = _OFFLOAD.set(True)
        try:
            return await method(*args, **kwargs)
        finally:
            _OFFLOAD.reset(token)

    return run


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == _SQLITE_BUSY
    return "locked" in str(exc) or "busy" in str(exc)


class Connection:
    """A sqlite3 connection driven inline from the event loop's thread, with the awaitable
    calls of an aiosqlite connection (so a transaction's code reads the same on both).

    SQLite's own busy handler is off (it would block the loop): a statement refused because
    another process holds the write lock is retried after ``asyncio.sleep`` with a growing
    pause, for up to :data:`BUSY_TIMEOUT` seconds. Only a statement outside a transaction is
    retried (BEGIN IMMEDIATE, or one autocommit statement): refused, it changed nothing."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    @classmethod
    def open(cls, path: Path) -> Connection:
        raw = sqlite3.connect(path, isolation_level=None)
        raw.row_factory = sqlite3.Row
        for pragma in _PRAGMAS:
            raw.execute(pragma)
        raw.execute("PRAGMA busy_timeout=0")
        return cls(raw)

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    async def _call(self, work: Callable[[], _R]) -> _R:
        pause, deadline = 0.001, None
        while True:
            try:
                return work()
            except sqlite3.OperationalError as exc:
                if self.raw.in_transaction or not _busy(exc):
                    raise
                now = time.monotonic()
                deadline = deadline or now + BUSY_TIMEOUT
                if now >= deadline:
                    raise
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.05)

    async def execute(self, sql: str, params: Params = ()) -> None:
        await self._call(lambda: self.raw.execute(sql, params).close())

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return await self._call(lambda: self.raw.execute(sql, params).fetchall())

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        await self._call(lambda: self.raw.executemany(sql, rows).close())

    async def executescript(self, script: str) -> None:
        await self._call(lambda: self.raw.executescript(script).close())

    async def close(self) -> None:
        self.raw.close()


async def _open_offloaded(path: Path, *, query_only: bool) -> aiosqlite.Connection:
    """An aiosqlite connection (its own worker thread) for @offloaded operations; its busy
    handler may block, being off the loop."""
    db = await aiosqlite.connect(path, isolation_level=None)
    db.row_factory = sqlite3.Row
    for pragma in _PRAGMAS:
        await db.execute(pragma)
    await db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    if query_only:
        await db.execute("PRAGMA query_only=ON")
    return db


def to_db(value: datetime) -> str:
    """A UTC ISO-8601 string with fixed width, so text order is time order."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to storage; use timezone-aware UTC")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def migrations(backend: str = "sqlite") -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped for ``backend``, in order."""
    folder = resources.files("storage") / "migrations" / backend
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations for {backend} are not numbered 1..n: {versions}")
    return found


class SQLiteStorage(Storage):
    """The embedded default backend: one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._writer: Connection | None = None  # inline
        self._reader: Connection | None = None  # inline
        self._bulk_writer: aiosqlite.Connection | None = None  # @offloaded operations
        self._bulk_reader: aiosqlite.Connection | None = None  # @offloaded operations
        self._write_lock = asyncio.Lock()  # one write transaction at a time, either writer
        self._days: dict[int, date] = {}  # last activity day written, per user

    # Life cycle ----------------------------------------------------------------------
    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = Connection.open(self.path)
        await self._writer.execute("PRAGMA journal_mode=WAL")
        await self._migrate()
        self._reader = Connection.open(self.path)
        await self._reader.execute("PRAGMA query_only=ON")
        self._bulk_writer = await _open_offloaded(self.path, query_only=False)
        self._bulk_reader = await _open_offloaded(self.path, query_only=True)

    async def _migrate(self) -> None:
        assert self._writer is not None
        async with self._write_lock:
            current = await self.schema_version()
            for version, name, sql in migrations("sqlite"):
                if version <= current:
                    continue
                log.info("applying migration %s", name)
                try:
                    await self._writer.executescript(
                        f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version={version};\nCOMMIT;"
                    )
                except sqlite3.Error:
                    if self._writer.in_transaction:
                        await self._writer.execute("ROLLBACK")
                    raise

    async def schema_version(self) -> int:
        db = self._writer or self._reader
        assert db is not None
        rows = await db.execute_fetchall("PRAGMA user_version")
        return int(rows[0][0]) if rows else 0

    async def close(self) -> None:
        for attr in ("_bulk_reader", "_bulk_writer", "_reader", "_writer"):
            db = getattr(self, attr)
            if db is not None:
                setattr(self, attr, None)
                await db.close()

    # Helpers -------------------------------------------------------------------------
    def _writing(self) -> Connection | aiosqlite.Connection:
        db = self._bulk_writer if _OFFLOAD.get() else self._writer
        if db is None:
            raise RuntimeError("storage is not open")
        return db

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[Connection | aiosqlite.Connection]:
        """One write transaction; rolled back whole on any error (or cancellation)."""
        db = self._writing()
        async with self._write_lock:
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await asyncio.shield(db.execute("ROLLBACK"))
                raise
            else:
                await db.execute("COMMIT")

    async def _write(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """One atomic write statement (autocommit), returning its RETURNING rows if any."""
        db = self._writing()
        async with self._write_lock:
            return list(await db.execute_fetchall(sql, params))

    async def _fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        db = self._bulk_reader if _OFFLOAD.get() else self._reader
        if db is None:
            raise RuntimeError("storage is not open")
        return list(await db.execute_fetchall(sql, params))

    async def _fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None

    # Users ---------------------------------------------------------------------------
    async def touch_user(
        self, user_id: int, first_name: str, tg_language: str | None, now: datetime
    ) -> tuple[User, bool]:
        stamp = to_db(now)
        rows = await self._write(
            "INSERT INTO users (id, tg_language, first_name, first_seen, last_seen) "
            "VALUES (:id, :lang, :name, :now, :now) "
            "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen, "
            "first_name = excluded.first_name, visits = users.visits + 1, "
            "tg_language = COALESCE(excluded.tg_language, users.tg_language), "
            "returned = users.blocked, blocked = 0, blocked_at = NULL, ignored_nudges = 0 "
            "RETURNING *",
            {"id": user_id, "lang": tg_language, "name": first_name, "now": stamp},
        )
        return user_record(rows[0]), rows[0]["visits"] == 1

    async def get_user(self, user_id: int) -> User | None:
        row = await self._fetchone("SELECT * FROM users WHERE id = ?", (user_id,))
        return user_record(row) if row else None

    async def set_language(self, user_id: int, language: str) -> None:
        await self._write("UPDATE users SET language = ? WHERE id = ?", (language, user_id))

    async def set_blocked(self, user_id: int, blocked: bool, now: datetime) -> None:
        await self._write(
            "UPDATE users SET blocked = :b, blocked_at = CASE WHEN :b THEN :now END, "
            "next_slot_at = CASE WHEN :b THEN NULL ELSE next_slot_at END WHERE id = :id",
            {"b": int(blocked), "now": to_db(now), "id": user_id},
        )

    async def set_prefs(
        self, user_id: int, next_slot_at: datetime | None, **prefs: object
    ) -> User | None:
        unknown = set(prefs) - set(PREF_FIELDS)
        if unknown:
            raise ValueError(f"not a delivery preference: {sorted(unknown)}")
        assignments = [f"{name} = :{name}" for name in prefs]
        if "timezone" in prefs:
            assignments.append("tz_chosen = 1")
        assignments.append("next_slot_at = CASE WHEN blocked THEN NULL ELSE :slot END")
        params = {**prefs, "slot": _stamp(next_slot_at), "id": user_id}
        rows = await self._write(
            f"UPDATE users SET {', '.join(assignments)} WHERE id = :id RETURNING *", params
        )
        return user_record(rows[0]) if rows else None

    async def set_awaiting(self, user_id: int, awaiting: str | None) -> None:
        await self._write("UPDATE users SET awaiting = ? WHERE id = ?", (awaiting, user_id))

    @offloaded
    async def forget_awaiting(self, values: Sequence[str], keep: Collection[int]) -> int:
        if not values:
            return 0
        marks = ", ".join("?" * len(values))
        kept = f" AND id NOT IN ({', '.join('?' * len(keep))})" if keep else ""
        async with self._tx() as db:
            rows = await db.execute_fetchall(
                f"UPDATE users SET awaiting = NULL WHERE awaiting IN ({marks}){kept} RETURNING id",
                (*values, *keep),
            )
        return len(list(rows))

    async def schedule(
        self, user_id: int, next_slot_at: datetime | None, *, only_if_unset: bool = False
    ) -> None:
        guard = " AND next_slot_at IS NULL" if only_if_unset else ""
        await self._write(
            f"UPDATE users SET next_slot_at = ? WHERE id = ? AND NOT blocked{guard}",
            (_stamp(next_slot_at), user_id),
        )

    # Subscriptions -------------------------------------------------------------------
    async def subscriptions(self, user_id: int) -> list[SubscriptionRow]:
        rows = await self._fetchall(
            "SELECT * FROM subscriptions WHERE user_id = ? ORDER BY subscribed_at, series_id",
            (user_id,),
        )
        return [subscription_record(row) for row in rows]

    async def set_subscription(
        self, user_id: int, series_id: str, status: str | None, now: datetime
    ) -> None:
        stamp = to_db(now)
        if status is None:
            async with self._tx() as db:
                await db.execute(
                    "DELETE FROM subscriptions WHERE user_id = ? AND series_id = ?",
                    (user_id, series_id),
                )
                await db.execute(
                    "UPDATE users SET unsubscribed_at = ? WHERE id = ?", (stamp, user_id)
                )
            return
        # Re-subscribing to a finished or paused series makes it active again; the first
        # subscription time is kept (it orders several series in one drip).
        await self._write(
            "INSERT INTO subscriptions (user_id, series_id, status, subscribed_at, changed_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, series_id) DO UPDATE SET "
            "status = excluded.status, changed_at = excluded.changed_at",
            (user_id, series_id, status, stamp, stamp),
        )

    # The daily slot --------------------------------------------------------------------
    @offloaded
    async def claim_due(self, now: datetime, limit: int) -> list[Claim]:
        stamp = to_db(now)
        async with self._tx() as db:
            rows = await db.execute_fetchall(
                "SELECT * FROM users WHERE next_slot_at IS NOT NULL AND next_slot_at <= ? "
                "ORDER BY next_slot_at LIMIT ?",
                (stamp, limit),
            )
            if not rows:
                return []
            await db.executemany(
                "INSERT INTO deliveries (user_id, slot_at, status, claimed_at) "
                "VALUES (?, ?, 'pending', ?) ON CONFLICT DO NOTHING",
                [(row["id"], row["next_slot_at"], stamp) for row in rows],
            )
            await db.executemany(
                "UPDATE users SET next_slot_at = NULL WHERE id = ?", [(row["id"],) for row in rows]
            )
            # slots a dead process was sending (made due again by recover_pending)
            open_rows = await db.execute_fetchall(
                "SELECT user_id, slot_at FROM deliveries "
                "WHERE status = 'unconfirmed' AND finished_at IS NULL"
            )
        unconfirmed = {(row["user_id"], row["slot_at"]) for row in open_rows}
        return [
            Claim(
                user_record(row),
                from_db(row["next_slot_at"]),  # type: ignore[arg-type]
                claimed_at=now,
                unconfirmed=(row["id"], row["next_slot_at"]) in unconfirmed,
            )
            for row in rows
        ]

    async def training_facts(self, user_id: int, now: datetime) -> TrainingFacts:
        subs = await self.subscriptions(user_id)
        rows = await self._fetchall(
            "SELECT lesson_id, completed_at IS NOT NULL AS done FROM lesson_progress "
            "WHERE user_id = ?",
            (user_id,),
        )
        cards = await self._fetchone(
            "SELECT COUNT(*) AS n, COALESCE(SUM(due_at <= ?), 0) AS due FROM review_cards "
            "WHERE user_id = ?",
            (to_db(now), user_id),
        )
        return TrainingFacts(
            subscriptions=tuple(subs),
            opened=frozenset(row["lesson_id"] for row in rows),
            completed=frozenset(row["lesson_id"] for row in rows if row["done"]),
            reviews_due=int(cards["due"]) if cards else 0,
            has_cards=bool(cards and cards["n"]),
        )

    async def finish_delivery(
        self, user_id: int, slot_at: datetime, outcome: DeliveryOutcome, now: datetime
    ) -> None:
        stamp, slot = to_db(now), to_db(slot_at)
        delivered = outcome.status == "sent"
        async with self._tx() as db:
            await db.execute(
                "UPDATE deliveries SET status = ?, kind = ?, lessons = ?, finished_at = ? "
                "WHERE user_id = ? AND slot_at = ?",
                (outcome.status, outcome.kind, ",".join(outcome.lessons), stamp, user_id, slot),
            )
            if delivered and outcome.lessons:
                await db.executemany(
                    "INSERT INTO lesson_progress (user_id, lesson_id, opened_at) "
                    "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    [(user_id, lesson_id, stamp) for lesson_id in outcome.lessons],
                )
            if delivered and outcome.finished_series:
                await db.executemany(
                    "UPDATE subscriptions SET status = 'finished', changed_at = ? "
                    "WHERE user_id = ? AND series_id = ? AND status = 'active'",
                    [(stamp, user_id, series_id) for series_id in outcome.finished_series],
                )
            await db.execute(
                "UPDATE users SET "
                "next_slot_at = CASE WHEN blocked THEN NULL ELSE :next END, "
                "last_slot_at = CASE WHEN :delivered THEN :counted ELSE last_slot_at END, "
                "last_nudge_at = CASE WHEN :nudge THEN :now ELSE last_nudge_at END, "
                "ignored_nudges = ignored_nudges + :nudge WHERE id = :id",
                {
                    "next": _stamp(outcome.next_slot_at),
                    "delivered": int(delivered),
                    "nudge": int(delivered and outcome.nudge),
                    "now": stamp,
                    "counted": to_db(outcome.counted_at or now),
                    "id": user_id,
                },
            )

    async def mark_delivery_sending(
        self, user_id: int, slot_at: datetime, claimed_at: datetime, now: datetime
    ) -> bool:
        rows = await self._write(
            "UPDATE deliveries SET status = 'sending', claimed_at = ? WHERE user_id = ? "
            "AND slot_at = ? AND status = 'pending' AND claimed_at = ? RETURNING user_id",
            (to_db(now), user_id, to_db(slot_at), to_db(claimed_at)),
        )
        return bool(rows)

    @offloaded
    async def recover_pending(self, now: datetime, stale_before: datetime | None = None) -> int:
        cutoff = _stamp(stale_before) if stale_before is not None else "9999"
        async with self._tx() as db:
            rows = await db.execute_fetchall(
                "SELECT user_id, slot_at, status FROM deliveries WHERE finished_at IS NULL "
                "AND status IN ('pending', 'sending') AND claimed_at < ?",
                (cutoff,),
            )
            await db.executemany(
                "UPDATE users SET next_slot_at = ? WHERE id = ? AND NOT blocked "
                "AND next_slot_at IS NULL",
                [(row["slot_at"], row["user_id"]) for row in rows],
            )
            await db.executemany(
                "DELETE FROM deliveries WHERE user_id = ? AND slot_at = ? AND status = 'pending'",
                [(row["user_id"], row["slot_at"]) for row in rows if row["status"] == "pending"],
            )
            await db.executemany(
                "UPDATE deliveries SET status = 'unconfirmed' "
                "WHERE user_id = ? AND slot_at = ? AND status = 'sending'",
                [(row["user_id"], row["slot_at"]) for row in rows if row["status"] == "sending"],
            )
        return len(rows)

    @offloaded
    async def count_due(self, now: datetime) -> int:
        row = await self._fetchone(
            "SELECT COUNT(*) AS n FROM users WHERE next_slot_at IS NOT NULL AND next_slot_at <= ?",
            (to_db(now),),
        )
        return int(row["n"]) if row else 0

    # Review cards ----------------------------------------------------------------------
    async def get_card(self, user_id: int, lesson_id: str, question: int) -> Card | None:
        row = await self._fetchone(
            "SELECT * FROM review_cards WHERE user_id = ? AND lesson_id = ? AND question = ?",
            (user_id, lesson_id, question),
        )
        return card_record(row) if row else None

    async def card_by_id(self, card_id: int) -> Card | None:
        row = await self._fetchone("SELECT * FROM review_cards WHERE id = ?", (card_id,))
        return card_record(row) if row else None

    async def save_review(
        self,
        user_id: int,
        lesson_id: str,
        question: int,
        fsrs: str,
        due_at: datetime,
        *,
        expected_reviews: int | None,
        rating: int,
        correct: bool,
        source: str,
        seconds: float | None,
        now: datetime,
        option_order: tuple[int, ...] | None = None,
    ) -> Card | None:
        # one statement: the trigger review_cards_log_* writes the review_log row
        stamp = to_db(now)
        guard = "" if expected_reviews is None else " WHERE review_cards.reviews = :expected"
        rows = await self._write(
            "INSERT INTO review_cards (user_id, lesson_id, question, fsrs, due_at, reviews, "
            "created_at, last_review_at, last_rating, last_correct, last_source, last_seconds, "
            "option_order) "
            "VALUES (:u, :l, :q, :fsrs, :due, 1, :now, :now, :rating, :correct, :source, "
            ":seconds, :order) ON CONFLICT (user_id, lesson_id, question) DO UPDATE SET "
            "option_order = excluded.option_order, "
            "fsrs = excluded.fsrs, due_at = excluded.due_at, reviews = review_cards.reviews + 1, "
            "last_review_at = excluded.last_review_at, last_rating = excluded.last_rating, "
            "last_correct = excluded.last_correct, last_source = excluded.last_source, "
            f"last_seconds = excluded.last_seconds{guard} RETURNING *",
            {
                "u": user_id,
                "l": lesson_id,
                "q": question,
                "fsrs": fsrs,
                "due": to_db(due_at),
                "now": stamp,
                "expected": expected_reviews,
                "rating": rating,
                "correct": int(correct),
                "source": source,
                "seconds": seconds,
                "order": encode_order(option_order),
            },
        )
        return card_record(rows[0]) if rows else None

    async def due_cards(self, user_id: int, now: datetime, limit: int) -> list[Card]:
        rows = await self._fetchall(
            "SELECT * FROM review_cards WHERE user_id = ? AND due_at <= ? "
            "ORDER BY due_at, id LIMIT ?",
            (user_id, to_db(now), limit),
        )
        return [card_record(row) for row in rows]

    @offloaded
    async def retire_cards(self, questions: Mapping[str, int]) -> int:
        rows = await self._write(
            "DELETE FROM review_cards WHERE NOT EXISTS (SELECT 1 FROM json_each(?) AS k "
            "WHERE k.key = review_cards.lesson_id AND review_cards.question < k.value) "
            "RETURNING id",
            (json.dumps(dict(questions)),),
        )
        return len(rows)

    async def count_due_cards(self, user_id: int, now: datetime) -> int:
        row = await self._fetchone(
            "SELECT COUNT(*) AS n FROM review_cards WHERE user_id = ? AND due_at <= ?",
            (user_id, to_db(now)),
        )
        return int(row["n"]) if row else 0

    # Activity --------------------------------------------------------------------------
    async def add_activity(self, user_id: int, day: date) -> None:
        if self._days.get(user_id) == day:  # written already today by this process
            return
        if len(self._days) > 100_000:
            self._days.clear()
        await self._write(
            "INSERT INTO activity_days (user_id, day) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (user_id, day.isoformat()),
        )
        self._days[user_id] = day

    async def activity_days(self, user_id: int) -> list[date]:
        rows = await self._fetchall(
            "SELECT day FROM activity_days WHERE user_id = ? ORDER BY day", (user_id,)
        )
        return [date.fromisoformat(row["day"]) for row in rows]

    # Lessons -------------------------------------------------------------------------
    async def mark_opened(self, user_id: int, lesson_id: str, now: datetime) -> None:
        await self._write(
            "INSERT INTO lesson_progress (user_id, lesson_id, opened_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id, lesson_id) DO NOTHING",
            (user_id, lesson_id, to_db(now)),
        )

    async def mark_completed(self, user_id: int, lesson_id: str, now: datetime) -> None:
        stamp = to_db(now)
        await self._write(
            "INSERT INTO lesson_progress (user_id, lesson_id, opened_at, completed_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (user_id, lesson_id) DO UPDATE SET "
            "completed_at = COALESCE(lesson_progress.completed_at, excluded.completed_at)",
            (user_id, lesson_id, stamp, stamp),
        )

    async def completed_lessons(self, user_id: int) -> set[str]:
        rows = await self._fetchall(
            "SELECT lesson_id FROM lesson_progress WHERE user_id = ? AND completed_at IS NOT NULL",
            (user_id,),
        )
        return {row["lesson_id"] for row in rows}

    async def lesson_stats(self, user_id: int) -> dict[str, LessonStats]:
        rows = await self._fetchall(
            """
            WITH answers AS (
                SELECT lesson_id, COUNT(*) AS n, SUM(correct) AS ok
                FROM quiz_answers WHERE user_id = :u GROUP BY lesson_id
            ), best AS (
                SELECT lesson_id, MAX(correct) AS best
                FROM quiz_attempts WHERE user_id = :u AND finished_at IS NOT NULL
                GROUP BY lesson_id
            ), lessons AS (
                SELECT lesson_id FROM lesson_progress WHERE user_id = :u
                UNION SELECT lesson_id FROM answers
            )
            SELECT l.lesson_id,
                   p.opened_at IS NOT NULL AS opened,
                   p.completed_at IS NOT NULL AS completed,
                   COALESCE(a.n, 0) AS n, COALESCE(a.ok, 0) AS ok, b.best
            FROM lessons l
            LEFT JOIN lesson_progress p ON p.user_id = :u AND p.lesson_id = l.lesson_id
            LEFT JOIN answers a ON a.lesson_id = l.lesson_id
            LEFT JOIN best b ON b.lesson_id = l.lesson_id
            """,
            {"u": user_id},
        )
        return lesson_stats_records(rows)

    # Quizzes -------------------------------------------------------------------------
    async def start_attempt(
        self,
        user_id: int,
        lesson_id: str,
        total: int,
        now: datetime,
        option_orders: tuple[tuple[int, ...], ...] = (),
        quiz_shape: str | None = None,
    ) -> Attempt:
        # Earlier unfinished attempts need no update: only the latest one takes answers.
        rows = await self._write(
            "INSERT INTO quiz_attempts (user_id, lesson_id, total, started_at, option_orders, "
            "quiz_shape) VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
            (user_id, lesson_id, total, to_db(now), encode_orders(option_orders), quiz_shape),
        )
        return attempt_record(rows[0])

    async def get_attempt(self, attempt_id: int) -> Attempt | None:
        row = await self._fetchone("SELECT * FROM quiz_attempts WHERE id = ?", (attempt_id,))
        return attempt_record(row) if row else None

    async def latest_attempt(self, user_id: int) -> Attempt | None:
        row = await self._fetchone(
            "SELECT * FROM quiz_attempts WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user_id,)
        )
        return attempt_record(row) if row else None

    async def record_answer(
        self,
        attempt_id: int,
        user_id: int,
        question: int,
        chosen: int,
        correct: bool,
        now: datetime,
    ) -> AnswerResult:
        # One guarded INSERT: it only happens for the user's own, latest, unfinished attempt
        # and its current question; the trigger quiz_answers_advance moves the attempt on
        # (and may complete the lesson) within the same statement.
        inserted = await self._write(
            "INSERT INTO quiz_answers (attempt_id, question, user_id, lesson_id, chosen, "
            "correct, answered_at) "
            "SELECT a.id, :q, a.user_id, a.lesson_id, :chosen, :correct, :now "
            "FROM quiz_attempts a "
            "WHERE a.id = :attempt AND a.user_id = :user AND a.finished_at IS NULL "
            "AND a.current = :q AND a.id = (SELECT MAX(id) FROM quiz_attempts "
            "WHERE user_id = a.user_id AND lesson_id = a.lesson_id) "
            "ON CONFLICT DO NOTHING RETURNING attempt_id",
            {
                "q": question,
                "chosen": chosen,
                "correct": int(correct),
                "now": to_db(now),
                "attempt": attempt_id,
                "user": user_id,
            },
        )
        attempt = await self.get_attempt(attempt_id)
        if attempt is None or attempt.user_id != user_id:
            return AnswerResult(AnswerStatus.NOT_FOUND, None)
        if not inserted:
            return AnswerResult(AnswerStatus.STALE, attempt)
        return AnswerResult(AnswerStatus.RECORDED, attempt)

    # Broadcasts ------------------------------------------------------------------------
    async def create_broadcast(
        self, admin_id: int, target: str, source_chat_id: int, source_message_id: int,
        now: datetime,
    ) -> Broadcast:  # fmt: skip
        rows = await self._write(
            "INSERT INTO broadcasts (admin_id, target, source_chat_id, source_message_id, "
            "status, created_at) VALUES (?, ?, ?, ?, 'draft', ?) RETURNING *",
            (admin_id, target, source_chat_id, source_message_id, to_db(now)),
        )
        return broadcast_record(rows[0])

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        row = await self._fetchone("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return broadcast_record(row) if row else None

    async def update_broadcast(self, broadcast_id: int, **fields: object) -> Broadcast | None:
        unknown = set(fields) - set(BROADCAST_FIELDS)
        if unknown:
            raise ValueError(f"not a broadcast field: {sorted(unknown)}")
        values = {
            name: value.to_json() if isinstance(value, Audience) else value
            for name, value in fields.items()
        }
        sets = ", ".join(f"{name} = :{name}" for name in values)
        rows = await self._write(
            f"UPDATE broadcasts SET {sets} WHERE id = :id RETURNING *",
            {**values, "id": broadcast_id},
        )
        return broadcast_record(rows[0]) if rows else None

    @staticmethod
    def _audience_sql(audience: Audience, now: datetime, default_language: str):
        where = ["u.blocked = 0"]
        params: dict[str, object] = {"default": default_language}
        if audience.languages:
            names = [f":lang{i}" for i in range(len(audience.languages))]
            params.update({f"lang{i}": lang for i, lang in enumerate(audience.languages)})
            where.append(
                "COALESCE(u.language, CASE WHEN lower(substr(u.tg_language, 1, 2)) "
                "IN ('en', 'ru', 'uk') THEN lower(substr(u.tg_language, 1, 2)) "
                f"ELSE :default END) IN ({', '.join(names)})"
            )
        if audience.series:
            names = [f":series{i}" for i in range(len(audience.series))]
            params.update({f"series{i}": sid for i, sid in enumerate(audience.series)})
            where.append(
                "EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id AND "
                f"s.status IN ('active', 'paused') AND s.series_id IN ({', '.join(names)}))"
            )
        if audience.idle_days:
            params["idle_before"] = to_db(now - timedelta(days=audience.idle_days))
            where.append("u.last_seen <= :idle_before")
        return " AND ".join(where), params

    @offloaded
    async def audience_size(self, audience: Audience, now: datetime, default_language: str) -> int:
        where, params = self._audience_sql(audience, now, default_language)
        row = await self._fetchone(f"SELECT COUNT(*) AS n FROM users u WHERE {where}", params)
        return int(row["n"]) if row else 0

    @offloaded
    async def confirm_broadcast(
        self,
        broadcast_id: int,
        run_at: datetime | None,
        now: datetime,
        default_language: str,
        channel_id: int | str | None = None,
    ) -> Broadcast | None:
        async with self._tx() as db:
            rows = await db.execute_fetchall(
                "UPDATE broadcasts SET status = :status, run_at = :run_at "
                "WHERE id = :id AND status = 'draft' RETURNING *",
                {
                    "status": "scheduled" if run_at else "queued",
                    "run_at": _stamp(run_at),
                    "id": broadcast_id,
                },
            )
            if not rows:
                return None
            broadcast = broadcast_record(rows[0])
            if broadcast.target == "channel":
                await db.execute(
                    "INSERT INTO broadcast_recipients (broadcast_id, chat_id) VALUES (?, ?)",
                    (broadcast_id, int(channel_id) if isinstance(channel_id, int) else 0),
                )
            else:
                where, params = self._audience_sql(broadcast.audience, now, default_language)
                await db.execute(
                    "INSERT INTO broadcast_recipients (broadcast_id, chat_id) "
                    f"SELECT :bid, u.id FROM users u WHERE {where}",
                    {**params, "bid": broadcast_id},
                )
            total = await db.execute_fetchall(
                "UPDATE broadcasts SET total = (SELECT COUNT(*) FROM broadcast_recipients "
                "WHERE broadcast_id = :id) WHERE id = :id RETURNING *",
                {"id": broadcast_id},
            )
        return broadcast_record(total[0])

    async def set_broadcast_status(
        self, broadcast_id: int, status: str, expected: tuple[str, ...], now: datetime
    ) -> bool:
        marks = ", ".join("?" for _ in expected)
        stamp = to_db(now)
        rows = await self._write(
            "UPDATE broadcasts SET status = ?, "
            "started_at = CASE WHEN ? = 'running' THEN COALESCE(started_at, ?) "
            "ELSE started_at END, "
            "finished_at = CASE WHEN ? IN ('done', 'cancelled') THEN ? ELSE finished_at END "
            f"WHERE id = ? AND status IN ({marks}) RETURNING id",
            (status, status, stamp, status, stamp, broadcast_id, *expected),
        )
        return bool(rows)

    async def next_broadcast(self, now: datetime) -> Broadcast | None:
        await self._write(
            "UPDATE broadcasts SET status = 'queued' WHERE status = 'scheduled' AND run_at <= ?",
            (to_db(now),),
        )
        row = await self._fetchone(
            "SELECT * FROM broadcasts WHERE status IN ('running', 'queued') "
            "ORDER BY status = 'running' DESC, id LIMIT 1"
        )
        return broadcast_record(row) if row else None

    async def pending_recipients(
        self, broadcast_id: int, limit: int, after: int | None = None
    ) -> list[int]:
        rows = await self._fetchall(
            "SELECT chat_id FROM broadcast_recipients WHERE broadcast_id = ? "
            "AND status = 'pending' AND chat_id > ? ORDER BY chat_id LIMIT ?",
            (broadcast_id, after if after is not None else -(2**63), limit),
        )
        return [row["chat_id"] for row in rows]

    async def claim_recipients(
        self, broadcast_id: int, owner: str, limit: int, now: datetime, stale_before: datetime
    ) -> list[int]:
        rows = await self._write(
            "UPDATE broadcast_recipients SET owner = :owner, claimed_at = :now "
            "WHERE (broadcast_id, chat_id) IN (SELECT broadcast_id, chat_id "
            "FROM broadcast_recipients WHERE broadcast_id = :bid AND status = 'pending' "
            "AND (owner IS NULL OR (owner IS NOT :owner AND claimed_at < :stale)) "
            "ORDER BY chat_id LIMIT :limit) "
            "RETURNING chat_id",
            {
                "owner": owner,
                "now": to_db(now),
                "bid": broadcast_id,
                "stale": to_db(stale_before),
                "limit": limit,
            },
        )
        return sorted(row["chat_id"] for row in rows)

    async def release_recipients(self, broadcast_id: int, owner: str) -> int:
        rows = await self._write(
            "UPDATE broadcast_recipients SET owner = NULL, claimed_at = NULL "
            "WHERE broadcast_id = ? AND owner = ? AND status = 'pending' RETURNING chat_id",
            (broadcast_id, owner),
        )
        return len(rows)

    async def outstanding_recipients(self, broadcast_id: int) -> int:
        row = await self._fetchone(
            "SELECT COUNT(*) AS n FROM broadcast_recipients WHERE broadcast_id = ? "
            "AND status IN ('pending', 'sending')",
            (broadcast_id,),
        )
        return int(row["n"]) if row else 0

    async def mark_sending(
        self, broadcast_id: int, chat_id: int, owner: str, now: datetime
    ) -> bool:
        rows = await self._write(
            "UPDATE broadcast_recipients SET status = 'sending', claimed_at = ? "
            "WHERE broadcast_id = ? AND chat_id = ? AND status = 'pending' AND owner = ? "
            "RETURNING chat_id",
            (to_db(now), broadcast_id, chat_id, owner),
        )
        return bool(rows)

    async def record_results(
        self, broadcast_id: int, results: list[tuple[int, str, str | None]], now: datetime
    ) -> None:
        if not results:
            return
        stamp = to_db(now)
        async with self._tx() as db:
            await db.executemany(
                "UPDATE broadcast_recipients SET status = ?, error = ?, sent_at = ? "
                "WHERE broadcast_id = ? AND chat_id = ?",
                [(status, error, stamp, broadcast_id, chat) for chat, status, error in results],
            )

    async def recipient_counts(self, broadcast_id: int) -> dict[str, int]:
        rows = await self._fetchall(
            "SELECT status, COUNT(*) AS n FROM broadcast_recipients WHERE broadcast_id = ? "
            "GROUP BY status",
            (broadcast_id,),
        )
        return {row["status"]: int(row["n"]) for row in rows}

    @offloaded
    async def retry_failed(self, broadcast_id: int, which: str = "failed") -> int:
        if which not in RETRYABLE:
            raise ValueError(f"cannot retry {which!r} recipients")
        async with self._tx() as db:
            rows = await db.execute_fetchall(
                "UPDATE broadcast_recipients SET status = 'pending', error = NULL, "
                "owner = NULL, claimed_at = NULL "
                "WHERE broadcast_id = ? AND status = ? RETURNING chat_id",
                (broadcast_id, which),
            )
            if rows:
                await db.execute(
                    "UPDATE broadcasts SET status = 'queued', finished_at = NULL "
                    "WHERE id = ? AND status = 'done'",
                    (broadcast_id,),
                )
        return len(rows)

    @offloaded
    async def mark_unconfirmed(self, stale_before: datetime | None = None) -> int:
        cutoff = _stamp(stale_before) if stale_before is not None else "9999"
        rows = await self._write(
            "UPDATE broadcast_recipients SET status = 'unconfirmed', "
            "error = 'the bot stopped during this send' WHERE status = 'sending' "
            "AND COALESCE(claimed_at, '') < ? RETURNING chat_id",
            (cutoff,),
        )
        return len(rows)

    async def broadcasts(self, limit: int) -> list[tuple[Broadcast, dict[str, int]]]:
        rows = await self._fetchall(
            "SELECT * FROM broadcasts WHERE status != 'draft' ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [(broadcast_record(row), await self.recipient_counts(row["id"])) for row in rows]

    # Assessments ---------------------------------------------------------------------
    async def _assessment(self, row: sqlite3.Row | None) -> Assessment | None:
        if row is None:
            return None
        answers = await self._fetchall(
            "SELECT lesson_id, rating FROM assessment_answers WHERE assessment_id = ?",
            (row["id"],),
        )
        return Assessment(
            id=row["id"],
            user_id=row["user_id"],
            started_at=from_db(row["started_at"]),  # type: ignore[arg-type]
            finished_at=from_db(row["finished_at"]),
            ratings={a["lesson_id"]: a["rating"] for a in answers},
        )

    async def start_assessment(self, user_id: int, now: datetime) -> Assessment:
        async with self._tx() as db:  # BEGIN IMMEDIATE: one writer, so never two open ones
            row = await self._open_or_new(db, user_id, now)
        return await self._assessment(row)  # type: ignore[return-value]

    async def _open_or_new(
        self, db: Connection | aiosqlite.Connection, user_id: int, now: datetime
    ) -> sqlite3.Row:
        rows = await db.execute_fetchall(
            "SELECT * FROM assessments WHERE user_id = ? AND finished_at IS NULL "
            "ORDER BY id DESC LIMIT 1",
            (user_id,),
        )
        if not rows:
            rows = await db.execute_fetchall(
                "INSERT INTO assessments (user_id, started_at) VALUES (?, ?) RETURNING *",
                (user_id, to_db(now)),
            )
        return next(iter(rows))

    async def restart_assessment(
        self, assessment_id: int, user_id: int, now: datetime
    ) -> Assessment:
        async with self._tx() as db:
            await db.execute(
                "DELETE FROM assessments WHERE id = ? AND user_id = ? AND finished_at IS NULL",
                (assessment_id, user_id),
            )
            row = await self._open_or_new(db, user_id, now)
        return await self._assessment(row)  # type: ignore[return-value]

    async def current_assessment(self, user_id: int) -> Assessment | None:
        row = await self._fetchone(
            "SELECT * FROM assessments WHERE user_id = ? AND finished_at IS NULL "
            "ORDER BY id DESC LIMIT 1",
            (user_id,),
        )
        return await self._assessment(row)

    async def finished_assessments(self, user_id: int, limit: int = 2) -> list[Assessment]:
        rows = await self._fetchall(
            "SELECT * FROM assessments WHERE user_id = ? AND finished_at IS NOT NULL "
            "ORDER BY id DESC LIMIT ?",
            (user_id, limit),
        )
        return [a for row in rows if (a := await self._assessment(row)) is not None]

    async def get_assessment(self, assessment_id: int) -> Assessment | None:
        row = await self._fetchone("SELECT * FROM assessments WHERE id = ?", (assessment_id,))
        return await self._assessment(row)

    async def rate_obstacle(
        self, assessment_id: int, user_id: int, lesson_id: str, rating: int, now: datetime
    ) -> bool:
        rows = await self._write(
            "INSERT INTO assessment_answers (assessment_id, lesson_id, rating, answered_at) "
            "SELECT id, :lesson, :rating, :now FROM assessments "
            "WHERE id = :aid AND user_id = :user AND finished_at IS NULL "
            "ON CONFLICT (assessment_id, lesson_id) DO UPDATE SET rating = excluded.rating, "
            "answered_at = excluded.answered_at RETURNING assessment_id",
            {"lesson": lesson_id, "rating": rating, "now": to_db(now), "aid": assessment_id,
             "user": user_id},
        )  # fmt: skip
        return bool(rows)

    async def finish_assessment(self, assessment_id: int, user_id: int, now: datetime) -> bool:
        rows = await self._write(
            "UPDATE assessments SET finished_at = ? WHERE id = ? AND user_id = ? "
            "AND finished_at IS NULL RETURNING id",
            (to_db(now), assessment_id, user_id),
        )
        return bool(rows)

    # Teams -----------------------------------------------------------------------------
    _TEAM = (
        "SELECT t.*, (SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id) AS members "
        "FROM teams t"
    )

    async def create_team(
        self, manager_id: int, name: str, code: str, now: datetime
    ) -> Team | None:
        async with self._tx() as db:  # one writer at a time: the name check cannot race
            names = await db.execute_fetchall(
                "SELECT name FROM teams WHERE manager_id = ?", (manager_id,)
            )
            if team_name_key(name) in {team_name_key(row["name"]) for row in names}:
                return None
            rows = await db.execute_fetchall(
                "INSERT INTO teams (name, manager_id, code, created_at) VALUES (?, ?, ?, ?) "
                "RETURNING id",
                (name, manager_id, code, to_db(now)),
            )
            team_id = rows[0]["id"]
            await db.execute(
                "INSERT INTO team_members (team_id, user_id, joined_at) VALUES (?, ?, ?)",
                (team_id, manager_id, to_db(now)),
            )
        team = await self.get_team(team_id)
        assert team is not None
        return team

    async def team_by_code(self, code: str) -> Team | None:
        row = await self._fetchone(f"{self._TEAM} WHERE t.code = ?", (code,))
        return team_record(row) if row else None

    async def get_team(self, team_id: int) -> Team | None:
        row = await self._fetchone(f"{self._TEAM} WHERE t.id = ?", (team_id,))
        return team_record(row) if row else None

    async def join_team(self, team_id: int, user_id: int, now: datetime) -> bool:
        rows = await self._write(
            "INSERT INTO team_members (team_id, user_id, joined_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING RETURNING team_id",
            (team_id, user_id, to_db(now)),
        )
        return bool(rows)

    async def leave_team(self, team_id: int, user_id: int) -> bool:
        rows = await self._write(
            "DELETE FROM team_members WHERE team_id = ? AND user_id = ? RETURNING team_id",
            (team_id, user_id),
        )
        return bool(rows)

    async def delete_team(self, team_id: int, manager_id: int) -> bool:
        rows = await self._write(
            "DELETE FROM teams WHERE id = ? AND manager_id = ? RETURNING id", (team_id, manager_id)
        )
        return bool(rows)

    async def teams_of(self, user_id: int) -> list[Team]:
        rows = await self._fetchall(
            f"{self._TEAM} WHERE t.manager_id = :u OR EXISTS (SELECT 1 FROM team_members m "
            "WHERE m.team_id = t.id AND m.user_id = :u) ORDER BY t.id",
            {"u": user_id},
        )
        return [team_record(row) for row in rows]

    async def is_member(self, team_id: int, user_id: int) -> bool:
        row = await self._fetchone(
            "SELECT 1 FROM team_members WHERE team_id = ? AND user_id = ?", (team_id, user_id)
        )
        return row is not None

    async def team_latest_ratings(
        self, team_id: int, excluding: int | None = None
    ) -> list[dict[str, int]]:
        rows = await self._fetchall(
            """
            SELECT a.id FROM team_members m
            JOIN assessments a ON a.id = (
                SELECT MAX(id) FROM assessments
                WHERE user_id = m.user_id AND finished_at IS NOT NULL)
            WHERE m.team_id = ? AND m.user_id IS NOT ?
            """,
            (team_id, excluding),
        )
        result = []
        for row in rows:
            answers = await self._fetchall(
                "SELECT lesson_id, rating FROM assessment_answers WHERE assessment_id = ?",
                (row["id"],),
            )
            result.append({a["lesson_id"]: a["rating"] for a in answers})
        return result

    # Personal data ---------------------------------------------------------------------
    async def personal_data(self, user_id: int) -> dict[str, object]:
        user = await self._fetchone("SELECT * FROM users WHERE id = ?", (user_id,))
        if user is None:
            return {}
        counts = {}
        for name, (table, column) in PERSONAL_TABLES.items():
            row = await self._fetchone(
                f"SELECT COUNT(*) AS n FROM {table} WHERE {column} = ?", (user_id,)
            )
            counts[name] = int(row["n"]) if row else 0
        profile = {k: user[k] for k in PROFILE_FIELDS}
        return {"profile": profile, "counts": counts}

    async def delete_personal_data(self, user_id: int) -> bool:
        self._days.pop(user_id, None)
        async with self._tx() as db:
            # rows that name the user without a foreign key to users
            await db.execute("DELETE FROM review_log WHERE user_id = ?", (user_id,))
            await db.execute("DELETE FROM quiz_answers WHERE user_id = ?", (user_id,))
            await db.execute("DELETE FROM broadcast_recipients WHERE chat_id = ?", (user_id,))
            # an admin's broadcasts (their chat, their message ids; recipients cascade)
            await db.execute("DELETE FROM broadcasts WHERE admin_id = ?", (user_id,))
            rows = await db.execute_fetchall(
                "DELETE FROM users WHERE id = ? RETURNING id", (user_id,)
            )
        return bool(rows)

    # Statistics ------------------------------------------------------------------------
    @offloaded
    async def stats(self, now: datetime, default_language: str) -> Stats:
        row = await self._fetchone(
            "SELECT COUNT(*) AS n, COALESCE(SUM(last_seen >= :d7), 0) AS a7, "
            "COALESCE(SUM(last_seen >= :d30), 0) AS a30, COALESCE(SUM(blocked), 0) AS b "
            "FROM users",
            {"d7": to_db(now - timedelta(days=7)), "d30": to_db(now - timedelta(days=30))},
        )
        languages = await self._fetchall(
            "SELECT COALESCE(language, CASE WHEN lower(substr(tg_language, 1, 2)) "
            "IN ('en', 'ru', 'uk') THEN lower(substr(tg_language, 1, 2)) ELSE :d END) AS lang, "
            "COUNT(*) AS n FROM users GROUP BY lang ORDER BY n DESC",
            {"d": default_language},
        )
        subs = await self._fetchall(
            "SELECT series_id, COUNT(*) AS n FROM subscriptions WHERE status = 'active' "
            "GROUP BY series_id ORDER BY n DESC"
        )
        done = await self._fetchone(
            "SELECT COUNT(*) AS n FROM lesson_progress WHERE completed_at IS NOT NULL"
        )
        answers = await self._fetchone(
            "SELECT COUNT(*) AS n, COALESCE(SUM(correct), 0) AS ok FROM quiz_answers"
        )
        assert row and done and answers
        return Stats(
            learners=int(row["n"]),
            active_7=int(row["a7"]),
            active_30=int(row["a30"]),
            blocked=int(row["b"]),
            by_language={r["lang"]: int(r["n"]) for r in languages},
            subscriptions={r["series_id"]: int(r["n"]) for r in subs},
            lessons_completed=int(done["n"]),
            answers=int(answers["n"]),
            correct=int(answers["ok"]),
        )

    @offloaded
    async def question_stats(self) -> list[QuestionStats]:
        rows = await self._fetchall(
            "SELECT lesson_id, question, COUNT(*) AS n, SUM(correct) AS ok FROM quiz_answers "
            "GROUP BY lesson_id, question"
        )
        return [
            QuestionStats(r["lesson_id"], r["question"], int(r["n"]), int(r["ok"])) for r in rows
        ]

    @offloaded
    async def daily_activity(self, since: date) -> list[tuple[date, int, int]]:
        active = await self._fetchall(
            "SELECT day, COUNT(*) AS n FROM activity_days WHERE day >= ? GROUP BY day",
            (since.isoformat(),),
        )
        completed = await self._fetchall(
            "SELECT substr(completed_at, 1, 10) AS day, COUNT(*) AS n FROM lesson_progress "
            "WHERE completed_at >= ? GROUP BY day",
            (since.isoformat(),),
        )
        by_day: dict[str, list[int]] = {}
        for r in active:
            by_day.setdefault(r["day"], [0, 0])[0] = int(r["n"])
        for r in completed:
            by_day.setdefault(r["day"], [0, 0])[1] = int(r["n"])
        return [(date.fromisoformat(d), a, c) for d, (a, c) in sorted(by_day.items())]

    @offloaded
    async def export_progress(self) -> list[dict[str, object]]:
        rows = await self._fetchall(
            """
            SELECT u.id AS user_id, u.language, u.tg_language, u.first_seen, u.last_seen,
                   u.blocked,
                   (SELECT COUNT(*) FROM lesson_progress p WHERE p.user_id = u.id) AS opened,
                   (SELECT COUNT(*) FROM lesson_progress p WHERE p.user_id = u.id
                      AND p.completed_at IS NOT NULL) AS completed,
                   (SELECT COUNT(*) FROM quiz_answers a WHERE a.user_id = u.id) AS answers,
                   (SELECT COALESCE(SUM(correct), 0) FROM quiz_answers a
                      WHERE a.user_id = u.id) AS correct,
                   (SELECT COUNT(*) FROM subscriptions s WHERE s.user_id = u.id
                      AND s.status = 'active') AS subscriptions,
                   (SELECT COUNT(*) FROM review_cards c WHERE c.user_id = u.id) AS cards
            FROM users u ORDER BY u.id
            """
        )
        return [dict(row) for row in rows]


def _stamp(value: datetime | None) -> str | None:
    return to_db(value) if value is not None else None
