"""Fixtures shared by unit tests.

``db`` is the storage contract: every test that takes it runs once on SQLite (a real file)
and once on PostgreSQL (a real server, a fresh schema per test). When the PostgreSQL run may
be skipped, and when it must fail instead, is decided in :mod:`tests.postgres`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from telegram import Bot as PTBBot

from standin import BotAPIStandIn, SimUser
from storage.sqlite import SQLiteStorage
from storage.store import Storage
from tests.postgres import postgres_dsn
from tests.unit.standins import TOKEN, USER_ID


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

    dsn = await postgres_dsn()
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


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[BotAPIStandIn]:
    """A running stand-in with one user (Olena, Ukrainian Telegram)."""
    server = BotAPIStandIn(token=TOKEN)
    await server.start()
    server.user(USER_ID, "Olena", language_code="uk")
    yield server
    await server.stop()


@pytest_asyncio.fixture
async def bot(standin: BotAPIStandIn) -> AsyncIterator[PTBBot]:
    """PTB's real Bot pointed at the stand-in."""
    async with PTBBot(
        TOKEN, base_url=standin.base_url, base_file_url=standin.base_file_url
    ) as ptb_bot:
        yield ptb_bot


@pytest.fixture
def user(standin: BotAPIStandIn) -> SimUser:
    """The stand-in's simulated user."""
    return standin.user(USER_ID)
