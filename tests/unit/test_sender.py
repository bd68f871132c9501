"""The shared sender against the real stand-in: retries, flood control, blocked chats, pacing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from telegram import Bot

from bot.sender import Pacer, Sender, SendStatus
from bot.transport import make_request
from standin import BotAPIStandIn
from storage.sqlite import SQLiteStorage

TOKEN = "123456:TEST-TOKEN-0123456789abcdefghij"
USER = 3003
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest_asyncio.fixture
async def env(tmp_path) -> AsyncIterator[tuple[BotAPIStandIn, Sender, SQLiteStorage]]:
    storage = SQLiteStorage(tmp_path / "cx.sqlite3")
    await storage.open()
    await storage.touch_user(USER, "Iryna", "uk", NOW)
    async with BotAPIStandIn(token=TOKEN) as standin:
        standin.user(USER, "Iryna", language_code="uk")
        request = make_request("aiohttp", pool_size=4, timeout=0.5, for_updates=False)
        async with Bot(TOKEN, base_url=f"{standin.url}/bot", request=request) as bot:
            yield standin, Sender(bot, storage, lambda: NOW, rate=0, backoff=0.01), storage
    await storage.close()


def calls(standin: BotAPIStandIn) -> int:
    return standin.call_counts["sendmessage"]


async def test_server_errors_are_retried_until_delivered(env):
    standin, sender, _ = env
    standin.faults.add("sendMessage", kind="server_error", status=502, times=2)
    result = await sender.send_message(USER, "hello")
    assert result.status is SendStatus.SENT and result.message.text == "hello"
    assert calls(standin) == 3
    assert [m.text for m in standin.user(USER).bot_messages()] == ["hello"]


async def test_persistent_errors_give_up(env):
    standin, sender, _ = env
    standin.faults.add("sendMessage", kind="server_error", status=500, times=None)
    result = await sender.send_message(USER, "hello")
    assert result.status is SendStatus.FAILED and calls(standin) == sender.attempts


async def test_an_ambiguous_timeout_is_not_retried(env):
    standin, sender, _ = env
    standin.faults.add("sendMessage", kind="delay", seconds=1.5)
    result = await sender.send_message(USER, "slow")
    assert result.status is SendStatus.FAILED and "timed out" in result.error
    assert calls(standin) == 1  # retrying could deliver it twice


async def test_forbidden_and_unknown_chats_mark_the_user_blocked(env):
    standin, sender, storage = env
    standin.faults.add("sendMessage", kind="forbidden")
    assert (await sender.send_message(USER, "x")).status is SendStatus.BLOCKED
    assert (await storage.get_user(USER)).blocked
    assert calls(standin) == 1
    result = await sender.send_message(987654, "nobody")  # no such chat
    assert result.status is SendStatus.BLOCKED


async def test_flood_control_waits_then_sends(env):
    standin, sender, _ = env
    standin.faults.add("sendMessage", kind="retry_after", retry_after=1)
    started = time.monotonic()
    assert (await sender.send_message(USER, "after the wait")).ok
    assert time.monotonic() - started >= 0.9
    assert calls(standin) == 2


async def test_pacer_spaces_sends():
    pacer = Pacer(rate=20, burst=1)
    started = time.monotonic()
    for _ in range(6):
        await pacer.acquire()
    assert time.monotonic() - started >= 0.2  # 5 waits of 1/20 s after the first token


async def test_sending_is_written_only_when_the_request_can_go_out(env):
    """Four connections, five sends: the fifth is not "sending" while it waits for one."""
    standin, sender, _ = env
    standin.faults.add("sendMessage", kind="delay", seconds=0.3, times=4)
    events: list[str] = []

    async def one(i: int):
        async def dispatch() -> bool:
            events.append(f"dispatch {i}")
            return True

        result = await sender.call(
            USER, lambda: sender.bot.send_message(USER, f"m{i}"), on_dispatch=dispatch
        )
        events.append(f"done {i}")
        return result

    results = await asyncio.gather(*(one(i) for i in range(5)))
    assert all(result.ok for result in results)
    first_done = min(events.index(f"done {i}") for i in range(5))
    assert sum(event.startswith("dispatch") for event in events[:first_done]) == 4, events
    assert len(standin.user(USER).bot_messages()) == 5


async def test_a_retried_send_is_written_ahead_once(env):
    standin, sender, _ = env
    standin.faults.add("sendMessage", kind="server_error", status=502, times=2)
    marks = 0

    async def dispatch() -> bool:
        nonlocal marks
        marks += 1
        return True

    result = await sender.call(
        USER, lambda: sender.bot.send_message(USER, "x"), on_dispatch=dispatch
    )
    assert result.ok and calls(standin) == 3 and marks == 1


@pytest.mark.parametrize("client", ["aiohttp", "httpx"])
async def test_a_send_taken_over_by_another_process_is_not_made(tmp_path, client):
    storage = SQLiteStorage(tmp_path / "cx.sqlite3")
    await storage.open()
    try:
        async with BotAPIStandIn(token=TOKEN) as standin:
            standin.user(USER, "Iryna", language_code="uk")
            request = make_request(client, pool_size=2, timeout=1, for_updates=False)
            async with Bot(TOKEN, base_url=f"{standin.url}/bot", request=request) as bot:
                sender = Sender(bot, storage, lambda: NOW, rate=0)

                async def taken() -> bool:
                    return False

                async def ours() -> bool:
                    return True

                send = lambda: bot.send_message(USER, "once")  # noqa: E731
                skipped = await sender.call(USER, send, on_dispatch=taken)
                assert skipped.status is SendStatus.SKIPPED and calls(standin) == 0
                assert (await sender.call(USER, send, on_dispatch=ours)).ok
                assert [m.text for m in standin.user(USER).bot_messages()] == ["once"]
    finally:
        await storage.close()


async def test_sends_waiting_for_their_turn_are_dropped_when_halted(env):
    """A paused or cancelled broadcast: what only waits in the pacer is not sent, at once."""
    standin, sender, _ = env
    sender.pacer = Pacer(rate=2, burst=1)  # one now, then one every 0.5 s
    halted = False
    marked: list[int] = []

    async def mark() -> bool:
        marked.append(1)
        return True

    def send(text: str):
        return sender.call(
            USER,
            lambda: sender.bot.send_message(USER, text),
            on_dispatch=mark,
            abandon=lambda: halted,
            path="broadcast",
        )

    first = await send("first")
    waiting = [asyncio.create_task(send(f"queued {i}")) for i in range(4)]
    await asyncio.sleep(0)  # they queue for the pacer
    halted = True
    started = time.monotonic()
    results = await asyncio.gather(*waiting)
    assert first.status is SendStatus.SENT
    assert [r.status for r in results] == [SendStatus.SKIPPED] * 4
    assert time.monotonic() - started < 0.9  # not one 0.5 s turn each
    assert len(marked) == 1 and calls(standin) == 1  # never written ahead, never sent
