"""Background work driven by a JobQueue tick: one run at a time, and a stop that waits.

The JobQueue job calls :meth:`SingleRun.tick` every few seconds; a tick starts a run only when
none is going, so a long run (a big drain, a broadcast) is never doubled and the job itself
returns at once. ``stop()`` (from ``post_stop``) lets the running one finish its work in
flight and starts no new one.
"""

from __future__ import annotations

import asyncio
import contextlib


class SingleRun:
    """Subclasses implement :meth:`run_once` and may check ``self._stopping`` in it."""

    task_name = "background"

    def __init__(self) -> None:
        self._task: asyncio.Task[object] | None = None
        self._stopping = False

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    async def tick(self, _context: object = None) -> None:
        """Start a run unless one is going (or we are stopping)."""
        if self._stopping or self.busy:
            return
        self._task = asyncio.create_task(self.run_once(), name=self.task_name)

    async def run_now(self) -> None:
        """Let the running one finish, then make one whole run more, and wait for it: after
        this, everything due at the moment of the call has been done (tests settle on it)."""
        while self.busy:
            assert self._task is not None
            with contextlib.suppress(Exception):
                await asyncio.shield(self._task)
        if self._stopping:
            return
        self._task = asyncio.create_task(self.run_once(), name=self.task_name)
        with contextlib.suppress(Exception):  # a run logs its own errors
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        """Let the running one finish; start no new one."""
        self._stopping = True
        if self._task is not None:
            with contextlib.suppress(Exception):  # a run logs its own errors
                await self._task

    async def run_once(self) -> object:
        raise NotImplementedError
