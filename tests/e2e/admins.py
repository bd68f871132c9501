"""An admin's bot (ADMIN, a channel) and what admins do: drafts, learners to send to."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

from storage.sqlite import SQLiteStorage
from tests.e2e.conftest import Harness
from tests.e2e.steps import live

ADMIN = 500


CHANNEL_ID = -1001234567890


START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


BOLD_NEWS = [{"type": "bold", "offset": 0, "length": 10}]


# the settings of the harness fixture ``h`` (tests/e2e/conftest.py) in these modules
HARNESS = {
    "admin_ids": frozenset({ADMIN}),
    "tick_seconds": 0.05,
    "bulk_rate": 0,
    "channel": "@cxcoach_news",
}


def make(standin, tmp_path, clock, **settings) -> Harness:
    """A harness with other settings than ``HARNESS``'s (started by the test)."""
    return Harness(standin, tmp_path / "cx.sqlite3", clock=clock, **(HARNESS | settings))


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
    asked = await boss.next_message()
    assert "Send me the message" in asked.text, asked.text
    await boss.send(text, entities=BOLD_NEWS)
    preview = await boss.next_message()
    assert preview.text == text, preview.text  # the message exactly as recipients see it
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


async def broadcast_to(h: Harness, count: int):
    """``count`` English learners, an admin, and a broadcast to all of them, sent now:
    (the learners, the admin, the broadcast's controls message)."""
    users = await learners(h, ["en"] * count)
    boss = await admin(h)
    controls = await draft(boss)
    await boss.press(controls, "✅ Send now")
    return users, boss, controls


async def broadcast_running(h: Harness, count: int, sent: int, control: str):
    """:func:`broadcast_to` ``count`` learners, once ``sent`` copies are out and the
    controls offer ``control`` (⏸ Pause, ✖️ Cancel): (learners, admin, controls)."""
    users, boss, controls = await broadcast_to(h, count)
    await until(lambda: sum(len(copies(u)) for u in users) >= sent)
    await until(lambda: any(text == control for text, _ in live(boss, controls).buttons))
    return users, boss, controls
