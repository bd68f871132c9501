"""PostgreSQL on asyncpg, for deployments past one machine (a ``postgresql://`` database URL).

A connection pool serves every statement; ``transaction()`` holds one connection. Claims of
due slots and broadcast recipients add ``FOR UPDATE SKIP LOCKED`` (:data:`POSTGRES`), so
several processes never take the same row. Migrations live in ``migrations/postgres`` and
are applied under an advisory lock (one process migrates, the others wait), their version
kept in ``cxcoach_schema``. Times cross as aware UTC ``datetime`` objects through a codec
that refuses naive ones.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from storage.driver import Dialect, Driver, Executor, Row, aware, migrations
from storage.store import Storage

log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x0C0AC4  # pg_advisory_lock key: one migrating process at a time
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # PostgreSQL's timestamp epoch
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")  # :name, not ::type

POSTGRES = Dialect(
    "postgres",
    skip_locked=" FOR UPDATE SKIP LOCKED",
    for_update=" FOR UPDATE",
    _any="{column} = ANY(:{param})",
    _utc_date="({column} AT TIME ZONE 'UTC')::date",
    _typed=":{param}::{type}",
    _pairs="jsonb_each_text(CAST(:{param} AS jsonb))",
)


@functools.lru_cache(maxsize=1024)
def positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """``:name`` parameters as asyncpg's ``$n``, and the names in ``$n`` order."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _NAMED.sub(number, sql), tuple(names)


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return aware(value)  # a ValueError, as on SQLite (asyncpg would wrap it)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if isinstance(value, dict):
        return json.dumps(value)  # read back with Dialect.pairs
    return value


def _args(sql: str, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
    text, names = positional(sql)
    return text, [_value(params[name]) for name in names]


def _encode_time(value: datetime) -> tuple[int]:
    delta = aware(value) - _EPOCH
    return ((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds,)


def _decode_time(value: tuple[int]) -> datetime:
    return _EPOCH + timedelta(microseconds=value[0])


async def _setup_connection(connection: asyncpg.Connection) -> None:
    await connection.set_type_codec(
        "timestamptz",
        schema="pg_catalog",
        encoder=_encode_time,
        decoder=_decode_time,
        format="tuple",
    )


class _Runs(Executor):
    """Statements on ``raw``: the pool (each on any connection) or one connection."""

    raw: asyncpg.Pool | asyncpg.Connection

    async def fetch(self, sql: str, /, **params: Any) -> list[Row]:
        text, args = _args(sql, params)
        return await self.raw.fetch(text, *args)

    async def write(self, sql: str, /, **params: Any) -> list[Row]:
        return await self.fetch(sql, **params)


class _Connection(_Runs):
    """One pooled connection, inside a transaction."""

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw

    async def write_many(self, sql: str, rows: Iterable[Mapping[str, Any]], /) -> None:
        text, names = positional(sql)
        await self.raw.executemany(text, [[_value(row[n]) for n in names] for row in rows])


class PostgresDriver(_Runs, Driver):
    dialect = POSTGRES

    def __init__(self, dsn: str, *, schema: str | None = None, pool_size: int = 10) -> None:
        self.dsn, self.schema, self.pool_size = dsn, schema, pool_size
        self._pool: asyncpg.Pool | None = None

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("storage is not open")
        return self._pool

    raw = pool

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

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    async def write_many(self, sql: str, rows: Iterable[Mapping[str, Any]], /) -> None:
        async with self.transaction() as tx:
            await tx.write_many(sql, rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Executor]:
        async with self.pool.acquire() as con, con.transaction():
            yield _Connection(con)


class PostgresStorage(Storage):
    """The storage on a PostgreSQL database (``schema``: its own search path, for tests)."""

    def __init__(self, dsn: str, *, schema: str | None = None, pool_size: int = 10) -> None:
        super().__init__(PostgresDriver(dsn, schema=schema, pool_size=pool_size))
        self.dsn, self.schema = dsn, schema

    @property
    def pool(self) -> asyncpg.Pool:
        return self.db.pool  # type: ignore[attr-defined]
