"""Health probes and Prometheus metrics of a running bot."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import aiohttp

from storage.sqlite import SQLiteStorage
from tests.e2e.conftest import FakeClock, Harness


def sample(text: str, name: str) -> float:
    """The value of one exposition line (name with its labels, exactly)."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not in metrics:\n{text}")


class ClaimRefusedOnce(SQLiteStorage):
    """The real storage, whose first claim of due slots fails (the database is locked)."""

    refusals = 1

    async def claim_due(self, now, limit):
        if self.refusals:
            self.refusals -= 1
            raise sqlite3.OperationalError("database is locked")
        return await super().claim_due(now, limit)


async def scrape(base: str) -> str:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/metrics") as response:
            assert response.status == 200
            return await response.text()


async def test_probes_and_metrics(standin, tmp_path):
    clock = FakeClock(datetime(2026, 11, 23, 10, tzinfo=UTC))
    h = Harness(
        standin,
        tmp_path / "cx.sqlite3",
        clock=clock,
        tick_seconds=3600,
        bulk_rate=0,
        metrics_port=0,
        storage_class=ClaimRefusedOnce,
    )  # fmt: skip  (port 0: bound once, the kernel's choice; drains only when the test says)
    await h.start()
    port = h.app.bot_data.health.port
    assert port > 0
    base = f"http://127.0.0.1:{port}"
    try:
        user = h.user(1001, language="en")
        await user.send("/start")
        await user.next_message()
        await user.send("/start sub_prejudices")
        assert "You are subscribed" in (await user.next_message()).text
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/healthz") as response:
                assert response.status == 200
            async with session.get(f"{base}/readyz") as response:
                assert response.status == 200 and (await response.json())["ready"]

        clock.set(datetime(2026, 11, 24, 9, 1, tzinfo=UTC))  # the slot (London, 09:00)
        await h.settle()  # this drain cannot claim: the learner waits, and the gauge says so
        user.assert_no_event()
        text = await scrape(base)
        assert sample(text, "cxcoach_due_backlog") == 1
        assert 'cxcoach_messages_total{outcome="sent",path="drip"}' not in text

        await h.settle()  # the next drain delivers it
        assert "Your lesson for today" in (await user.next_message(timeout=0)).text
        text = await scrape(base)
        assert sample(text, "cxcoach_due_backlog") == 0
        assert sample(text, 'cxcoach_updates_total{kind="message"}') == 2
        assert sample(text, "cxcoach_update_seconds_count") == 2
        assert sample(text, 'cxcoach_messages_total{outcome="sent",path="drip"}') == 1
    finally:
        await h.stop()
    async with aiohttp.ClientSession() as session:  # the server went down with the bot
        try:
            async with session.get(f"{base}/healthz") as response:
                raise AssertionError(f"still answering: {response.status}")
        except aiohttp.ClientConnectionError:
            pass
