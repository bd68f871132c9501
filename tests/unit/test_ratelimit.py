"""The reply-first rate limiter: per-chat and per-group limits for replies, bulk gets the rest.

Most tests drive the limiter with a fake clock (its sleeps advance the clock, nothing really
waits), so they are exact; the last ones go through the stand-in with generous bounds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.ratelimit import ReplyFirstRateLimiter, bulk
from bot.sender import Sender
from bot.transport import make_request
from standin import BotAPIStandIn
from storage.sqlite import SQLiteStorage

TOKEN = "123456:TEST-TOKEN-0123456789abcdefghij"
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def limiter(fake: FakeTime, rate: float = 30.0, **kwargs) -> ReplyFirstRateLimiter:
    return ReplyFirstRateLimiter(rate, clock=fake.clock, sleep=fake.sleep, **kwargs)


async def send(
    rl: ReplyFirstRateLimiter,
    fake: FakeTime,
    chat,
    *,
    fail=None,
    endpoint: str = "sendMessage",
    **data,
) -> float:
    """One call through the limiter; answers the (fake) time it went out."""
    went: list[float] = []

    async def call() -> bool:
        went.append(fake.now)
        if fail is not None and len(went) == 1:
            raise fail
        return True

    await rl.process_request(call, (), {}, endpoint, {"chat_id": chat, **data}, None)
    return went[-1]


async def test_a_chat_gets_a_burst_then_one_a_second(fake):
    rl = limiter(fake)
    times = [await send(rl, fake, 5) for _ in range(6)]
    assert times[:4] == [0, 0, 0, 0]  # a quiz answer's edit and next question: no wait
    assert times[4] == pytest.approx(1.0)
    assert times[5] == pytest.approx(2.0)


async def test_edits_have_their_own_looser_bucket(fake):
    rl = limiter(fake)
    for _ in range(4):
        await send(rl, fake, 5)  # the chat's burst of new messages is used up
    edits = [await send(rl, fake, 5, endpoint="editMessageText") for _ in range(9)]
    assert edits[:8] == [0] * 8  # pressing through menus: no wait
    assert edits[8] == pytest.approx(0.5)  # then 2 a second


async def test_one_busy_chat_does_not_slow_another(fake):
    rl = limiter(fake)
    for _ in range(4):
        await send(rl, fake, 5)
    assert await send(rl, fake, 6) == 0


async def test_a_group_gets_twenty_a_minute(fake):
    rl = limiter(fake, chat_burst=100)
    times = [await send(rl, fake, -100123) for _ in range(21)]
    assert times[19] == 0
    assert times[20] == pytest.approx(3.0)  # 60 s / 20


async def test_replies_never_wait_for_the_overall_bucket(fake):
    rl = limiter(fake, rate=30)
    with bulk():
        for chat in range(1, 31):  # bulk empties the overall bucket
            await send(rl, fake, chat)
    started = fake.now
    assert [await send(rl, fake, 1000 + chat) for chat in range(40)] == [started] * 40


async def test_bulk_gets_what_replies_leave(fake):
    rl = limiter(fake, rate=30)
    for chat in range(45):  # replies take 45 of 30 tokens: counted, not waiting
        await send(rl, fake, chat)
    with bulk():
        went = await send(rl, fake, 999)
    assert went == pytest.approx((1 + 15) / 30)  # the debt paid off, then one token


async def test_bulk_keeps_to_the_overall_rate(fake):
    rl = limiter(fake, rate=30)
    with bulk():
        times = [await send(rl, fake, chat) for chat in range(90)]
    assert times[29] == 0  # the burst
    assert times[-1] == pytest.approx(2.0)  # then 30/s
    assert 90 / (times[-1] + 1) <= 30


async def test_bulk_also_keeps_to_the_chat_limit(fake):
    rl = limiter(fake, rate=30)
    with bulk():
        times = [await send(rl, fake, 7) for _ in range(5)]
    assert times[4] == pytest.approx(1.0)


async def test_paid_broadcasts_are_not_held_to_thirty_a_second(fake):
    rl = limiter(fake, rate=30)
    with bulk():
        times = [await send(rl, fake, c, allow_paid_broadcast=True) for c in range(200)]
    assert times[-1] == 0


async def test_a_flood_wait_on_a_reply_pauses_that_chat_and_bulk_not_others(fake):
    rl = limiter(fake)
    went = await send(rl, fake, 5, fail=RetryAfter(2))
    assert went == pytest.approx(2.0)  # retried once, after the wait Telegram asked for
    fake.now = 0.5  # (as if the flood had just been reported)
    rl._flood(5, 2)
    assert await send(rl, fake, 6) == 0.5  # another learner: no pause
    assert await send(rl, fake, 5) == pytest.approx(2.5)
    fake.now = 0.5
    rl._flood(5, 2)
    with bulk():
        assert await send(rl, fake, 8) == pytest.approx(2.5)


async def test_a_long_flood_wait_reaches_the_handler(fake):
    rl = limiter(fake)
    with pytest.raises(RetryAfter):
        await send(rl, fake, 5, fail=RetryAfter(30))
    assert fake.now == 0  # nobody slept 30 s inside a handler
    assert await send(rl, fake, 5) == pytest.approx(30)  # but the chat is paused


async def test_a_flood_wait_on_bulk_is_left_to_the_sender(fake):
    rl = limiter(fake)
    with bulk(), pytest.raises(RetryAfter):
        await send(rl, fake, 5, fail=RetryAfter(1))
    with bulk():
        assert await send(rl, fake, 6) == pytest.approx(1.0)  # all bulk waits


async def test_a_flood_wait_without_a_chat_pauses_everyone(fake):
    rl = limiter(fake)
    went: list[float] = []

    async def call() -> bool:
        went.append(fake.now)
        if len(went) == 1:
            raise RetryAfter(1)
        return True

    await rl.process_request(call, (), {}, "answerCallbackQuery", {}, None)
    fake.now = 0
    rl._flood(None, 1)
    assert await send(rl, fake, 5) == pytest.approx(1.0)


# ---------------------------------------------------------------- through the stand-in


@pytest_asyncio.fixture
async def env(tmp_path) -> AsyncIterator[tuple[BotAPIStandIn, ExtBot, Sender]]:
    storage = SQLiteStorage(tmp_path / "cx.sqlite3")
    await storage.open()
    async with BotAPIStandIn(token=TOKEN) as standin:
        for uid in range(1, 12):
            standin.user(uid, "U", language_code="en")
        request = make_request("aiohttp", pool_size=8, timeout=2, for_updates=False)
        bot = ExtBot(
            TOKEN,
            base_url=f"{standin.url}/bot",
            request=request,
            rate_limiter=ReplyFirstRateLimiter(2),  # 2/s overall: bulk is slow to see
        )
        async with bot:
            yield standin, bot, Sender(bot, storage, lambda: NOW, rate=0, backoff=0.01)
    await storage.close()


async def test_a_reply_goes_out_while_a_broadcast_waits_for_the_overall_rate(env):
    standin, bot, sender = env
    started = time.monotonic()
    broadcast = asyncio.gather(*(sender.send_message(uid, "news") for uid in range(2, 8)))
    await standin.calls_seen("sendMessage", 2)  # the overall bucket's burst has gone out
    await bot.send_message(1, "your answer")  # a learner's reply
    results = await broadcast
    finished = time.monotonic() - started
    assert all(r.ok for r in results)
    assert finished >= 1.5  # 6 bulk sends at 2/s (2 at once, then 4 half a second apart)
    order = [str(c.chat_id) for c in standin.calls_of("sendMessage")]
    assert order.index("1") == 2  # the reply went right after the burst, not behind the 4
    texts = [m.text for m in standin.chats[1].messages.values() if m.from_bot]
    assert texts == ["your answer"]


async def test_a_reply_after_a_short_flood_wait_is_delivered(env):
    standin, bot, _ = env
    standin.faults.add("sendMessage", kind="retry_after", retry_after=1)
    started = time.monotonic()
    await bot.send_message(1, "after the wait")
    assert time.monotonic() - started >= 0.9
    assert [m.text for m in standin.chats[1].messages.values() if m.from_bot] == ["after the wait"]
