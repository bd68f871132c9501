"""Runs confirmed broadcasts in the background through the shared, paced sender.

One broadcast at a time (others wait, queued). Recipients are fixed in the database when the
admin confirms; each is claimed (a lease, shared out among replicas) and moves pending ->
sending -> sent / blocked / failed. "sending" is written ahead of the request, at the last
moment (when the transport holds a connection: :func:`bot.transport.before_write`), and only
if the claim is still ours; results are written in batches. A restart
continues with the pending ones, so nobody gets the message twice: after a graceful stop
nothing is left "sending"; after a hard kill the few that were on the wire (at most one per
pooled connection) or whose result was not yet written become "unconfirmed" and are
reported, not resent (the admin may resend them, accepting possible duplicates).

The admin's progress message is edited in place every couple of seconds (bar, counts, rate,
time left) with Pause / Resume / Cancel; the last edit is the report.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections import deque
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.background import SingleRun
from bot.i18n import LANGUAGES, translator
from bot.render import broadcast as screens
from bot.sender import Sender, SendResult, SendStatus
from bot.services.broadcast import progress_of
from bot.services.env import Env
from bot.services.learners import language_of
from bot.services.start import deep_link_payload
from domain.records import Broadcast

log = logging.getLogger(__name__)

CLAIM = 50  # recipients claimed at a time (a pause takes effect within one claim)
# seconds between writes of finished recipients (a result not yet written when the process is
# killed leaves its recipient "unconfirmed" though the message arrived)
FLUSH_EVERY = 0.05
PROGRESS_EVERY = 2.0  # seconds between edits of the admin's progress message


class BroadcastRunner(SingleRun):
    task_name = "broadcasts"

    def __init__(
        self,
        bot: ExtBot,
        env: Env,
        sender: Sender,
        *,
        workers: int = 64,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        self.storage, self.settings, self.clock = env.storage, env.settings, env.clock
        self.bot, self.sender, self.workers, self.lease = bot, sender, workers, lease
        self.single_process = True  # set by recover(): replicas on PostgreSQL share the work
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._halt: dict[int, str] = {}  # broadcast id -> "paused" / "cancelled"
        super().__init__()

    # life cycle --------------------------------------------------------------------------
    async def recover(self, *, single_process: bool) -> int:
        """At start-up: in-flight sends of a dead process become "unconfirmed". One process
        (SQLite) knows they are all dead; replicas wait for the lease to expire."""
        self.single_process = single_process
        now = self.clock()
        return await self.storage.mark_unconfirmed(None if single_process else now - self.lease)

    async def run_once(self) -> None:
        await self._run_all()

    def halt(self, broadcast_id: int, how: str) -> None:
        """Pause or cancel a running broadcast (in-flight sends finish first)."""
        self._halt[broadcast_id] = how

    # running -----------------------------------------------------------------------------
    async def _run_all(self) -> None:
        try:
            while not self._stopping:
                now = self.clock()
                # sends left "sending" by a process that died (its lease expired)
                await self.storage.mark_unconfirmed(now - self.lease)
                broadcast = await self.storage.next_broadcast(now)
                if broadcast is None or not await self._run(broadcast):
                    return
        except Exception:
            log.exception("broadcast runner stopped by an error; the next tick resumes it")

    async def _run(self, broadcast: Broadcast) -> bool:
        """Send this process's share of a broadcast; True when the broadcast is over."""
        bid = broadcast.id
        self._halt.pop(bid, None)
        if broadcast.status == "queued":
            if await self.storage.set_broadcast_status(bid, "running", ("queued",), self.clock()):
                await self._report(broadcast, 0.0, final=False)  # "running", Pause / Cancel
        started = time.monotonic()
        results: list[tuple[int, str, str | None]] = []
        last_flush = last_edit = time.monotonic()
        markup = await self.button_markup(broadcast)
        lock = asyncio.Lock()

        async def flush() -> None:
            nonlocal results, last_flush
            async with lock:
                done, results = results, []
                last_flush = time.monotonic()
                try:
                    await self.storage.record_results(bid, done, self.clock())
                except BaseException:
                    results = done + results  # kept for the next write
                    raise

        async def send_one(chat_id: int) -> None:
            target: int | str = chat_id
            if broadcast.target == "channel":
                target = self.settings.channel_chat or chat_id
                if not target:  # stored as 0, the channel's setting removed since: no send
                    results.append((chat_id, "failed", "no channel is configured"))
                    return
            result = await self.sender.call(
                target,
                lambda: self.bot.copy_message(
                    target,
                    broadcast.source_chat_id,
                    broadcast.source_message_id,
                    reply_markup=markup,
                    allow_paid_broadcast=self.settings.paid_broadcast or None,
                ),
                on_dispatch=lambda: self.storage.mark_sending(
                    bid, chat_id, self.owner, self.clock()
                ),
                abandon=halted,  # paused, cancelled or stopping: not yet sent, not sent
                path="broadcast",
            )
            if result.status is not SendStatus.SKIPPED:  # skipped: another replica's now
                results.append((chat_id, _status(result), result.error))

        # A continuous pipeline: workers take recipients from a local queue refilled by
        # claims (leases), so several processes share the work and none sends twice, and
        # a recipient being retried never holds the others up.
        queue: deque[int] = deque()
        exhausted = False
        refill_lock = asyncio.Lock()

        errors: list[BaseException] = []

        def halted() -> bool:
            return self._stopping or bid in self._halt or bool(errors)

        async def take() -> int | None:
            nonlocal exhausted
            if not queue and not exhausted and not halted():
                async with refill_lock:
                    if not queue and not exhausted and not halted():
                        current = await self.storage.get_broadcast(bid)
                        if current is None or current.status != "running":
                            self._halt.setdefault(bid, current.status if current else "cancelled")
                            return None
                        now = self.clock()
                        stale = now if self.single_process else now - self.lease
                        batch = await self.storage.claim_recipients(
                            bid, self.owner, CLAIM, now, stale
                        )
                        exhausted = not batch
                        queue.extend(batch)
            return queue.popleft() if queue and not halted() else None

        async def worker() -> None:
            try:
                await work()
            except Exception as exc:  # the others finish their sends in flight, then stop
                errors.append(exc)

        async def work() -> None:
            nonlocal last_edit
            while (chat_id := await take()) is not None:
                await send_one(chat_id)
                now = time.monotonic()
                if now - last_flush >= FLUSH_EVERY:
                    await flush()
                if now - last_edit >= PROGRESS_EVERY:
                    last_edit = now
                    await self._report(broadcast, now - started, final=False)

        await asyncio.gather(*(worker() for _ in range(self.workers)))
        # even after an error: store what was sent (a few tries: results held only here
        # would leave their recipients "unconfirmed"), give back what was not
        try:
            for attempt in range(3):
                try:
                    await flush()
                    break
                except Exception:
                    if attempt == 2:
                        raise
                    await asyncio.sleep(0.2 * (attempt + 1))
        finally:
            await self.storage.release_recipients(bid, self.owner)  # claimed, never sent
        if errors:
            raise errors[0]  # logged by _run_all; the next tick resumes the broadcast
        halt = self._halt.pop(bid, None)
        if self._stopping and halt is None:
            return False  # a restart (or another replica) goes on with it
        if halt is not None:
            await self.storage.set_broadcast_status(bid, halt, ("running",), self.clock())
            await self._report(broadcast, time.monotonic() - started, final=True, status=halt)
            return True
        if await self.storage.outstanding_recipients(bid):
            return False  # other processes are still sending their share
        if await self.storage.set_broadcast_status(bid, "done", ("running",), self.clock()):
            await self._report(broadcast, time.monotonic() - started, final=True, status="done")
        return True

    async def button_markup(self, broadcast: Broadcast) -> InlineKeyboardMarkup | None:
        """The series button under the message, in the message's language as far as it is
        known: the audience's one language, else its author's (the admin's)."""
        if not broadcast.button_series or not self.bot.username:
            return None
        languages = broadcast.audience.languages
        if len(languages) == 1 and languages[0] in LANGUAGES:
            lang = languages[0]
        else:
            admin = await self.storage.get_user(broadcast.admin_id)
            default = self.settings.default_language
            lang = language_of(admin, None, default) if admin else default
        t = translator(lang)
        payload = deep_link_payload("series", broadcast.button_series)
        url = f"https://t.me/{self.bot.username}?start={payload}"
        return InlineKeyboardMarkup([[InlineKeyboardButton(t._("📚 Open the series"), url=url)]])

    async def _report(
        self, broadcast: Broadcast, elapsed: float, *, final: bool, status: str = "running"
    ) -> None:
        current = await self.storage.get_broadcast(broadcast.id) or broadcast
        if current.progress_chat_id is None or current.progress_message_id is None:
            return
        counts = await self.storage.recipient_counts(broadcast.id)
        if self.sender.metrics is not None:
            for state in ("pending", "sending", "sent", "blocked", "failed", "unconfirmed"):
                gauge = self.sender.metrics.broadcast.labels(str(broadcast.id), state)
                gauge.set(counts.get(state, 0))
        progress = progress_of(counts, current.total, elapsed)
        admin = await self.storage.get_user(broadcast.admin_id)
        lang = language_of(admin, None, self.settings.default_language)
        screen = screens.progress_screen(
            translator(lang), current, progress, counts, status if final else "running"
        )
        try:
            await self.bot.edit_message_text(
                screen.text,
                chat_id=current.progress_chat_id,
                message_id=current.progress_message_id,
                reply_markup=screen.keyboard,
            )
        except TelegramError as exc:  # cosmetic; the broadcast goes on
            log.debug("progress edit failed: %s", exc)


def _status(result: SendResult) -> str:
    if result.status is SendStatus.SENT:
        return "sent"
    if result.status is SendStatus.BLOCKED:
        return "blocked"
    return "failed"
