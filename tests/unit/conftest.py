"""Fixtures shared by unit tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.sqlite import SQLiteStorage


@pytest.fixture
async def db(tmp_path) -> AsyncIterator[SQLiteStorage]:
    """An opened storage on a fresh SQLite file (migrations applied)."""
    storage = SQLiteStorage(tmp_path / "cx.sqlite3")
    await storage.open()
    yield storage
    await storage.close()
