"""The delivery engine: one JobQueue job finds due slots in the database and delivers them.

No job per learner lives in APScheduler: the schedule's truth is ``users.next_slot_at``
(indexed). A repeating job (``CXCOACH_TICK_SECONDS``) starts a *drain* when none is running;
the drain claims due slots in batches (:meth:`Storage.claim_due` records a pending delivery
per (user, slot) and clears the slot atomically), decides each one with
:func:`bot.services.schedule.plan_slot`, sends it through the shared :class:`Sender`, and
stores the outcome and the next slot in one transaction.

Never twice: each send is written ahead ("sending", :meth:`Storage.mark_delivery_sending`)
at the moment its request goes on the wire, and only if the claim is still ours. Restarts: a
graceful stop waits for the running drain; after a crash (or, between replicas, once the lease
has expired), claims never sent are due again (:meth:`Storage.recover_pending`), while a slot
that was being sent becomes "unconfirmed": Telegram may have delivered it, so it is not sent
again — its next slot is planned, and a lesson that did not arrive is planned again then.

Preferences changed while a slot was being sent (the learner's settings run beside the
drain, not in its order): storing the outcome returns the user as it is now, and a next slot
planned from the old preferences is planned again from the new ones (after the delivery's
own day counts, so never a second lesson that day).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.background import SingleRun
from bot.i18n import translator
from bot.render.schedule import slot_screen
from bot.sender import Sender, SendStatus
from bot.services.env import Env
from bot.services.learners import stored_language
from bot.services.schedule import (
    counts_for,
    in_training,
    learner_state,
    next_slot,
    out_of_quiet,
    plan_slot,
    prefs_of,
    reschedule,
)
from domain.records import Claim, DeliveryOutcome

log = logging.getLogger(__name__)

RETRY_FAILED_AFTER = timedelta(minutes=15)


@dataclass
class DrainStats:
    claimed: int = 0
    sent: int = 0
    empty: int = 0
    blocked: int = 0
    failed: int = 0
    deferred: int = 0
    unconfirmed: int = 0  # a dead process was sending this slot: not resent
    skipped: int = 0  # the claim was taken over by another process
    by_kind: dict[str, int] = field(default_factory=dict)


class DeliveryEngine(SingleRun):
    """Delivers due slots; :meth:`tick` (from SingleRun) is the JobQueue callback."""

    task_name = "slot-drain"

    def __init__(
        self,
        env: Env,
        sender: Sender,
        *,
        batch: int = 200,
        workers: int = 8,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        self.storage, self.catalog, self.clock = env.storage, env.catalog, env.clock
        self.default_language = env.settings.default_language
        self.sender, self.batch, self.workers, self.lease = sender, batch, workers, lease
        self.totals = DrainStats()
        super().__init__()

    async def run_once(self) -> DrainStats:
        return await self.drain()

    async def drain(self) -> DrainStats:
        """Deliver every slot due now, batch by batch."""
        stats = DrainStats()
        try:
            # claims a dead process left pending (lease expired) are due again
            await self.storage.recover_pending(self.clock(), self.clock() - self.lease)
            while not self._stopping:
                await self._measure_backlog()  # due and not yet taken: 0 when we keep up
                claims = await self.storage.claim_due(self.clock(), self.batch)
                if not claims:
                    break
                stats.claimed += len(claims)
                queue: asyncio.Queue[Claim] = asyncio.Queue()
                for claim in claims:
                    queue.put_nowait(claim)
                await asyncio.gather(
                    *(self._worker(queue, stats) for _ in range(min(self.workers, len(claims))))
                )
        except Exception:
            log.exception("slot delivery stopped by an error; the next tick resumes it")
        self._add(stats)
        return stats

    async def _measure_backlog(self) -> None:
        """Slots due and not yet claimed, before each batch: a drain that cannot claim (the
        database refuses) leaves the gauge at what is waiting, not at a stale 0."""
        if self.sender.metrics is not None:
            self.sender.metrics.backlog.set(await self.storage.count_due(self.clock()))

    async def _worker(self, queue: asyncio.Queue[Claim], stats: DrainStats) -> None:
        while not queue.empty():
            claim = queue.get_nowait()
            try:
                outcome = await self.deliver(claim)
            except Exception:
                log.exception("delivery to user %s failed", claim.user.id)
                outcome = DeliveryOutcome("failed", next_slot_at=self.clock() + RETRY_FAILED_AFTER)
                try:
                    await self.storage.finish_delivery(
                        claim.user.id, claim.slot_at, outcome, self.clock()
                    )
                except Exception:  # the database down too: this worker goes on with the
                    # queue; the claim stays pending and is recovered once its lease expires
                    log.exception("could not store the failed delivery to %s", claim.user.id)
            status = outcome.status
            setattr(stats, status, getattr(stats, status) + 1)
            if outcome.kind:
                stats.by_kind[outcome.kind] = stats.by_kind.get(outcome.kind, 0) + 1

    async def deliver(self, claim: Claim) -> DeliveryOutcome:
        """Decide, send and store one claimed slot."""
        user, now = claim.user, self.clock()
        language = stored_language(user, self.default_language)
        prefs = prefs_of(user, language)
        if user.blocked:
            return await self._finish(claim, DeliveryOutcome("empty"), now)
        # the day this delivery counts for: its slot's own, unless it is a late catch-up
        counted = counts_for(prefs, now)
        if claim.unconfirmed:  # it may have arrived: never again; plan the next slot
            upcoming = next_slot(prefs, now, counted)
            outcome = DeliveryOutcome("unconfirmed", next_slot_at=upcoming)
            return await self._finish(claim, outcome, now)
        ready = out_of_quiet(prefs, now)
        # slots are planned outside quiet hours (schedule.slot_on); a late one (downtime, a
        # retry, a slot planned before the quiet hours changed) waits for their end
        if ready > now:
            return await self._finish(claim, DeliveryOutcome("deferred", next_slot_at=ready), now)
        state, facts = await learner_state(self.storage, user, language, now)
        assessed = state.assessed_at is not None
        assigned = bool(state.assignments)
        if not in_training(
            state.subscriptions, facts.has_cards, state.has_progress, assessed, assigned
        ):
            return await self._finish(claim, DeliveryOutcome("empty"), now)
        plan = plan_slot(self.catalog, state, now)
        t = translator(language)
        screen = slot_screen(t, self.catalog, language, plan, set(facts.completed))
        if screen is None:
            upcoming = next_slot(prefs, now, user.last_slot_at)
            return await self._finish(claim, DeliveryOutcome("empty", next_slot_at=upcoming), now)
        result = await self.sender.send_message(
            user.id,
            screen.text,
            reply_markup=screen.keyboard,
            # written ahead, at the moment the request goes out; False: taken over
            on_dispatch=lambda: self.storage.mark_delivery_sending(
                user.id, claim.slot_at, claim.claimed_at, self.clock()
            ),
        )
        if result.status is SendStatus.SKIPPED:  # another process has this slot now
            return DeliveryOutcome("skipped", kind=plan.kind)
        if result.status is SendStatus.BLOCKED:
            return await self._finish(claim, DeliveryOutcome("blocked", kind=plan.kind), now)
        if result.status is SendStatus.FAILED and result.refused:
            # the same message would be refused again (e.g. too long): not every 15 minutes
            # forever; the next slot comes as usual (the content check should prevent it)
            lessons = ", ".join(lesson_id for _, lesson_id in plan.lessons) or plan.kind
            log.error("Telegram refused the slot for user %s (%s): %s", user.id, lessons,
                      result.error)  # fmt: skip
            upcoming = next_slot(prefs, now, user.last_slot_at)
            refused = DeliveryOutcome("failed", kind=plan.kind, next_slot_at=upcoming)
            return await self._finish(claim, refused, now)
        if result.status is SendStatus.FAILED:
            retry = DeliveryOutcome("failed", kind=plan.kind, next_slot_at=now + RETRY_FAILED_AFTER)
            return await self._finish(claim, retry, now)
        outcome = DeliveryOutcome(
            "sent",
            kind=plan.kind,
            lessons=tuple(lesson_id for _, lesson_id in plan.lessons),
            finished_series=plan.finished,
            nudge=plan.is_nudge,
            next_slot_at=next_slot(prefs, now, counted),
            counted_at=counted,
            follow_up=plan.follow_up[0] if plan.follow_up else None,
            retake=plan.retake,
            reminded=plan.deadline.assignment_id if plan.deadline else None,
        )
        return await self._finish(claim, outcome, now)

    async def _finish(
        self, claim: Claim, outcome: DeliveryOutcome, now: datetime
    ) -> DeliveryOutcome:
        fresh = await self.storage.finish_delivery(claim.user.id, claim.slot_at, outcome, now)
        if fresh is not None and not fresh.blocked:
            # preferences changed while this slot was being sent (the learner's own settings
            # run beside the drain): the next slot just stored came from the old ones
            used = prefs_of(claim.user, stored_language(claim.user, self.default_language))
            language = stored_language(fresh, self.default_language)
            if prefs_of(fresh, language) != used:
                await reschedule(self.storage, fresh, language, now, force=True)
        return outcome

    def _add(self, stats: DrainStats) -> None:
        for name in DrainStats.__dataclass_fields__:
            if name == "by_kind":
                continue
            setattr(self.totals, name, getattr(self.totals, name) + getattr(stats, name))
        for kind, n in stats.by_kind.items():
            self.totals.by_kind[kind] = self.totals.by_kind.get(kind, 0) + n
