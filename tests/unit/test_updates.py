"""The update processor: one chat in order, chats in parallel, a global cap on running
handlers, no head-of-line blocking, and a bounded backlog per chat."""

from __future__ import annotations

import asyncio
import warnings
from datetime import UTC, datetime

import pytest
from telegram import Chat, Message, Update

from bot.metrics import Metrics
from bot.updates import PerChatUpdateProcessor


def message_update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, datetime.now(UTC), chat, text="hi"))


class Handlers:
    """Handler coroutines that record their runs and can be held until released."""

    def __init__(self, processor: PerChatUpdateProcessor) -> None:
        self.processor = processor
        self.done: list[tuple[int, int]] = []
        self.gates: dict[int, asyncio.Event] = {}
        self.most_running = 0

    async def handle(self, chat_id: int, n: int, hold: bool = False) -> None:
        self.most_running = max(self.most_running, self.processor.running)
        if hold:
            await self.gates.setdefault(chat_id, asyncio.Event()).wait()
        await asyncio.sleep(0.001 * (n % 3))  # uneven durations: later ones may finish first
        self.done.append((chat_id, n))

    def submit(self, chat_id: int, n: int, hold: bool = False) -> asyncio.Task:
        update = message_update(chat_id * 10_000 + n, chat_id)
        return asyncio.create_task(
            self.processor.process_update(update, self.handle(chat_id, n, hold))
        )

    def release(self, chat_id: int) -> None:
        self.gates.setdefault(chat_id, asyncio.Event()).set()


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_one_chats_updates_run_in_order():
    handlers = Handlers(PerChatUpdateProcessor(8))
    tasks = [handlers.submit(1, n) for n in range(30)]
    await asyncio.gather(*tasks)
    assert handlers.done == [(1, n) for n in range(30)]


async def test_different_chats_run_at_the_same_time():
    handlers = Handlers(PerChatUpdateProcessor(8))
    held = handlers.submit(1, 0, hold=True)
    await settle()
    await asyncio.wait_for(handlers.submit(2, 0), 1)  # chat 2 is not behind chat 1
    assert handlers.done == [(2, 0)]
    handlers.release(1)
    await held
    assert handlers.done == [(2, 0), (1, 0)]


async def test_the_global_cap_still_applies_to_running_handlers():
    processor = PerChatUpdateProcessor(3)
    handlers = Handlers(processor)
    tasks = [handlers.submit(chat, 0, hold=True) for chat in range(1, 11)]
    await settle()
    assert processor.running == 3
    for chat in range(1, 11):
        handlers.release(chat)
    await asyncio.gather(*tasks)
    assert handlers.most_running == 3
    assert sorted(handlers.done) == [(chat, 0) for chat in range(1, 11)]
    assert processor.running == 0


async def test_updates_waiting_for_their_chat_hold_no_global_slot():
    processor = PerChatUpdateProcessor(2)
    handlers = Handlers(processor)
    flood = [handlers.submit(1, 0, hold=True)] + [handlers.submit(1, n) for n in range(1, 20)]
    await settle()
    assert processor.running == 1 and processor.waiting(1) == 19
    # more updates wait for chat 1 than there are slots, and chat 2 still runs at once
    await asyncio.wait_for(handlers.submit(2, 0), 1)
    assert handlers.done == [(2, 0)]
    handlers.release(1)
    await asyncio.gather(*flood)
    assert handlers.done[1:] == [(1, n) for n in range(20)]


async def test_a_flooding_chats_backlog_is_bounded_and_counted(caplog):
    metrics = Metrics()
    processor = PerChatUpdateProcessor(8, metrics, max_waiting_per_chat=3, flood_pace=0)
    handlers = Handlers(processor)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a dropped coroutine is closed, not left un-awaited
        tasks = [handlers.submit(1, 0, hold=True)] + [handlers.submit(1, n) for n in range(1, 10)]
        await settle()
        assert processor.waiting(1) == 3
        handlers.release(1)
        await asyncio.gather(*tasks)
    assert handlers.done == [(1, n) for n in range(4)]  # the first ones, in order
    dropped = metrics.registry.get_sample_value(
        "cxcoach_updates_dropped_total", {"kind": "message"}
    )
    assert dropped == 6
    assert "dropping newer ones" in caplog.text and "6 updates dropped" in caplog.text
    # caught up: the chat is served again, and its state is gone
    await handlers.submit(1, 10)
    assert handlers.done[-1] == (1, 10)
    assert processor.waiting(1) == 0


async def test_a_flooding_chat_is_paced_and_others_are_not():
    processor = PerChatUpdateProcessor(8, flood_backlog=2, flood_pace=0.05)
    handlers = Handlers(processor)
    loop = asyncio.get_running_loop()
    tasks = [handlers.submit(1, 0, hold=True)] + [handlers.submit(1, n) for n in range(1, 5)]
    await settle()
    handlers.release(1)
    started = loop.time()
    await asyncio.wait_for(handlers.submit(2, 0), 1)
    assert loop.time() - started < 0.04  # chat 2 is never paced
    await asyncio.gather(*tasks)
    assert loop.time() - started >= 0.05  # chat 1's backlog was
    assert [d for d in handlers.done if d[0] == 1] == [(1, n) for n in range(5)]


def test_bad_limits_are_refused():
    with pytest.raises(ValueError):
        PerChatUpdateProcessor(0)
    with pytest.raises(ValueError):
        PerChatUpdateProcessor(4, max_waiting_per_chat=-1)
