"""SQLite: the embedded default. WAL, one transaction per operation, statements on the loop.

A learner's statement is small (a primary-key upsert, a guarded insert, a read by index):
SQLite does it in 20-100 µs. Handing it to a worker thread and back, as aiosqlite does for
every call, costs ~0.35 ms on an idle loop and 1-5 ms under load (the worker waits for the
GIL while the loop is busy), and writes queue behind one another while they wait. So
statements run inline, on the loop's own thread (:class:`Connection`). Operations marked
:func:`storage.driver.offloaded` — those whose cost grows with the number of learners —
run on aiosqlite connections instead, so they never hold up replies.

One write transaction at a time (an asyncio lock over both writers); reads go through
read-only connections that WAL never blocks. SQLite's busy handler is off on the inline
connections: another process holding the write lock (a CLI command, a backup) is waited out
with ``asyncio.sleep`` up to :data:`BUSY_TIMEOUT` seconds, never by blocking the loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.driver import (
    DATE_COLUMNS,
    OFFLOADED,
    TIME_COLUMNS,
    Dialect,
    Driver,
    Executor,
    Row,
    iso,
    migrations,
)
from storage.store import Storage

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 10.0  # seconds to wait for another process's write lock before giving up
_SQLITE_BUSY = 5  # primary result code of SQLITE_BUSY (extended codes keep it in the low byte)
_PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL")
MIN_VERSION = (3, 39)  # RETURNING (3.35), IS DISTINCT FROM (3.39), FILTER (3.30)
_R = TypeVar("_R")

SQLITE = Dialect(
    "sqlite",
    skip_locked="",  # one writer at a time: a claim cannot race
    for_update="",  # ... nor a read-then-write in a transaction
    _any="{column} IN (SELECT value FROM json_each(:{param}))",
    _utc_date="substr({column}, 1, 10)",
    _typed=":{param}",
    _pairs="json_each(:{param})",
)


def to_db(value: datetime) -> str:
    """A time as SQLite stores it (ISO-8601 UTC text of fixed width)."""
    return iso(value)


def _param(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return json.dumps(list(value))  # read back with json_each (Dialect.any)
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _param(value) for name, value in params.items()}


_Shape = tuple[tuple[str, ...], tuple[tuple[int, str, Callable[[str], Any]], ...]]
_shapes: weakref.WeakKeyDictionary[sqlite3.Cursor, _Shape] = weakref.WeakKeyDictionary()


def _row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> dict[str, Any]:
    """Rows as dicts, times as datetimes and days as dates (as asyncpg gives them); names
    and converters worked out once per cursor (``description`` is rebuilt on each access)."""
    if (shape := _shapes.get(cursor)) is None:
        names = tuple(column[0] for column in cursor.description)
        parse = {**dict.fromkeys(TIME_COLUMNS, datetime.fromisoformat),
                 **dict.fromkeys(DATE_COLUMNS, date.fromisoformat)}  # fmt: skip
        convert = tuple((i, name, parse[name]) for i, name in enumerate(names) if name in parse)
        _shapes[cursor] = shape = (names, convert)
    row = dict(zip(shape[0], values, strict=True))
    for i, name, parse_value in shape[1]:
        if values[i] is not None:
            row[name] = parse_value(values[i])
    return row


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == _SQLITE_BUSY
    return "locked" in str(exc) or "busy" in str(exc)


class Connection(Executor):
    """A sqlite3 connection driven inline from the event loop's thread.

    A statement refused because another process holds the write lock is retried after
    ``asyncio.sleep`` with a growing pause, for up to :data:`BUSY_TIMEOUT` seconds — only
    outside a transaction (BEGIN IMMEDIATE, or one autocommit statement): refused, it
    changed nothing."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    @classmethod
    def open(cls, path: Path, *, query_only: bool = False) -> Connection:
        raw = sqlite3.connect(path, isolation_level=None)
        raw.row_factory = _row
        for pragma in (*_PRAGMAS, "PRAGMA busy_timeout=0"):
            raw.execute(pragma)
        if query_only:
            raw.execute("PRAGMA query_only=ON")
        return cls(raw)

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

    async def fetch(self, sql: str, /, **params: Any) -> list[Row]:
        values = _params(params)
        return await self._call(lambda: self.raw.execute(sql, values).fetchall())

    async def write(self, sql: str, /, **params: Any) -> list[Row]:
        return await self.fetch(sql, **params)

    async def write_many(self, sql: str, rows: Iterable[Mapping[str, Any]], /) -> None:
        values = [_params(row) for row in rows]
        await self._call(lambda: self.raw.executemany(sql, values).close())

    async def script(self, sql: str) -> None:
        await self._call(lambda: self.raw.executescript(sql).close())

    async def close(self) -> None:
        self.raw.close()


class Offloaded(Executor):
    """An aiosqlite connection (its own worker thread) for @offloaded operations; its busy
    handler may block, being off the loop."""

    def __init__(self, raw: aiosqlite.Connection) -> None:
        self.raw = raw

    @classmethod
    async def open(cls, path: Path, *, query_only: bool = False) -> Offloaded:
        raw = await aiosqlite.connect(path, isolation_level=None)
        raw.row_factory = _row  # type: ignore[assignment]
        for pragma in (*_PRAGMAS, f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}"):
            await raw.execute(pragma)
        if query_only:
            await raw.execute("PRAGMA query_only=ON")
        return cls(raw)

    async def fetch(self, sql: str, /, **params: Any) -> list[Row]:
        return list(await self.raw.execute_fetchall(sql, _params(params)))

    async def write(self, sql: str, /, **params: Any) -> list[Row]:
        return await self.fetch(sql, **params)

    async def write_many(self, sql: str, rows: Iterable[Mapping[str, Any]], /) -> None:
        await self.raw.executemany(sql, [_params(row) for row in rows])

    async def close(self) -> None:
        await self.raw.close()


class SQLiteDriver(Driver):
    """Two inline connections (writer, reader) and two aiosqlite ones for @offloaded work."""

    dialect = SQLITE

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._writer: Connection | None = None
        self._reader: Connection | None = None
        self._bulk_writer: Offloaded | None = None
        self._bulk_reader: Offloaded | None = None
        self._write_lock = asyncio.Lock()  # one write transaction at a time, either writer

    async def open(self) -> None:
        if sqlite3.sqlite_version_info < MIN_VERSION:
            wanted = ".".join(map(str, MIN_VERSION))
            raise RuntimeError(f"SQLite {sqlite3.sqlite_version} is too old: {wanted}+ needed")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = Connection.open(self.path)
        await self._writer.write("PRAGMA journal_mode=WAL")
        await self._migrate()
        self._reader = Connection.open(self.path, query_only=True)
        self._bulk_writer = await Offloaded.open(self.path)
        self._bulk_reader = await Offloaded.open(self.path, query_only=True)

    async def _migrate(self) -> None:
        assert self._writer is not None
        async with self._write_lock:
            current = await self.schema_version()
            for version, name, sql in migrations("sqlite"):
                if version <= current:
                    continue
                log.info("applying migration %s", name)
                try:
                    await self._writer.script(
                        f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version={version};\nCOMMIT;"
                    )
                except sqlite3.Error:
                    if self._writer.raw.in_transaction:
                        self._writer.raw.execute("ROLLBACK")
                    raise

    async def schema_version(self) -> int:
        db = self._writer or self._reader
        assert db is not None
        return int(await db.fetchval("PRAGMA user_version") or 0)

    async def close(self) -> None:
        for attr in ("_bulk_reader", "_bulk_writer", "_reader", "_writer"):
            db = getattr(self, attr)
            if db is not None:
                setattr(self, attr, None)
                await db.close()

    def _pick(self, inline: Executor | None, bulk: Executor | None) -> Executor:
        db = bulk if OFFLOADED.get() else inline
        if db is None:
            raise RuntimeError("storage is not open")
        return db

    async def fetch(self, sql: str, /, **params: Any) -> list[Row]:
        return await self._pick(self._reader, self._bulk_reader).fetch(sql, **params)

    async def write(self, sql: str, /, **params: Any) -> list[Row]:
        db = self._pick(self._writer, self._bulk_writer)
        async with self._write_lock:
            return await db.write(sql, **params)

    async def write_many(self, sql: str, rows: Iterable[Mapping[str, Any]], /) -> None:
        db = self._pick(self._writer, self._bulk_writer)
        async with self._write_lock:
            await db.write_many(sql, rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Executor]:
        db = self._pick(self._writer, self._bulk_writer)
        async with self._write_lock:
            await db.write("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await asyncio.shield(db.write("ROLLBACK"))
                raise
            else:
                await db.write("COMMIT")


class SQLiteStorage(Storage):
    """The storage on one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(SQLiteDriver(path))
        self.path = Path(path)
