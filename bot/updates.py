"""Update processing: different chats in parallel, one chat's updates strictly in order.

PTB's default processes every update one after another (slow under load); its
``concurrent_updates=True`` runs everything in parallel, so a learner's double press could
race itself. This processor keeps a lock per chat (or user): parallel across learners,
sequential within one conversation.

No head-of-line blocking: PTB's ``BaseUpdateProcessor.process_update`` takes its semaphore
*before* ``do_process_update``, so an update waiting for its chat would hold a global slot and
one flooding chat could stall everyone. PTB's semaphore is therefore made practically unbounded,
and our own cap on running handlers is taken *after* the chat's lock: only updates that can
run right now take a slot.

A chat's backlog is bounded: at most ``max_waiting_per_chat`` updates wait behind the running
one; newer arrivals are dropped (a warning when a flood starts, a summary when it ends, and
``cxcoach_updates_dropped_total``). Dropping the newest keeps the order of what is kept (the
learner's replies build on each other, e.g. a typed setting the bot asked for) and never
cancels work already accepted; a person never has dozens of updates in flight, so only button
spam or a script loses updates, and memory stays bounded whatever it sends.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.metrics import Metrics, update_kind

log = logging.getLogger(__name__)

# PTB's own semaphore must never be what makes an update wait (see the module docstring)
_UNBOUNDED = 2**30
MAX_WAITING_PER_CHAT = 50  # a person's burst (an album, a long paste, fast taps) fits easily
FLOOD_BACKLOG = 5  # from this many waiting behind it, a chat's next update is paced ...
FLOOD_PACE = 0.05  # ... by this many seconds (20 a second: still far above Telegram's ~1/s)


def update_key(update: object) -> int | None:
    """The conversation an update belongs to: its chat, else its user, else None."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    inside: int = 0  # the running update plus those waiting behind it
    dropped: int = 0  # in the current flood


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs up to ``max_concurrent_updates`` handlers at once, never two of the same chat, with
    at most ``max_waiting_per_chat`` updates waiting per chat."""

    def __init__(
        self,
        max_concurrent_updates: int = 256,
        metrics: Metrics | None = None,
        max_waiting_per_chat: int = MAX_WAITING_PER_CHAT,
        flood_backlog: int = FLOOD_BACKLOG,
        flood_pace: float = FLOOD_PACE,
    ) -> None:
        if max_concurrent_updates < 1 or max_waiting_per_chat < 0:
            raise ValueError("max_concurrent_updates must be positive, max_waiting_per_chat >= 0")
        super().__init__(_UNBOUNDED)
        self.running_cap = max_concurrent_updates
        self.max_waiting_per_chat = max_waiting_per_chat
        self.flood_backlog, self.flood_pace = flood_backlog, flood_pace
        self._running = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._chats: dict[int, _Chat] = {}
        self._now_running = 0
        self.metrics = metrics

    @property
    def running(self) -> int:
        """Handlers running right now (not counting updates waiting for their chat or a slot)."""
        return self._now_running

    def waiting(self, key: int) -> int:
        """Updates of one chat waiting behind its running one."""
        chat = self._chats.get(key)
        return max(chat.inside - 1, 0) if chat is not None else 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = update_key(update)
        chat = self._chats.setdefault(key, _Chat()) if key is not None else None
        if chat is not None and chat.inside > self.max_waiting_per_chat:
            self._drop(key, chat, update, coroutine)
            return
        work = self._in_turn(key, chat, coroutine)
        if self.metrics is not None:  # the latency includes waiting for the chat and a slot
            await self.metrics.observe_update(update_kind(update), work)
        else:
            await work

    async def _in_turn(
        self, key: int | None, chat: _Chat | None, coroutine: Awaitable[Any]
    ) -> None:
        if chat is None:
            await self._run(coroutine)
            return
        chat.inside += 1
        try:
            async with chat.lock:  # first the chat's turn, only then a global slot
                if chat.inside - 1 >= self.flood_backlog:
                    # this chat is flooding: pace it, so it cannot take half of the loop and
                    # the database from everyone else (Telegram would not let us answer it
                    # faster than about one message a second anyway)
                    await asyncio.sleep(self.flood_pace)
                await self._run(coroutine)
        finally:
            chat.inside -= 1
            if chat.inside == 0:
                del self._chats[key]
                if chat.dropped:
                    log.warning("chat %s: flood over, %d updates dropped", key, chat.dropped)

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        async with self._running:
            self._now_running += 1
            try:
                await coroutine
            finally:
                self._now_running -= 1

    def _drop(
        self, key: int | None, chat: _Chat, update: object, coroutine: Awaitable[Any]
    ) -> None:
        close = getattr(coroutine, "close", None)
        if close is not None:
            close()  # never started: no "was never awaited" warning
        if chat.dropped == 0:
            log.warning(
                "chat %s: %d updates already waiting, dropping newer ones until it catches up",
                key,
                chat.inside - 1,
            )
        chat.dropped += 1
        if self.metrics is not None:
            self.metrics.dropped.labels(update_kind(update)).inc()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
