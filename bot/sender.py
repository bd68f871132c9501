"""The one path for messages the bot sends on its own: drips, nudges and (later) broadcasts.

It paces sends (a token bucket, ``CXCOACH_BULK_RATE`` per second, leaving Telegram's ~30/s
headroom for replies to learners), and handles what Telegram answers:

* 429 RetryAfter: everyone waits the time Telegram asks for, then the send is retried;
* 403 Forbidden (and "chat not found", "user is deactivated"): the learner is unreachable —
  marked blocked (their deliveries stop, their data stays) and never retried;
* 5xx and network errors: retried with exponential back-off, then reported as failed;
* a timeout after the request went out is ambiguous (Telegram may have delivered it): it is
  NOT retried, so a learner never gets the same message twice; the caller reschedules.

``on_dispatch`` is the write-ahead step of a send that must never happen twice: it records
"sending" in the database and answers whether the work is still this process's. On our
aiohttp transport it runs when the request holds a connection and only the write is left
(:func:`bot.transport.before_write`); on PTB's httpx transport, just before the call.
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
from bot.ratelimit import bulk
from bot.transport import NotDispatched, before_write, runs_hooks
from storage.store import Storage

log = logging.getLogger(__name__)

MAX_FLOOD_WAITS = 10
UNREACHABLE = ("chat not found", "user is deactivated", "bot was blocked", "bot was kicked")


class SendStatus(enum.Enum):
    SENT = "sent"
    BLOCKED = "blocked"  # the chat cannot be reached: never retry
    FAILED = "failed"  # gave up for now (network, server errors, bad request)
    SKIPPED = "skipped"  # not sent: taken over by another process, or halted before the wire


@dataclass(frozen=True)
class SendResult:
    status: SendStatus
    message: Message | None = None
    error: str | None = None
    refused: bool = False  # Telegram refused this very message (400): resending it is futile

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

    async def acquire(self, abandon: Callable[[], bool] | None = None) -> bool:
        """Wait for a flood-control pause to end, then for a token (rate 0: no pacing).

        False, at once and without a token, once ``abandon()`` is true: a send that was
        only waiting for its turn is dropped the moment its work is halted."""
        async with self._lock:
            while True:
                if abandon is not None and abandon():
                    return False
                now = time.monotonic()
                if now < self._paused_until:
                    await asyncio.sleep(self._paused_until - now)
                    continue
                if self.rate <= 0:
                    return True
                self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return True
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
        self.late_dispatch = runs_hooks(getattr(bot, "request", None))

    async def send_message(
        self,
        chat_id: int,
        text: str,
        *,
        path: str = "drip",
        on_dispatch: Callable[[], Awaitable[bool]] | None = None,
        **kwargs: Any,
    ) -> SendResult:
        return await self.call(
            chat_id,
            lambda: self.bot.send_message(chat_id, text, **kwargs),
            on_dispatch=on_dispatch,
            path=path,
        )

    async def call(
        self,
        chat_id: int | str,
        send: Callable[[], Awaitable[Any]],
        *,
        on_dispatch: Callable[[], Awaitable[bool]] | None = None,
        abandon: Callable[[], bool] | None = None,
        path: str = "drip",
    ) -> SendResult:
        """Run one Bot API send for ``chat_id`` with pacing, retries and blocked marking.

        ``on_dispatch`` runs once, just before the first request goes out (see the module
        text); when it answers False nothing is sent (SKIPPED). ``abandon`` is asked while
        the send waits for its turn and again just before it goes out: once it is true (a
        broadcast paused or cancelled, a stop) a send not yet on the wire is SKIPPED.
        ``path`` labels the metrics.
        """
        result = await self._call(chat_id, send, on_dispatch, abandon)
        if self.metrics is not None:
            self.metrics.messages.labels(path, result.status.value).inc()
        return result

    async def _call(
        self,
        chat_id: int | str,
        send: Callable[[], Awaitable[Any]],
        on_dispatch: Callable[[], Awaitable[bool]] | None,
        abandon: Callable[[], bool] | None = None,
    ) -> SendResult:
        delay = self.backoff
        last_error = ""
        failures = floods = 0
        dispatched = on_dispatch is None and abandon is None
        halted = SendResult(SendStatus.SKIPPED, error="halted before it was sent")

        async def hook() -> bool:
            nonlocal dispatched
            if abandon is not None and abandon():
                raise NotDispatched
            go = await on_dispatch() if on_dispatch is not None else True
            dispatched = True
            if not go:
                raise NotDispatched
            return True

        while failures < self.attempts and floods < MAX_FLOOD_WAITS:
            if not await self.pacer.acquire(None if dispatched else abandon):
                return halted
            try:
                with bulk():  # the rate limiter lets replies to learners go first
                    if dispatched:
                        result = await send()
                    elif self.late_dispatch:
                        with before_write(hook):
                            result = await send()
                    else:
                        await hook()
                        result = await send()
            except NotDispatched:
                return SendResult(SendStatus.SKIPPED, error="taken over by another process")
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
                return SendResult(SendStatus.FAILED, error=exc.message, refused=True)
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
