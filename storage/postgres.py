"""PostgreSQL backend on asyncpg: the same interface as SQLite, for deployments past one machine.

Chosen by a ``postgresql://`` URL in ``CXCOACH_DATABASE``. A connection pool serves every
call; multi-statement work runs in a transaction. Claims of due slots use ``FOR UPDATE SKIP
LOCKED`` so several processes never take the same row. Migrations live in
``migrations/postgres`` and are applied under an advisory lock (one process migrates, the
others wait), their version kept in ``cxcoach_schema``.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

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
    as_is,
    attempt_record,
    broadcast_record,
    card_record,
    encode_order,
    encode_orders,
    lesson_stats_records,
    subscription_record,
    team_record,
    user_record,
)
from storage.sqlite import migrations

log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x0C0AC4  # pg_advisory_lock key: one migrating process at a time
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # PostgreSQL's timestamp epoch


def _encode_time(value: datetime) -> tuple[int]:
    """timestamptz out: refuse naive datetimes, as the SQLite backend does."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to storage; use timezone-aware UTC")
    delta = value - _EPOCH
    return ((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds,)


def _decode_time(value: tuple[int]) -> datetime:
    """timestamptz in: an aware UTC datetime."""
    return _EPOCH + timedelta(microseconds=value[0])


async def _setup_connection(connection: asyncpg.Connection) -> None:
    await connection.set_type_codec(
        "timestamptz",
        schema="pg_catalog",
        encoder=_encode_time,
        decoder=_decode_time,
        format="tuple",
    )


def _user(row: Any) -> User:
    return user_record(row, as_is)


class PostgresStorage(Storage):
    """The storage interface on a PostgreSQL server."""

    def __init__(self, dsn: str, *, schema: str | None = None, pool_size: int = 10) -> None:
        self.dsn = dsn
        self.schema = schema
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._days: dict[int, date] = {}  # last activity day written, per user

    # Life cycle ---------------------------------------------------------------------
    async def open(self) -> None:
        settings = {"search_path": self.schema} if self.schema else {}
        self._pool = await asyncpg.create_pool(
            self.dsn,
            min_size=1,
            max_size=self.pool_size,
            server_settings=settings,
            init=_setup_connection,
        )
        await self._migrate()

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("storage is not open")
        return self._pool

    async def _migrate(self) -> None:
        async with self.pool.acquire() as con:
            await con.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                await con.execute(
                    "CREATE TABLE IF NOT EXISTS cxcoach_schema (version INTEGER NOT NULL)"
                )
                current = await con.fetchval("SELECT MAX(version) FROM cxcoach_schema") or 0
                for version, name, sql in migrations("postgres"):
                    if version <= current:
                        continue
                    log.info("applying migration %s", name)
                    async with con.transaction():
                        await con.execute(sql)
                        await con.execute("INSERT INTO cxcoach_schema VALUES ($1)", version)
            finally:
                await con.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)

    async def schema_version(self) -> int:
        return await self.pool.fetchval("SELECT MAX(version) FROM cxcoach_schema") or 0

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[asyncpg.Connection]:
        async with self.pool.acquire() as con, con.transaction():
            yield con

    # Users ---------------------------------------------------------------------------
    async def touch_user(
        self, user_id: int, first_name: str, tg_language: str | None, now: datetime
    ) -> tuple[User, bool]:
        row = await self.pool.fetchrow(
            "INSERT INTO users (id, tg_language, first_name, first_seen, last_seen) "
            "VALUES ($1, $2, $3, $4, $4) "
            "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen, "
            "first_name = excluded.first_name, visits = users.visits + 1, "
            "tg_language = COALESCE(excluded.tg_language, users.tg_language), "
            "returned = users.blocked, blocked = FALSE, blocked_at = NULL, ignored_nudges = 0 "
            "RETURNING *",
            user_id,
            tg_language,
            first_name,
            now,
        )
        return _user(row), row["visits"] == 1

    async def get_user(self, user_id: int) -> User | None:
        row = await self.pool.fetchrow("SELECT * FROM users WHERE id = $1", user_id)
        return _user(row) if row else None

    async def set_language(self, user_id: int, language: str) -> None:
        await self.pool.execute("UPDATE users SET language = $1 WHERE id = $2", language, user_id)

    async def set_blocked(self, user_id: int, blocked: bool, now: datetime) -> None:
        await self.pool.execute(
            "UPDATE users SET blocked = $1, blocked_at = CASE WHEN $1 THEN $2::timestamptz END, "
            "next_slot_at = CASE WHEN $1 THEN NULL ELSE next_slot_at END WHERE id = $3",
            blocked,
            now,
            user_id,
        )

    async def set_prefs(
        self, user_id: int, next_slot_at: datetime | None, **prefs: object
    ) -> User | None:
        unknown = set(prefs) - set(PREF_FIELDS)
        if unknown:
            raise ValueError(f"not a delivery preference: {sorted(unknown)}")
        names = list(prefs)
        sets = [f"{name} = ${i + 3}" for i, name in enumerate(names)]
        if "timezone" in prefs:
            sets.append("tz_chosen = TRUE")
        sets.append("next_slot_at = CASE WHEN blocked THEN NULL ELSE $2::timestamptz END")
        row = await self.pool.fetchrow(
            f"UPDATE users SET {', '.join(sets)} WHERE id = $1 RETURNING *",
            user_id,
            next_slot_at,
            *(prefs[name] for name in names),
        )
        return _user(row) if row else None

    async def set_awaiting(self, user_id: int, awaiting: str | None) -> None:
        await self.pool.execute("UPDATE users SET awaiting = $1 WHERE id = $2", awaiting, user_id)

    async def forget_awaiting(self, values: Sequence[str], keep: Collection[int]) -> int:
        status = await self.pool.execute(
            "UPDATE users SET awaiting = NULL WHERE awaiting = ANY($1::text[]) "
            "AND NOT (id = ANY($2::bigint[]))",
            list(values),
            list(keep),
        )
        return int(status.split()[-1])

    async def schedule(
        self, user_id: int, next_slot_at: datetime | None, *, only_if_unset: bool = False
    ) -> None:
        guard = " AND next_slot_at IS NULL" if only_if_unset else ""
        await self.pool.execute(
            f"UPDATE users SET next_slot_at = $1 WHERE id = $2 AND NOT blocked{guard}",
            next_slot_at,
            user_id,
        )

    # Lessons -------------------------------------------------------------------------
    async def mark_opened(self, user_id: int, lesson_id: str, now: datetime) -> None:
        await self.pool.execute(
            "INSERT INTO lesson_progress (user_id, lesson_id, opened_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (user_id, lesson_id) DO NOTHING",
            user_id,
            lesson_id,
            now,
        )

    async def mark_completed(self, user_id: int, lesson_id: str, now: datetime) -> None:
        await self.pool.execute(
            "INSERT INTO lesson_progress (user_id, lesson_id, opened_at, completed_at) "
            "VALUES ($1, $2, $3, $3) ON CONFLICT (user_id, lesson_id) DO UPDATE SET "
            "completed_at = COALESCE(lesson_progress.completed_at, excluded.completed_at)",
            user_id,
            lesson_id,
            now,
        )

    async def completed_lessons(self, user_id: int) -> set[str]:
        rows = await self.pool.fetch(
            "SELECT lesson_id FROM lesson_progress WHERE user_id = $1 AND completed_at IS NOT NULL",
            user_id,
        )
        return {row["lesson_id"] for row in rows}

    async def lesson_stats(self, user_id: int) -> dict[str, LessonStats]:
        rows = await self.pool.fetch(
            """
            WITH answers AS (
                SELECT lesson_id, COUNT(*) AS n, SUM(correct) AS ok
                FROM quiz_answers WHERE user_id = $1 GROUP BY lesson_id
            ), best AS (
                SELECT lesson_id, MAX(correct) AS best
                FROM quiz_attempts WHERE user_id = $1 AND finished_at IS NOT NULL
                GROUP BY lesson_id
            ), lessons AS (
                SELECT lesson_id FROM lesson_progress WHERE user_id = $1
                UNION SELECT lesson_id FROM answers
            )
            SELECT l.lesson_id,
                   p.opened_at IS NOT NULL AS opened,
                   p.completed_at IS NOT NULL AS completed,
                   COALESCE(a.n, 0) AS n, COALESCE(a.ok, 0) AS ok, b.best
            FROM lessons l
            LEFT JOIN lesson_progress p ON p.user_id = $1 AND p.lesson_id = l.lesson_id
            LEFT JOIN answers a ON a.lesson_id = l.lesson_id
            LEFT JOIN best b ON b.lesson_id = l.lesson_id
            """,
            user_id,
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
        row = await self.pool.fetchrow(
            "INSERT INTO quiz_attempts (user_id, lesson_id, total, started_at, option_orders, "
            "quiz_shape) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
            user_id,
            lesson_id,
            total,
            now,
            encode_orders(option_orders),
            quiz_shape,
        )
        return attempt_record(row, as_is)

    async def get_attempt(self, attempt_id: int) -> Attempt | None:
        row = await self.pool.fetchrow("SELECT * FROM quiz_attempts WHERE id = $1", attempt_id)
        return attempt_record(row, as_is) if row else None

    async def latest_attempt(self, user_id: int) -> Attempt | None:
        row = await self.pool.fetchrow(
            "SELECT * FROM quiz_attempts WHERE user_id = $1 ORDER BY id DESC LIMIT 1", user_id
        )
        return attempt_record(row, as_is) if row else None

    async def record_answer(
        self,
        attempt_id: int,
        user_id: int,
        question: int,
        chosen: int,
        correct: bool,
        now: datetime,
    ) -> AnswerResult:
        inserted = await self.pool.fetch(
            "INSERT INTO quiz_answers (attempt_id, question, user_id, lesson_id, chosen, "
            "correct, answered_at) "
            "SELECT a.id, $2, a.user_id, a.lesson_id, $3, $4, $5 FROM quiz_attempts a "
            "WHERE a.id = $1 AND a.user_id = $6 AND a.finished_at IS NULL "
            "AND a.current = $2 AND a.id = (SELECT MAX(id) FROM quiz_attempts "
            "WHERE user_id = a.user_id AND lesson_id = a.lesson_id) "
            "ON CONFLICT DO NOTHING RETURNING attempt_id",
            attempt_id,
            question,
            chosen,
            int(correct),
            now,
            user_id,
        )
        attempt = await self.get_attempt(attempt_id)
        if attempt is None or attempt.user_id != user_id:
            return AnswerResult(AnswerStatus.NOT_FOUND, None)
        if not inserted:
            return AnswerResult(AnswerStatus.STALE, attempt)
        return AnswerResult(AnswerStatus.RECORDED, attempt)

    # Subscriptions -------------------------------------------------------------------
    async def subscriptions(self, user_id: int) -> list[SubscriptionRow]:
        rows = await self.pool.fetch(
            "SELECT * FROM subscriptions WHERE user_id = $1 ORDER BY subscribed_at, series_id",
            user_id,
        )
        return [subscription_record(row, as_is) for row in rows]

    async def set_subscription(
        self, user_id: int, series_id: str, status: str | None, now: datetime
    ) -> None:
        if status is None:
            async with self._tx() as con:
                await con.execute(
                    "DELETE FROM subscriptions WHERE user_id = $1 AND series_id = $2",
                    user_id,
                    series_id,
                )
                await con.execute(
                    "UPDATE users SET unsubscribed_at = $2 WHERE id = $1", user_id, now
                )
            return
        await self.pool.execute(
            "INSERT INTO subscriptions (user_id, series_id, status, subscribed_at, changed_at) "
            "VALUES ($1, $2, $3, $4, $4) ON CONFLICT (user_id, series_id) DO UPDATE SET "
            "status = excluded.status, changed_at = excluded.changed_at",
            user_id,
            series_id,
            status,
            now,
        )

    # The daily slot --------------------------------------------------------------------
    async def claim_due(self, now: datetime, limit: int) -> list[Claim]:
        async with self._tx() as con:
            rows = await con.fetch(
                "SELECT * FROM users WHERE next_slot_at IS NOT NULL AND next_slot_at <= $1 "
                "ORDER BY next_slot_at LIMIT $2 FOR UPDATE SKIP LOCKED",
                now,
                limit,
            )
            if not rows:
                return []
            await con.executemany(
                "INSERT INTO deliveries (user_id, slot_at, status, claimed_at) "
                "VALUES ($1, $2, 'pending', $3) ON CONFLICT DO NOTHING",
                [(row["id"], row["next_slot_at"], now) for row in rows],
            )
            await con.execute(
                "UPDATE users SET next_slot_at = NULL WHERE id = ANY($1::bigint[])",
                [row["id"] for row in rows],
            )
            # slots a dead process was sending (made due again by recover_pending)
            open_rows = await con.fetch(
                "SELECT user_id, slot_at FROM deliveries "
                "WHERE status = 'unconfirmed' AND finished_at IS NULL AND user_id = ANY($1)",
                [row["id"] for row in rows],
            )
        unconfirmed = {(row["user_id"], row["slot_at"]) for row in open_rows}
        return [
            Claim(
                _user(row),
                row["next_slot_at"],
                claimed_at=now,
                unconfirmed=(row["id"], row["next_slot_at"]) in unconfirmed,
            )
            for row in rows
        ]

    async def training_facts(self, user_id: int, now: datetime) -> TrainingFacts:
        subs = await self.subscriptions(user_id)
        rows = await self.pool.fetch(
            "SELECT lesson_id, completed_at IS NOT NULL AS done FROM lesson_progress "
            "WHERE user_id = $1",
            user_id,
        )
        cards = await self.pool.fetchrow(
            "SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE due_at <= $1) AS due "
            "FROM review_cards WHERE user_id = $2",
            now,
            user_id,
        )
        return TrainingFacts(
            subscriptions=tuple(subs),
            opened=frozenset(row["lesson_id"] for row in rows),
            completed=frozenset(row["lesson_id"] for row in rows if row["done"]),
            reviews_due=int(cards["due"]),
            has_cards=bool(cards["n"]),
        )

    async def finish_delivery(
        self, user_id: int, slot_at: datetime, outcome: DeliveryOutcome, now: datetime
    ) -> None:
        delivered = outcome.status == "sent"
        async with self._tx() as con:
            await con.execute(
                "UPDATE deliveries SET status = $1, kind = $2, lessons = $3, finished_at = $4 "
                "WHERE user_id = $5 AND slot_at = $6",
                outcome.status,
                outcome.kind,
                ",".join(outcome.lessons),
                now,
                user_id,
                slot_at,
            )
            if delivered and outcome.lessons:
                await con.executemany(
                    "INSERT INTO lesson_progress (user_id, lesson_id, opened_at) "
                    "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    [(user_id, lesson_id, now) for lesson_id in outcome.lessons],
                )
            if delivered and outcome.finished_series:
                await con.executemany(
                    "UPDATE subscriptions SET status = 'finished', changed_at = $1 "
                    "WHERE user_id = $2 AND series_id = $3 AND status = 'active'",
                    [(now, user_id, series_id) for series_id in outcome.finished_series],
                )
            nudge = delivered and outcome.nudge
            await con.execute(
                "UPDATE users SET "
                "next_slot_at = CASE WHEN blocked THEN NULL ELSE $1::timestamptz END, "
                "last_slot_at = CASE WHEN $2 THEN $7::timestamptz ELSE last_slot_at END, "
                "last_nudge_at = CASE WHEN $4 THEN $3 ELSE last_nudge_at END, "
                "ignored_nudges = ignored_nudges + $5 WHERE id = $6",
                outcome.next_slot_at,
                delivered,
                now,
                nudge,
                int(nudge),
                user_id,
                outcome.counted_at or now,
            )

    async def mark_delivery_sending(
        self, user_id: int, slot_at: datetime, claimed_at: datetime, now: datetime
    ) -> bool:
        row = await self.pool.fetchrow(
            "UPDATE deliveries SET status = 'sending', claimed_at = $1 WHERE user_id = $2 "
            "AND slot_at = $3 AND status = 'pending' AND claimed_at = $4 RETURNING user_id",
            now,
            user_id,
            slot_at,
            claimed_at,
        )
        return row is not None

    async def recover_pending(self, now: datetime, stale_before: datetime | None = None) -> int:
        async with self._tx() as con:
            stale = await con.fetch(
                "SELECT user_id, slot_at, status FROM deliveries WHERE finished_at IS NULL "
                "AND status IN ('pending', 'sending') "
                "AND ($1::timestamptz IS NULL OR claimed_at < $1) FOR UPDATE SKIP LOCKED",
                stale_before,
            )
            pending = [(r["user_id"], r["slot_at"]) for r in stale if r["status"] == "pending"]
            sending = [(r["user_id"], r["slot_at"]) for r in stale if r["status"] == "sending"]
            await con.executemany(
                "DELETE FROM deliveries WHERE user_id = $1 AND slot_at = $2", pending
            )
            await con.executemany(
                "UPDATE deliveries SET status = 'unconfirmed' WHERE user_id = $1 AND slot_at = $2",
                sending,
            )
            await con.executemany(
                "UPDATE users SET next_slot_at = $1 WHERE id = $2 AND NOT blocked "
                "AND next_slot_at IS NULL",
                [(slot_at, user_id) for user_id, slot_at in pending + sending],
            )
        return len(stale)

    async def count_due(self, now: datetime) -> int:
        return await self.pool.fetchval(
            "SELECT COUNT(*) FROM users WHERE next_slot_at IS NOT NULL AND next_slot_at <= $1",
            now,
        )

    # Review cards ----------------------------------------------------------------------
    async def get_card(self, user_id: int, lesson_id: str, question: int) -> Card | None:
        row = await self.pool.fetchrow(
            "SELECT * FROM review_cards WHERE user_id = $1 AND lesson_id = $2 AND question = $3",
            user_id,
            lesson_id,
            question,
        )
        return card_record(row, as_is) if row else None

    async def card_by_id(self, card_id: int) -> Card | None:
        row = await self.pool.fetchrow("SELECT * FROM review_cards WHERE id = $1", card_id)
        return card_record(row, as_is) if row else None

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
        guard = "" if expected_reviews is None else " WHERE review_cards.reviews = $12"
        args: list[Any] = [
            user_id, lesson_id, question, fsrs, due_at, now, rating, correct, source, seconds,
            encode_order(option_order),
        ]  # fmt: skip
        if expected_reviews is not None:
            args.append(expected_reviews)
        row = await self.pool.fetchrow(
            "INSERT INTO review_cards (user_id, lesson_id, question, fsrs, due_at, reviews, "
            "created_at, last_review_at, last_rating, last_correct, last_source, last_seconds, "
            "option_order) VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7, $8, $9, $10, $11) "
            "ON CONFLICT (user_id, lesson_id, question) DO UPDATE SET fsrs = excluded.fsrs, "
            "option_order = excluded.option_order, "
            "due_at = excluded.due_at, reviews = review_cards.reviews + 1, "
            "last_review_at = excluded.last_review_at, last_rating = excluded.last_rating, "
            "last_correct = excluded.last_correct, last_source = excluded.last_source, "
            f"last_seconds = excluded.last_seconds{guard} RETURNING *",
            *args,
        )
        return card_record(row, as_is) if row else None

    async def due_cards(self, user_id: int, now: datetime, limit: int) -> list[Card]:
        rows = await self.pool.fetch(
            "SELECT * FROM review_cards WHERE user_id = $1 AND due_at <= $2 "
            "ORDER BY due_at, id LIMIT $3",
            user_id,
            now,
            limit,
        )
        return [card_record(row, as_is) for row in rows]

    async def retire_cards(self, questions: Mapping[str, int]) -> int:
        rows = await self.pool.fetch(
            "DELETE FROM review_cards c WHERE NOT EXISTS (SELECT 1 FROM unnest($1::text[], "
            "$2::int[]) AS k(lesson_id, n) WHERE k.lesson_id = c.lesson_id AND c.question < k.n) "
            "RETURNING c.id",
            list(questions),
            list(questions.values()),
        )
        return len(rows)

    async def count_due_cards(self, user_id: int, now: datetime) -> int:
        return await self.pool.fetchval(
            "SELECT COUNT(*) FROM review_cards WHERE user_id = $1 AND due_at <= $2",
            user_id,
            now,
        )

    # Activity --------------------------------------------------------------------------
    async def add_activity(self, user_id: int, day: date) -> None:
        if self._days.get(user_id) == day:  # written already today by this process
            return
        if len(self._days) > 100_000:
            self._days.clear()
        await self.pool.execute(
            "INSERT INTO activity_days (user_id, day) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            user_id,
            day,
        )
        self._days[user_id] = day

    async def activity_days(self, user_id: int) -> list[date]:
        rows = await self.pool.fetch(
            "SELECT day FROM activity_days WHERE user_id = $1 ORDER BY day", user_id
        )
        return [row["day"] for row in rows]

    # Broadcasts ------------------------------------------------------------------------
    async def create_broadcast(
        self, admin_id: int, target: str, source_chat_id: int, source_message_id: int,
        now: datetime,
    ) -> Broadcast:  # fmt: skip
        row = await self.pool.fetchrow(
            "INSERT INTO broadcasts (admin_id, target, source_chat_id, source_message_id, "
            "status, created_at) VALUES ($1, $2, $3, $4, 'draft', $5) RETURNING *",
            admin_id,
            target,
            source_chat_id,
            source_message_id,
            now,
        )
        return broadcast_record(row, as_is)

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        row = await self.pool.fetchrow("SELECT * FROM broadcasts WHERE id = $1", broadcast_id)
        return broadcast_record(row, as_is) if row else None

    async def update_broadcast(self, broadcast_id: int, **fields: object) -> Broadcast | None:
        unknown = set(fields) - set(BROADCAST_FIELDS)
        if unknown:
            raise ValueError(f"not a broadcast field: {sorted(unknown)}")
        names = list(fields)
        values = [v.to_json() if isinstance(v, Audience) else v for v in fields.values()]
        sets = ", ".join(f"{name} = ${i + 2}" for i, name in enumerate(names))
        row = await self.pool.fetchrow(
            f"UPDATE broadcasts SET {sets} WHERE id = $1 RETURNING *", broadcast_id, *values
        )
        return broadcast_record(row, as_is) if row else None

    @staticmethod
    def _audience_sql(
        audience: Audience, now: datetime, default_language: str, first: int
    ) -> tuple[str, list[Any]]:
        """WHERE clause over ``users u`` and its arguments, numbered from ``first``."""
        where = ["NOT u.blocked"]
        args: list[Any] = []

        def arg(value: Any) -> str:
            args.append(value)
            return f"${first + len(args) - 1}"

        if audience.languages:
            default = arg(default_language)
            where.append(
                "COALESCE(u.language, CASE WHEN lower(substr(u.tg_language, 1, 2)) "
                "IN ('en', 'ru', 'uk') THEN lower(substr(u.tg_language, 1, 2)) "
                f"ELSE {default} END) = ANY({arg(list(audience.languages))}::text[])"
            )
        if audience.series:
            where.append(
                "EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id AND "
                "s.status IN ('active', 'paused') AND "
                f"s.series_id = ANY({arg(list(audience.series))}::text[]))"
            )
        if audience.idle_days:
            where.append(f"u.last_seen <= {arg(now - timedelta(days=audience.idle_days))}")
        return " AND ".join(where), args

    async def audience_size(self, audience: Audience, now: datetime, default_language: str) -> int:
        where, args = self._audience_sql(audience, now, default_language, 1)
        return await self.pool.fetchval(f"SELECT COUNT(*) FROM users u WHERE {where}", *args)

    async def confirm_broadcast(
        self,
        broadcast_id: int,
        run_at: datetime | None,
        now: datetime,
        default_language: str,
        channel_id: int | str | None = None,
    ) -> Broadcast | None:
        async with self._tx() as con:
            row = await con.fetchrow(
                "UPDATE broadcasts SET status = $1, run_at = $2 "
                "WHERE id = $3 AND status = 'draft' RETURNING *",
                "scheduled" if run_at else "queued",
                run_at,
                broadcast_id,
            )
            if row is None:
                return None
            broadcast = broadcast_record(row, as_is)
            if broadcast.target == "channel":
                await con.execute(
                    "INSERT INTO broadcast_recipients (broadcast_id, chat_id) VALUES ($1, $2)",
                    broadcast_id,
                    int(channel_id) if isinstance(channel_id, int) else 0,
                )
            else:
                where, args = self._audience_sql(broadcast.audience, now, default_language, 2)
                await con.execute(
                    "INSERT INTO broadcast_recipients (broadcast_id, chat_id) "
                    f"SELECT $1, u.id FROM users u WHERE {where}",
                    broadcast_id,
                    *args,
                )
            row = await con.fetchrow(
                "UPDATE broadcasts SET total = (SELECT COUNT(*) FROM broadcast_recipients "
                "WHERE broadcast_id = $1) WHERE id = $1 RETURNING *",
                broadcast_id,
            )
        return broadcast_record(row, as_is)

    async def set_broadcast_status(
        self, broadcast_id: int, status: str, expected: tuple[str, ...], now: datetime
    ) -> bool:
        row = await self.pool.fetchrow(
            "UPDATE broadcasts SET status = $1, "
            "started_at = CASE WHEN $1 = 'running' THEN COALESCE(started_at, $2) "
            "ELSE started_at END, "
            "finished_at = CASE WHEN $1 IN ('done', 'cancelled') THEN $2 ELSE finished_at END "
            "WHERE id = $3 AND status = ANY($4::text[]) RETURNING id",
            status,
            now,
            broadcast_id,
            list(expected),
        )
        return row is not None

    async def next_broadcast(self, now: datetime) -> Broadcast | None:
        await self.pool.execute(
            "UPDATE broadcasts SET status = 'queued' WHERE status = 'scheduled' AND run_at <= $1",
            now,
        )
        row = await self.pool.fetchrow(
            "SELECT * FROM broadcasts WHERE status IN ('running', 'queued') "
            "ORDER BY status = 'running' DESC, id LIMIT 1"
        )
        return broadcast_record(row, as_is) if row else None

    async def pending_recipients(
        self, broadcast_id: int, limit: int, after: int | None = None
    ) -> list[int]:
        rows = await self.pool.fetch(
            "SELECT chat_id FROM broadcast_recipients WHERE broadcast_id = $1 "
            "AND status = 'pending' AND chat_id > $2 ORDER BY chat_id LIMIT $3",
            broadcast_id,
            after if after is not None else -(2**63),
            limit,
        )
        return [row["chat_id"] for row in rows]

    async def claim_recipients(
        self, broadcast_id: int, owner: str, limit: int, now: datetime, stale_before: datetime
    ) -> list[int]:
        rows = await self.pool.fetch(
            "UPDATE broadcast_recipients SET owner = $1, claimed_at = $2 "
            "WHERE (broadcast_id, chat_id) IN (SELECT broadcast_id, chat_id "
            "FROM broadcast_recipients WHERE broadcast_id = $3 AND status = 'pending' "
            "AND (owner IS NULL OR (owner IS DISTINCT FROM $1 AND claimed_at < $4)) "
            "ORDER BY chat_id LIMIT $5 "
            "FOR UPDATE SKIP LOCKED) RETURNING chat_id",
            owner,
            now,
            broadcast_id,
            stale_before,
            limit,
        )
        return sorted(row["chat_id"] for row in rows)

    async def release_recipients(self, broadcast_id: int, owner: str) -> int:
        rows = await self.pool.fetch(
            "UPDATE broadcast_recipients SET owner = NULL, claimed_at = NULL "
            "WHERE broadcast_id = $1 AND owner = $2 AND status = 'pending' RETURNING chat_id",
            broadcast_id,
            owner,
        )
        return len(rows)

    async def outstanding_recipients(self, broadcast_id: int) -> int:
        return await self.pool.fetchval(
            "SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = $1 "
            "AND status IN ('pending', 'sending')",
            broadcast_id,
        )

    async def mark_sending(
        self, broadcast_id: int, chat_id: int, owner: str, now: datetime
    ) -> bool:
        row = await self.pool.fetchrow(
            "UPDATE broadcast_recipients SET status = 'sending', claimed_at = $4 "
            "WHERE broadcast_id = $1 AND chat_id = $2 AND status = 'pending' AND owner = $3 "
            "RETURNING chat_id",
            broadcast_id,
            chat_id,
            owner,
            now,
        )
        return row is not None

    async def record_results(
        self, broadcast_id: int, results: list[tuple[int, str, str | None]], now: datetime
    ) -> None:
        if not results:
            return
        async with self._tx() as con:
            await con.executemany(
                "UPDATE broadcast_recipients SET status = $1, error = $2, sent_at = $3 "
                "WHERE broadcast_id = $4 AND chat_id = $5",
                [(status, error, now, broadcast_id, chat) for chat, status, error in results],
            )

    async def recipient_counts(self, broadcast_id: int) -> dict[str, int]:
        rows = await self.pool.fetch(
            "SELECT status, COUNT(*) AS n FROM broadcast_recipients WHERE broadcast_id = $1 "
            "GROUP BY status",
            broadcast_id,
        )
        return {row["status"]: int(row["n"]) for row in rows}

    async def retry_failed(self, broadcast_id: int, which: str = "failed") -> int:
        if which not in RETRYABLE:
            raise ValueError(f"cannot retry {which!r} recipients")
        async with self._tx() as con:
            rows = await con.fetch(
                "UPDATE broadcast_recipients SET status = 'pending', error = NULL, "
                "owner = NULL, claimed_at = NULL "
                "WHERE broadcast_id = $1 AND status = $2 RETURNING chat_id",
                broadcast_id,
                which,
            )
            if rows:
                await con.execute(
                    "UPDATE broadcasts SET status = 'queued', finished_at = NULL "
                    "WHERE id = $1 AND status = 'done'",
                    broadcast_id,
                )
        return len(rows)

    async def mark_unconfirmed(self, stale_before: datetime | None = None) -> int:
        rows = await self.pool.fetch(
            "UPDATE broadcast_recipients SET status = 'unconfirmed', "
            "error = 'the bot stopped during this send' WHERE status = 'sending' "
            "AND ($1::timestamptz IS NULL OR claimed_at IS NULL OR claimed_at < $1) "
            "RETURNING chat_id",
            stale_before,
        )
        return len(rows)

    async def broadcasts(self, limit: int) -> list[tuple[Broadcast, dict[str, int]]]:
        rows = await self.pool.fetch(
            "SELECT * FROM broadcasts WHERE status != 'draft' ORDER BY id DESC LIMIT $1", limit
        )
        return [
            (broadcast_record(row, as_is), await self.recipient_counts(row["id"])) for row in rows
        ]

    # Assessments ---------------------------------------------------------------------
    async def _assessment(self, row: Any) -> Assessment | None:
        if row is None:
            return None
        answers = await self.pool.fetch(
            "SELECT lesson_id, rating FROM assessment_answers WHERE assessment_id = $1", row["id"]
        )
        return Assessment(
            id=row["id"],
            user_id=row["user_id"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            ratings={a["lesson_id"]: a["rating"] for a in answers},
        )

    async def start_assessment(self, user_id: int, now: datetime) -> Assessment:
        async with self._tx() as con:
            row = await self._open_or_new(con, user_id, now)
        return await self._assessment(row)  # type: ignore[return-value]

    async def _open_or_new(self, con: asyncpg.Connection, user_id: int, now: datetime) -> Any:
        # the user's row lock serialises their Start presses: never two open assessments
        await con.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", user_id)
        row = await con.fetchrow(
            "SELECT * FROM assessments WHERE user_id = $1 AND finished_at IS NULL "
            "ORDER BY id DESC LIMIT 1",
            user_id,
        )
        if row is None:
            row = await con.fetchrow(
                "INSERT INTO assessments (user_id, started_at) VALUES ($1, $2) RETURNING *",
                user_id,
                now,
            )
        return row

    async def restart_assessment(
        self, assessment_id: int, user_id: int, now: datetime
    ) -> Assessment:
        async with self._tx() as con:
            await con.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", user_id)
            await con.execute(
                "DELETE FROM assessments WHERE id = $1 AND user_id = $2 AND finished_at IS NULL",
                assessment_id,
                user_id,
            )
            row = await self._open_or_new(con, user_id, now)
        return await self._assessment(row)  # type: ignore[return-value]

    async def current_assessment(self, user_id: int) -> Assessment | None:
        row = await self.pool.fetchrow(
            "SELECT * FROM assessments WHERE user_id = $1 AND finished_at IS NULL "
            "ORDER BY id DESC LIMIT 1",
            user_id,
        )
        return await self._assessment(row)

    async def finished_assessments(self, user_id: int, limit: int = 2) -> list[Assessment]:
        rows = await self.pool.fetch(
            "SELECT * FROM assessments WHERE user_id = $1 AND finished_at IS NOT NULL "
            "ORDER BY id DESC LIMIT $2",
            user_id,
            limit,
        )
        return [a for row in rows if (a := await self._assessment(row)) is not None]

    async def get_assessment(self, assessment_id: int) -> Assessment | None:
        row = await self.pool.fetchrow("SELECT * FROM assessments WHERE id = $1", assessment_id)
        return await self._assessment(row)

    async def rate_obstacle(
        self, assessment_id: int, user_id: int, lesson_id: str, rating: int, now: datetime
    ) -> bool:
        row = await self.pool.fetchrow(
            "INSERT INTO assessment_answers (assessment_id, lesson_id, rating, answered_at) "
            "SELECT id, $1, $2, $3 FROM assessments "
            "WHERE id = $4 AND user_id = $5 AND finished_at IS NULL "
            "ON CONFLICT (assessment_id, lesson_id) DO UPDATE SET rating = excluded.rating, "
            "answered_at = excluded.answered_at RETURNING assessment_id",
            lesson_id,
            rating,
            now,
            assessment_id,
            user_id,
        )
        return row is not None

    async def finish_assessment(self, assessment_id: int, user_id: int, now: datetime) -> bool:
        row = await self.pool.fetchrow(
            "UPDATE assessments SET finished_at = $1 WHERE id = $2 AND user_id = $3 "
            "AND finished_at IS NULL RETURNING id",
            now,
            assessment_id,
            user_id,
        )
        return row is not None

    # Teams -----------------------------------------------------------------------------
    _TEAM = (
        "SELECT t.*, (SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id) AS members "
        "FROM teams t"
    )

    async def create_team(
        self, manager_id: int, name: str, code: str, now: datetime
    ) -> Team | None:
        async with self._tx() as con:
            # the manager's row lock serialises their creations: the name check cannot race
            await con.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", manager_id)
            names = await con.fetch("SELECT name FROM teams WHERE manager_id = $1", manager_id)
            if team_name_key(name) in {team_name_key(row["name"]) for row in names}:
                return None
            team_id = await con.fetchval(
                "INSERT INTO teams (name, manager_id, code, created_at) VALUES ($1, $2, $3, $4) "
                "RETURNING id",
                name,
                manager_id,
                code,
                now,
            )
            await con.execute(
                "INSERT INTO team_members (team_id, user_id, joined_at) VALUES ($1, $2, $3)",
                team_id,
                manager_id,
                now,
            )
        team = await self.get_team(team_id)
        assert team is not None
        return team

    async def team_by_code(self, code: str) -> Team | None:
        row = await self.pool.fetchrow(f"{self._TEAM} WHERE t.code = $1", code)
        return team_record(row, as_is) if row else None

    async def get_team(self, team_id: int) -> Team | None:
        row = await self.pool.fetchrow(f"{self._TEAM} WHERE t.id = $1", team_id)
        return team_record(row, as_is) if row else None

    async def join_team(self, team_id: int, user_id: int, now: datetime) -> bool:
        row = await self.pool.fetchrow(
            "INSERT INTO team_members (team_id, user_id, joined_at) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING RETURNING team_id",
            team_id,
            user_id,
            now,
        )
        return row is not None

    async def leave_team(self, team_id: int, user_id: int) -> bool:
        row = await self.pool.fetchrow(
            "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2 RETURNING team_id",
            team_id,
            user_id,
        )
        return row is not None

    async def delete_team(self, team_id: int, manager_id: int) -> bool:
        row = await self.pool.fetchrow(
            "DELETE FROM teams WHERE id = $1 AND manager_id = $2 RETURNING id", team_id, manager_id
        )
        return row is not None

    async def teams_of(self, user_id: int) -> list[Team]:
        rows = await self.pool.fetch(
            f"{self._TEAM} WHERE t.manager_id = $1 OR EXISTS (SELECT 1 FROM team_members m "
            "WHERE m.team_id = t.id AND m.user_id = $1) ORDER BY t.id",
            user_id,
        )
        return [team_record(row, as_is) for row in rows]

    async def is_member(self, team_id: int, user_id: int) -> bool:
        return bool(
            await self.pool.fetchval(
                "SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2", team_id, user_id
            )
        )

    async def team_latest_ratings(
        self, team_id: int, excluding: int | None = None
    ) -> list[dict[str, int]]:
        rows = await self.pool.fetch(
            """
            SELECT a.id FROM team_members m
            JOIN assessments a ON a.id = (
                SELECT MAX(id) FROM assessments
                WHERE user_id = m.user_id AND finished_at IS NOT NULL)
            WHERE m.team_id = $1 AND m.user_id IS DISTINCT FROM $2
            """,
            team_id,
            excluding,
        )
        result = []
        for row in rows:
            answers = await self.pool.fetch(
                "SELECT lesson_id, rating FROM assessment_answers WHERE assessment_id = $1",
                row["id"],
            )
            result.append({a["lesson_id"]: a["rating"] for a in answers})
        return result

    # Personal data ---------------------------------------------------------------------
    async def personal_data(self, user_id: int) -> dict[str, object]:
        user = await self.pool.fetchrow("SELECT * FROM users WHERE id = $1", user_id)
        if user is None:
            return {}
        counts = {}
        for name, (table, column) in PERSONAL_TABLES.items():
            counts[name] = await self.pool.fetchval(
                f"SELECT COUNT(*) FROM {table} WHERE {column} = $1", user_id
            )
        profile = {
            k: (
                v.astimezone(UTC).isoformat(timespec="microseconds")
                if isinstance(v, datetime)
                else v
            )
            for k, v in user.items()
            if k in PROFILE_FIELDS
        }
        return {"profile": profile, "counts": counts}

    async def delete_personal_data(self, user_id: int) -> bool:
        self._days.pop(user_id, None)
        async with self._tx() as con:
            await con.execute("DELETE FROM review_log WHERE user_id = $1", user_id)
            await con.execute("DELETE FROM quiz_answers WHERE user_id = $1", user_id)
            await con.execute("DELETE FROM broadcast_recipients WHERE chat_id = $1", user_id)
            # an admin's broadcasts (their chat, their message ids; recipients cascade)
            await con.execute("DELETE FROM broadcasts WHERE admin_id = $1", user_id)
            row = await con.fetchrow("DELETE FROM users WHERE id = $1 RETURNING id", user_id)
        return row is not None

    # Statistics ------------------------------------------------------------------------
    async def stats(self, now: datetime, default_language: str) -> Stats:
        row = await self.pool.fetchrow(
            "SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE last_seen >= $1) AS a7, "
            "COUNT(*) FILTER (WHERE last_seen >= $2) AS a30, "
            "COUNT(*) FILTER (WHERE blocked) AS b FROM users",
            now - timedelta(days=7),
            now - timedelta(days=30),
        )
        languages = await self.pool.fetch(
            "SELECT COALESCE(language, CASE WHEN lower(substr(tg_language, 1, 2)) "
            "IN ('en', 'ru', 'uk') THEN lower(substr(tg_language, 1, 2)) ELSE $1 END) AS lang, "
            "COUNT(*) AS n FROM users GROUP BY lang ORDER BY n DESC",
            default_language,
        )
        subs = await self.pool.fetch(
            "SELECT series_id, COUNT(*) AS n FROM subscriptions WHERE status = 'active' "
            "GROUP BY series_id ORDER BY n DESC"
        )
        done = await self.pool.fetchval(
            "SELECT COUNT(*) FROM lesson_progress WHERE completed_at IS NOT NULL"
        )
        answers = await self.pool.fetchrow(
            "SELECT COUNT(*) AS n, COALESCE(SUM(correct), 0) AS ok FROM quiz_answers"
        )
        return Stats(
            learners=int(row["n"]),
            active_7=int(row["a7"]),
            active_30=int(row["a30"]),
            blocked=int(row["b"]),
            by_language={r["lang"]: int(r["n"]) for r in languages},
            subscriptions={r["series_id"]: int(r["n"]) for r in subs},
            lessons_completed=int(done),
            answers=int(answers["n"]),
            correct=int(answers["ok"]),
        )

    async def question_stats(self) -> list[QuestionStats]:
        rows = await self.pool.fetch(
            "SELECT lesson_id, question, COUNT(*) AS n, SUM(correct) AS ok FROM quiz_answers "
            "GROUP BY lesson_id, question"
        )
        return [
            QuestionStats(r["lesson_id"], r["question"], int(r["n"]), int(r["ok"])) for r in rows
        ]

    async def daily_activity(self, since: date) -> list[tuple[date, int, int]]:
        active = await self.pool.fetch(
            "SELECT day, COUNT(*) AS n FROM activity_days WHERE day >= $1 GROUP BY day", since
        )
        completed = await self.pool.fetch(
            "SELECT (completed_at AT TIME ZONE 'UTC')::date AS day, COUNT(*) AS n "
            "FROM lesson_progress WHERE completed_at >= $1 GROUP BY 1",
            datetime.combine(since, datetime.min.time()).replace(tzinfo=UTC),
        )
        by_day: dict[date, list[int]] = {}
        for r in active:
            by_day.setdefault(r["day"], [0, 0])[0] = int(r["n"])
        for r in completed:
            by_day.setdefault(r["day"], [0, 0])[1] = int(r["n"])
        return [(d, a, c) for d, (a, c) in sorted(by_day.items())]

    async def export_progress(self) -> list[dict[str, object]]:
        rows = await self.pool.fetch(
            """
            SELECT u.id AS user_id, u.language, u.tg_language, u.first_seen, u.last_seen,
                   u.blocked::int AS blocked,
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
        return [
            {
                k: (
                    v.astimezone(UTC).isoformat(timespec="microseconds")
                    if isinstance(v, datetime)
                    else v
                )
                for k, v in row.items()
            }
            for row in rows
        ]


def _plain_errors(method):
    """A naive datetime is a ValueError on every backend, not asyncpg's DataError."""

    @functools.wraps(method)
    async def wrapper(*args, **kwargs):
        try:
            return await method(*args, **kwargs)
        except asyncpg.DataError as exc:
            if isinstance(exc.__cause__, ValueError):
                raise exc.__cause__ from None
            raise

    return wrapper


for _name, _member in list(vars(PostgresStorage).items()):
    if inspect.iscoroutinefunction(_member) and not _name.startswith("__"):
        setattr(PostgresStorage, _name, _plain_errors(_member))
