"""An admin's bot (ADMIN, a channel) and what admins do: drafts, learners to send to."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest_asyncio

from standin import BotAPIStandIn
from storage.sqlite import SQLiteStorage
from tests.e2e.conftest import FakeClock, Harness

ADMIN = 500


CHANNEL_ID = -1001234567890


START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


BOLD_NEWS = [{"type": "bold", "offset": 0, "length": 10}]


@pytest_asyncio.fixture
async def clock() -> FakeClock:
    return FakeClock(START)


def make(standin, tmp_path, clock, **settings) -> Harness:
    options = dict(
        admin_ids=frozenset({ADMIN}),
        tick_seconds=0.05,
        bulk_rate=0,
        channel="@cxcoach_news",
    )
    options.update(settings)
    return Harness(standin, tmp_path / "cx.sqlite3", clock=clock, **options)


@pytest_asyncio.fixture
async def h(standin: BotAPIStandIn, tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    harness = make(standin, tmp_path, clock)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


async def learners(h: Harness, languages: list[str], first_id: int = 1001):
    users = []
    for offset, language in enumerate(languages):
        user = h.user(first_id + offset, f"L{offset}", language=language)
        await user.send("/start")
        await user.next_message()
        users.append(user)
    return users


async def admin(h: Harness):
    user = h.user(ADMIN, "Admin", language="en")
    await user.send("/start")
    await user.next_message()
    return user


async def draft(boss, text: str = "New series is out!", command: str = "/broadcast"):
    await boss.send(command)
    assert "Send me the message" in (await boss.next_message()).text
    await boss.send(text, entities=BOLD_NEWS)
    preview = await boss.next_message()
    assert preview.text == text  # the message exactly as recipients will see it
    return await boss.next_message()  # the controls


def copies(user, text: str = "New series is out!") -> list:
    return [m for m in user.bot_messages() if m.text == text]


async def until(check, within: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not check():
        assert loop.time() < deadline, f"condition not reached in time: {check.__doc__ or ''}"
        await asyncio.sleep(0.02)


class LockedOnce(SQLiteStorage):
    """The real SQLite storage, whose first write of broadcast results fails."""

    failures = 1

    async def record_results(self, broadcast_id, results, now):
        if results and LockedOnce.failures:
            LockedOnce.failures -= 1
            raise sqlite3.OperationalError("database is locked")
        await super().record_results(broadcast_id, results, now)
