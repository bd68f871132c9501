"""Update processing: different chats in parallel, one chat's updates strictly in order.

PTB's default processes every update one after another (slow under load); its
``concurrent_updates=True`` runs everything in parallel, so a learner's double press could
race itself. This processor keeps a lock per chat (or user): parallel across learners,
sequential within one conversation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.metrics import Metrics, update_kind


def update_key(update: object) -> int | None:
    """The conversation an update belongs to: its chat, else its user, else None."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs up to ``max_concurrent_updates`` updates at once, never two of the same chat."""

    def __init__(self, max_concurrent_updates: int = 256, metrics: Metrics | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self.metrics = metrics

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self.metrics is not None:
            coroutine = self.metrics.observe_update(update_kind(update), coroutine)
        key = update_key(update)
        if key is None:
            await coroutine
            return
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
