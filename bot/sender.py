"""The one path for messages the bot sends on its own: drips, nudges and (later) broadcasts.

It paces sends (a token bucket, ``CXCOACH_BULK_RATE`` per second, leaving Telegram's ~30/s
headroom for replies to learners), and handles what Telegram answers:

* 429 RetryAfter: everyone waits the time Telegram asks for, then the send is retried;
* 403 Forbidden (and "chat not found", "user is deactivated"): the learner is unreachable —
  marked blocked (their deliveries stop, their data stays) and never retried;
* 5xx and network errors: retried with exponential back-off, then reported as failed;
* a timeout after the request went out is ambiguous (Telegram may have delivered it): it is
  NOT retried, so a learner never gets the same message twice; the caller reschedules.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.metrics import Metrics
from storage.base import Storage

log = logging.getLogger(__name__)

MAX_FLOOD_WAITS = 10
UNREACHABLE = ("chat not found", "user is deactivated", "bot was blocked", "bot was kicked")


class SendStatus(enum.Enum):
    SENT = "sent"
    BLOCKED = "blocked"  # the chat cannot be reached: never retry
    FAILED = "failed"  # gave up for now (network, server errors, bad request)


@dataclass(frozen=True)
class SendResult:
    status: SendStatus
    message: Message | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is SendStatus.SENT


class Pacer:
    """A token bucket shared by every send; RetryAfter pauses it for everyone."""

    def __init__(self, rate: float, burst: int | None = None) -> None:
        self.rate = rate
        self.capacity = float(burst if burst is not None else max(1, int(rate)))
        self._tokens = self.capacity
        self._stamp = time.monotonic()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    async def acquire(self) -> None:
        """Wait for a flood-control pause to end, then for a token (rate 0: no pacing)."""
        async with self._lock:
            while True:
                now = time.monotonic()
                if now < self._paused_until:
                    await asyncio.sleep(self._paused_until - now)
                    continue
                if self.rate <= 0:
                    return
                self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self.rate)


def _seconds(value: Any) -> float:
    """RetryAfter.retry_after is an int today and a timedelta in PTB's future."""
    return float(value.total_seconds()) if hasattr(value, "total_seconds") else float(value)


class Sender:
    """Sends one message to one chat through the pacer, with Telegram's failures handled."""

    def __init__(
        self,
        bot: ExtBot,
        storage: Storage,
        clock: Callable[[], datetime],
        *,
        rate: float = 20.0,
        attempts: int = 4,
        backoff: float = 1.0,
        metrics: Metrics | None = None,
    ) -> None:
        self.metrics = metrics
        self.bot = bot
        self.storage = storage
        self.clock = clock
        self.pacer = Pacer(rate)
        self.attempts = attempts
        self.backoff = backoff

    async def send_message(
        self, chat_id: int, text: str, *, path: str = "drip", **kwargs: Any
    ) -> SendResult:
        return await self.call(
            chat_id, lambda: self.bot.send_message(chat_id, text, **kwargs), path=path
        )

    async def call(
        self,
        chat_id: int | str,
        send: Callable[[], Awaitable[Any]],
        *,
        on_dispatch: Callable[[], Awaitable[None]] | None = None,
        path: str = "drip",
    ) -> SendResult:
        """Run one Bot API send for ``chat_id`` with pacing, retries and blocked marking.

        ``on_dispatch`` runs once, after the pacer lets the send go and just before the
        first request (broadcasts record "sending" there). ``path`` labels the metrics.
        """
        result = await self._call(chat_id, send, on_dispatch)
        if self.metrics is not None:
            self.metrics.messages.labels(path, result.status.value).inc()
        return result

    async def _call(
        self,
        chat_id: int | str,
        send: Callable[[], Awaitable[Any]],
        on_dispatch: Callable[[], Awaitable[None]] | None,
    ) -> SendResult:
        delay = self.backoff
        last_error = ""
        failures = floods = 0
        while failures < self.attempts and floods < MAX_FLOOD_WAITS:
            await self.pacer.acquire()
            if on_dispatch is not None:
                await on_dispatch()
                on_dispatch = None
            try:
                result = await send()
            except RetryAfter as exc:
                wait = _seconds(exc.retry_after)
                log.warning("Telegram asks to wait %.0f s (flood control)", wait)
                self.pacer.pause(wait)
                last_error = f"retry after {wait:.0f} s"
                floods += 1
                continue  # flood control is not a failure of this message
            except Forbidden as exc:
                return await self._unreachable(chat_id, exc.message)
            except BadRequest as exc:
                if any(marker in exc.message.lower() for marker in UNREACHABLE):
                    return await self._unreachable(chat_id, exc.message)
                log.error("Telegram refused a message to %s: %s", chat_id, exc.message)
                return SendResult(SendStatus.FAILED, error=exc.message)
            except TimedOut as exc:
                if "not* sent" not in exc.message:  # it may have been delivered: no retry
                    return SendResult(SendStatus.FAILED, error=f"timed out: {exc.message}")
                last_error = exc.message
            except NetworkError as exc:  # 5xx, connection errors
                last_error = exc.message
            else:
                return SendResult(SendStatus.SENT, result if isinstance(result, Message) else None)
            failures += 1
            if failures < self.attempts:
                await asyncio.sleep(delay * (1 + random.random() / 4))
                delay *= 2
        log.warning("giving up on a message to %s: %s", chat_id, last_error)
        return SendResult(SendStatus.FAILED, error=last_error)

    async def _unreachable(self, chat_id: int | str, why: str) -> SendResult:
        log.info("chat %s cannot be reached (%s): marked blocked", chat_id, why)
        if isinstance(chat_id, int) and chat_id > 0:  # a private chat's id is the user's id
            await self.storage.set_blocked(chat_id, True, self.clock())
        return SendResult(SendStatus.BLOCKED, error=why)
