"""Health probes and Prometheus metrics of a running bot."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import aiohttp

from bot.standin.proxy import free_port
from tests.e2e.conftest import FakeClock, Harness


def sample(text: str, name: str) -> float:
    """The value of one exposition line (name with its labels, exactly)."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not in metrics:\n{text}")


async def test_probes_and_metrics(standin, tmp_path):
    port = free_port()
    clock = FakeClock(datetime(2026, 11, 23, 10, tzinfo=UTC))
    h = Harness(
        standin, tmp_path / "cx.sqlite3", clock=clock, tick_seconds=0.05, bulk_rate=0,
        metrics_port=port,
    )  # fmt: skip
    await h.start()
    base = f"http://127.0.0.1:{port}"
    try:
        user = h.user(1001, language="en")
        await user.send("/start")
        await user.next_message()
        await user.send("/start sub_prejudices")
        assert "You are subscribed" in (await user.next_message()).text
        clock.set(datetime(2026, 11, 24, 9, 1, tzinfo=UTC))  # the slot (London, 09:00)
        assert "Your lesson for today" in (await user.next_message()).text
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/healthz") as response:
                assert response.status == 200
            async with session.get(f"{base}/readyz") as response:
                assert response.status == 200 and (await response.json())["ready"]
            for _ in range(50):  # the backlog is measured at the end of each drain
                async with session.get(f"{base}/metrics") as response:
                    text = await response.text()
                if sample(text, "cxcoach_due_backlog") == 0:
                    break
                await asyncio.sleep(0.05)
        assert sample(text, 'cxcoach_updates_total{kind="message"}') == 2
        assert sample(text, "cxcoach_update_seconds_count") == 2
        assert sample(text, 'cxcoach_messages_total{outcome="sent",path="drip"}') == 1
        assert sample(text, "cxcoach_due_backlog") == 0
    finally:
        await h.stop()
    async with aiohttp.ClientSession() as session:  # the server went down with the bot
        try:
            async with session.get(f"{base}/healthz") as response:
                raise AssertionError(f"still answering: {response.status}")
        except aiohttp.ClientConnectionError:
            pass
