"""Telegram's flood limits, with replies to learners first (our ``BaseRateLimiter``).

Telegram documents about one message per second per chat (short bursts are tolerated), 20 per
minute per group and about 30 per second overall for bulk notifications. PTB's
``AIORateLimiter`` puts every chat-bound call in one overall bucket, so a learner's reply
queues behind everyone else's and behind a broadcast. Here:

* a **reply** (any call made while handling an update) passes its chat's bucket (a burst of
  :data:`CHAT_BURST` messages, then :data:`CHAT_RATE` per second: a quiz answer's edit and
  the next question go out at once) and, in a group, the group's (20 a minute). Edits of
  messages already there (``editMessage*``) send nothing new: they have their own, looser
  bucket per chat (:data:`EDIT_BURST`, then :data:`EDIT_RATE` per second), so a learner
  pressing through menus is not held to one screen a second. A reply never waits for the
  overall bucket, but it is counted there;
* a **bulk** call (drips, nudges, broadcasts, channel posts: whatever :class:`bot.sender.Sender`
  sends, marked by :func:`bulk`) also waits for the overall bucket, so bulk gets what replies
  leave of ``CXCOACH_RATE_LIMIT`` (paid broadcasts, ``allow_paid_broadcast``, have their own
  1,000/s bucket instead);
* a **429** (RetryAfter) pauses the chat it came from and all bulk for as long as Telegram
  says (without a chat, everything). A bulk call is not retried here: the Sender retries it
  after its own pause. A reply is retried once if the wait is short (:data:`REPLY_RETRY_MAX`
  seconds), else the error reaches the handler, as every other failure does.

Plain asyncio token buckets with an injectable clock (``aiolimiter`` has no way to take a
token without waiting, which "counted but never waiting" needs, nor a clock to test with).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

CHAT_RATE = 1.0  # messages per second to one chat, after the burst
CHAT_BURST = 4  # messages one chat may get at once
EDIT_RATE = 2.0  # edits of messages in one chat per second, after the burst (not "sending")
EDIT_BURST = 8
GROUP_RATE = 20 / 60  # messages per second to one group (20 a minute)
GROUP_BURST = 20
PAID_RATE = 1000.0  # allow_paid_broadcast's overall limit
REPLY_RETRY_MAX = 5.0  # a reply waits out a 429 of at most this many seconds, once
MAX_BUCKETS = 4096  # per-chat buckets kept before idle (full) ones are dropped

_BULK: ContextVar[bool] = ContextVar("cxcoach_bulk", default=False)


@contextmanager
def bulk() -> Iterator[None]:
    """Mark the Bot API calls made inside as bulk (they yield to replies)."""
    token = _BULK.set(True)
    try:
        yield
    finally:
        _BULK.reset(token)


class Bucket:
    """A token bucket: ``burst`` tokens, refilled at ``rate`` per second.

    Tokens may go below zero (down to ``-burst``) when a call is counted without waiting;
    whoever waits for the bucket then waits for the debt to be paid off."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst = rate, float(burst)
        self.tokens, self.stamp = float(burst), now

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now

    def wait(self, now: float) -> float:
        """Seconds until a token is there (0: now)."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 - 1e-9 else (1 - self.tokens) / self.rate  # (rounding)

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens = max(-self.burst, self.tokens - 1)

    def full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.burst


def _seconds(value: Any) -> float:
    return float(value.total_seconds()) if hasattr(value, "total_seconds") else float(value)


class ReplyFirstRateLimiter(BaseRateLimiter[int]):
    """Per-chat and per-group limits for replies; bulk gets what the overall rate leaves."""

    def __init__(
        self,
        overall_rate: float = 30.0,
        *,
        chat_rate: float = CHAT_RATE,
        chat_burst: int = CHAT_BURST,
        edit_rate: float = EDIT_RATE,
        edit_burst: int = EDIT_BURST,
        group_rate: float = GROUP_RATE,
        group_burst: int = GROUP_BURST,
        reply_retry_max: float = REPLY_RETRY_MAX,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.overall_rate = overall_rate
        self.chat_rate, self.chat_burst = chat_rate, chat_burst
        self.edit_rate, self.edit_burst = edit_rate, edit_burst
        self.group_rate, self.group_burst = group_rate, group_burst
        self.reply_retry_max = reply_retry_max
        self._clock, self._sleep = clock, sleep
        now = clock()
        self._overall = Bucket(overall_rate, max(1, int(overall_rate)), now)
        self._paid = Bucket(PAID_RATE, int(PAID_RATE), now)
        self._chats: dict[int | str, Bucket] = {}
        self._edits: dict[int | str, Bucket] = {}
        self._groups: dict[int | str, Bucket] = {}
        self._paused: dict[int | str, float] = {}  # chat -> until (429)
        self._bulk_paused = 0.0
        self._all_paused = 0.0
        self._bulk_lock = asyncio.Lock()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    # ------------------------------------------------------------------ buckets

    def _bucket(
        self, table: dict[int | str, Bucket], key: int | str, rate: float, burst: int
    ) -> Bucket:
        found = table.get(key)
        if found is None:
            now = self._clock()
            if len(table) >= MAX_BUCKETS:
                for old in [k for k, b in table.items() if b.full(now)]:
                    del table[old]
            found = table[key] = Bucket(rate, burst, now)
        return found

    def _pause_left(self, chat: int | str | None, bulk_call: bool, now: float) -> float:
        until = self._all_paused
        if chat is not None:
            until = max(until, self._paused.get(chat, 0.0))
        if bulk_call:
            until = max(until, self._bulk_paused)
        return max(0.0, until - now)

    async def _admit(
        self, chat: int | str | None, group: bool, edit: bool, bulk_call: bool, paid: bool
    ) -> None:
        """Wait until this call may go, then take its tokens."""
        buckets: list[Bucket] = []
        if chat is not None:
            if edit:
                buckets.append(self._bucket(self._edits, chat, self.edit_rate, self.edit_burst))
            else:
                buckets.append(self._bucket(self._chats, chat, self.chat_rate, self.chat_burst))
            if group:
                buckets.append(self._bucket(self._groups, chat, self.group_rate, self.group_burst))
        overall = self._paid if paid else self._overall
        counted = chat is not None and not paid
        while True:
            now = self._clock()
            wait = self._pause_left(chat, bulk_call, now)
            for bucket in buckets:
                wait = max(wait, bucket.wait(now))
            if bulk_call and (paid or self.overall_rate > 0):
                wait = max(wait, overall.wait(now))
            if wait <= 0:
                break
            await self._sleep(wait)
        for bucket in buckets:
            bucket.take(now)
        if (counted and self.overall_rate > 0) or (bulk_call and paid):
            overall.take(now)

    def _flood(self, chat: int | str | None, seconds: float) -> None:
        """Telegram said 429: pause that chat and bulk (no chat: everyone)."""
        until = self._clock() + seconds
        if chat is None:
            self._all_paused = max(self._all_paused, until)
        else:
            self._paused[chat] = max(self._paused.get(chat, 0.0), until)
            if len(self._paused) > MAX_BUCKETS:
                now = self._clock()
                self._paused = {k: v for k, v in self._paused.items() if v > now}
        self._bulk_paused = max(self._bulk_paused, until)

    # ------------------------------------------------------------------ PTB's entry point

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat: int | str | None = data.get("chat_id")
        if chat is not None:
            with contextlib.suppress(ValueError, TypeError):
                chat = int(chat)
        group = isinstance(chat, str) or (isinstance(chat, int) and chat < 0)
        bulk_call = _BULK.get()
        paid = bool(data.get("allow_paid_broadcast"))
        edit = endpoint.startswith("editMessage")
        retries = 0 if bulk_call else (1 if rate_limit_args is None else rate_limit_args)
        attempt = 0
        while True:
            if bulk_call:
                async with self._bulk_lock:  # bulk goes in order, one admission at a time
                    await self._admit(chat, group, edit, True, paid)
            else:
                await self._admit(chat, group, edit, False, paid)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = _seconds(exc.retry_after)
                self._flood(chat, seconds)
                log.warning("%s to %s: Telegram asks to wait %.0f s", endpoint, chat, seconds)
                if attempt >= retries or seconds > self.reply_retry_max:
                    raise
                attempt += 1
