"""Moving data: a consistent SQLite backup, and a verified copy from SQLite to PostgreSQL.

``backup`` uses SQLite's online backup API: the bot may keep running; the copy is one
consistent snapshot. ``copy_to_postgres`` reads every table inside one read transaction
(a snapshot even while the bot writes), applies the migrations to the (empty) target, copies
the rows with COPY in one transaction, resets the id sequences, and then compares row counts
and a checksum per table computed the same way on both sides. Nothing is reported as done
unless every table matches.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

# Parents before children (foreign keys); every table of every migration.
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("users", ("id",)),
    ("lesson_progress", ("user_id", "lesson_id")),
    ("quiz_attempts", ("id",)),
    ("quiz_answers", ("attempt_id", "question")),
    ("subscriptions", ("user_id", "series_id")),
    ("deliveries", ("user_id", "slot_at")),
    ("review_cards", ("id",)),
    ("review_log", ("card_id", "reviewed_at", "rating")),
    ("activity_days", ("user_id", "day")),
    ("broadcasts", ("id",)),
    ("broadcast_recipients", ("broadcast_id", "chat_id")),
    ("assessments", ("id",)),
    ("assessment_answers", ("assessment_id", "lesson_id")),
    ("teams", ("id",)),
    ("team_members", ("team_id", "user_id")),
)
TRIGGER_TABLES = ("quiz_answers", "quiz_attempts", "review_cards")
SERIAL_TABLES = ("quiz_attempts", "review_cards", "broadcasts", "assessments", "teams")


def backup(source: Path, target: Path, pages_per_step: int = 1024) -> int:
    """A consistent copy of a live SQLite file; returns the target's size in bytes."""
    if not source.exists():
        raise FileNotFoundError(f"no SQLite file at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=pages_per_step)
    with sqlite3.connect(target) as check:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise RuntimeError(f"the backup failed its integrity check: {result}")
    return target.stat().st_size


def _normal(value: Any) -> str:
    """One spelling per value on both backends (times as UTC ISO, booleans as 0/1)."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def checksum(rows: Iterable[Iterable[Any]]) -> str:
    """A digest of the rows, independent of their order (collations differ between backends)."""
    digest = hashlib.sha256()
    for line in sorted("\x1f".join(_normal(v) for v in row) for row in rows):
        digest.update(line.encode())
        digest.update(b"\x1e")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class TableReport:
    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


def _converter(pg_type: str) -> Callable[[Any], Any]:
    if pg_type == "timestamp with time zone":
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if pg_type == "boolean":
        return lambda v: None if v is None else bool(v)
    if pg_type == "date":
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


async def copy_to_postgres(
    source: Path, dsn: str, *, schema: str | None = None
) -> list[TableReport]:
    """Copy every row of a SQLite deployment into an empty PostgreSQL database, verified."""
    from storage.postgres import PostgresStorage

    target = PostgresStorage(dsn, schema=schema, pool_size=2)
    await target.open()  # migrations
    try:
        async with target.pool.acquire() as con:
            for table, _ in TABLES:
                if await con.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):
                    raise RuntimeError(f"the target is not empty: {table} has rows")
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                src.execute("BEGIN")  # one snapshot for every table
                reports = []
                async with con.transaction():
                    # Rows arrive with their derived values already in them: triggers (quiz
                    # counters, lesson completion) must not count them a second time.
                    for table in TRIGGER_TABLES:
                        await con.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                    for table, key in TABLES:
                        types = dict(
                            await con.fetch(
                                "SELECT column_name, data_type FROM information_schema.columns "
                                "WHERE table_name = $1 AND table_schema = current_schema()",
                                table,
                            )
                        )
                        columns = [c[1] for c in src.execute(f"PRAGMA table_info({table})")]
                        columns = [c for c in columns if c in types]
                        convert = [_converter(types[c]) for c in columns]
                        order = ", ".join(key)
                        rows = src.execute(
                            f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}"
                        ).fetchall()
                        records = [
                            tuple(f(v) for f, v in zip(convert, row, strict=True)) for row in rows
                        ]
                        if records:
                            await con.copy_records_to_table(
                                table, records=records, columns=columns, schema_name=schema
                            )
                        reports.append((table, columns, key, records))
                    for table in TRIGGER_TABLES:
                        await con.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                    for table in SERIAL_TABLES:
                        await con.execute(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                        )
            finally:
                src.rollback()
                src.close()
            results = []
            for table, columns, key, records in reports:
                order = ", ".join(key)
                copied = await con.fetch(
                    f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}"
                )
                results.append(
                    TableReport(
                        table,
                        len(records),
                        len(copied),
                        checksum(records),
                        checksum(tuple(r) for r in copied),
                    )
                )
            return results
    finally:
        await target.close()
