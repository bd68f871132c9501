"""Fixtures shared by unit tests.

``db`` is the storage contract: every test that takes it runs once on SQLite (a real file)
and once on PostgreSQL (a real server, a fresh schema per test). Without a reachable
PostgreSQL the second run is skipped, saying why. The server is
``CXCOACH_TEST_POSTGRES`` (default: the development and CI machines' local one).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from storage.base import Storage
from storage.sqlite import SQLiteStorage

POSTGRES = os.environ.get("CXCOACH_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


async def _postgres_or_skip() -> str:
    try:
        import asyncpg

        connection = await asyncpg.connect(POSTGRES, timeout=3)
    except Exception as exc:  # no server here: say so, do not pretend
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES}: {exc}")
    await connection.close()
    return POSTGRES


@pytest.fixture(params=["sqlite", "postgres"])
async def db(request, tmp_path) -> AsyncIterator[Storage]:
    """An opened storage with the schema applied, on each backend."""
    if request.param == "sqlite":
        storage: Storage = SQLiteStorage(tmp_path / "cx.sqlite3")
        await storage.open()
        yield storage
        await storage.close()
        return
    import asyncpg

    from storage.postgres import PostgresStorage

    dsn = await _postgres_or_skip()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(dsn)
    await admin.execute(f"CREATE SCHEMA {schema}")
    storage = PostgresStorage(dsn, schema=schema, pool_size=4)
    try:
        await storage.open()
        yield storage
    finally:
        await storage.close()
        await admin.execute(f"DROP SCHEMA {schema} CASCADE")
        await admin.close()
