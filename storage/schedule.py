"""The daily slot: claiming due learners, the facts a slot is decided on, the outcome, crash
recovery; and the days with activity (streaks)."""

from __future__ import annotations

from datetime import date, datetime

from domain.records import (
    Claim,
    Commitment,
    DeliveryOutcome,
    MemberAssignment,
    SubscriptionRow,
    TrainingFacts,
    User,
)
from storage.assignments import MINE as ASSIGNMENTS
from storage.assignments import REMINDED
from storage.commitments import ASKED
from storage.commitments import DUE as FOLLOW_UP_DUE
from storage.driver import Driver, offloaded, record
from storage.subscriptions import OF_USER
from storage.users import user_record

DUE = (
    "SELECT * FROM users WHERE next_slot_at IS NOT NULL AND next_slot_at <= :now "
    "ORDER BY next_slot_at LIMIT :limit{skip_locked}"
)
CLAIM = (
    "INSERT INTO deliveries (user_id, slot_at, status, claimed_at) "
    "VALUES (:u, :slot, 'pending', :now) ON CONFLICT DO NOTHING"
)
CLEAR_SLOTS = "UPDATE users SET next_slot_at = NULL WHERE {id_in}"
# slots a dead process was sending (made due again by recover_pending)
UNCONFIRMED = (
    "SELECT user_id, slot_at FROM deliveries WHERE status = 'unconfirmed' "
    "AND finished_at IS NULL AND {user_in}"
)
LESSONS = (
    "SELECT lesson_id, completed_at IS NOT NULL AS done FROM lesson_progress WHERE user_id = :u"
)
CARDS = (
    "SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE due_at <= :now) AS due "
    "FROM review_cards WHERE user_id = :u"
)
LATEST_ASSESSMENT = (
    "SELECT id, finished_at, retake_offered_at FROM assessments WHERE user_id = :u "
    "AND scope IS NULL AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
)
RETAKE_OFFERED = "UPDATE assessments SET retake_offered_at = :now WHERE id = :id"
FINISH = (
    "UPDATE deliveries SET status = :status, kind = :kind, lessons = :lessons, "
    "finished_at = :now WHERE user_id = :u AND slot_at = :slot"
)
OPENED = (
    "INSERT INTO lesson_progress (user_id, lesson_id, opened_at) VALUES (:u, :lesson, :now) "
    "ON CONFLICT DO NOTHING"
)
SERIES_DONE = (
    "UPDATE subscriptions SET status = 'finished', changed_at = :now "
    "WHERE user_id = :u AND series_id = :s AND status = 'active'"
)
NEXT = (
    "UPDATE users SET next_slot_at = CASE WHEN blocked THEN NULL ELSE {next} END, "
    "last_slot_at = CASE WHEN :delivered THEN {counted} ELSE last_slot_at END, "
    "last_nudge_at = CASE WHEN :nudge THEN {now} ELSE last_nudge_at END, "
    "ignored_nudges = ignored_nudges + :nudges WHERE id = :u RETURNING *"
)
NEXT_TIMES = ("next", "counted", "now")  # typed: PostgreSQL cannot infer them inside CASE
SENDING = (
    "UPDATE deliveries SET status = 'sending', claimed_at = :now WHERE user_id = :u "
    "AND slot_at = :slot AND status = 'pending' AND claimed_at = :claimed RETURNING user_id"
)
STALE = (
    "SELECT user_id AS u, slot_at AS slot, status FROM deliveries WHERE finished_at IS NULL "
    "AND status IN ('pending', 'sending') AND ({stale} IS NULL OR claimed_at < :stale)"
    "{skip_locked}"
)
DROP_PENDING = (
    "DELETE FROM deliveries WHERE user_id = :u AND slot_at = :slot AND status = 'pending'"
)
UNCONFIRM = (
    "UPDATE deliveries SET status = 'unconfirmed' WHERE user_id = :u AND slot_at = :slot "
    "AND status = 'sending'"
)
DUE_AGAIN = (
    "UPDATE users SET next_slot_at = :slot WHERE id = :u AND NOT blocked AND next_slot_at IS NULL"
)
COUNT_DUE = "SELECT COUNT(*) FROM users WHERE next_slot_at IS NOT NULL AND next_slot_at <= :now"
ADD_DAY = "INSERT INTO activity_days (user_id, day) VALUES (:u, :day) ON CONFLICT DO NOTHING"
DAYS = "SELECT day FROM activity_days WHERE user_id = :u ORDER BY day"
_REMEMBERED_DAYS = 100_000


class ScheduleStore:
    db: Driver
    _days: dict[int, date]  # last activity day written, per user (this process)

    @offloaded
    async def claim_due(self, now: datetime, limit: int) -> list[Claim]:
        """Take up to ``limit`` users whose slot is due, oldest slot first: a pending delivery
        per (user, slot) and their next slot cleared, atomically — a slot is claimed once,
        even by several processes."""
        dialect = self.db.dialect
        async with self.db.transaction() as tx:
            due = DUE.format(skip_locked=dialect.skip_locked)
            rows = await tx.fetch(due, now=now, limit=limit)
            if not rows:
                return []
            ids = [row["id"] for row in rows]
            claims = [{"u": row["id"], "slot": row["next_slot_at"], "now": now} for row in rows]
            await tx.write_many(CLAIM, claims)
            await tx.write(CLEAR_SLOTS.format(id_in=dialect.any("id", "ids")), ids=ids)
            sql = UNCONFIRMED.format(user_in=dialect.any("user_id", "ids"))
            unconfirmed = {(r["user_id"], r["slot_at"]) for r in await tx.fetch(sql, ids=ids)}
        return [
            Claim(
                user_record(row),
                row["next_slot_at"],
                claimed_at=now,
                unconfirmed=(row["id"], row["next_slot_at"]) in unconfirmed,
            )
            for row in rows
        ]

    async def training_facts(self, user_id: int, now: datetime) -> TrainingFacts:
        """What a slot decision reads besides the user row."""
        subs = await self.db.fetch(OF_USER, u=user_id)
        lessons = await self.db.fetch(LESSONS, u=user_id)
        cards = await self.db.fetchrow(CARDS, now=now, u=user_id)
        follow_up = await self.db.fetchrow(FOLLOW_UP_DUE, u=user_id, now=now)
        assessed = await self.db.fetchrow(LATEST_ASSESSMENT, u=user_id)
        assigned = await self.db.fetch(ASSIGNMENTS, u=user_id)
        return TrainingFacts(
            subscriptions=tuple(record(SubscriptionRow, row) for row in subs),
            opened=frozenset(row["lesson_id"] for row in lessons),
            completed=frozenset(row["lesson_id"] for row in lessons if row["done"]),
            reviews_due=int(cards["due"]) if cards else 0,
            has_cards=bool(cards and cards["n"]),
            follow_up=record(Commitment, follow_up) if follow_up else None,
            assessed_at=assessed["finished_at"] if assessed else None,
            retake_offered=bool(assessed and assessed["retake_offered_at"]),
            assessment_id=assessed["id"] if assessed else None,
            assignments=tuple(record(MemberAssignment, row) for row in assigned),
        )

    async def finish_delivery(
        self, user_id: int, slot_at: datetime, outcome: DeliveryOutcome, now: datetime
    ) -> User | None:
        """Store a claimed slot's outcome and the next slot, in one transaction; the user as
        it is now (None: gone), so a change of preferences made meanwhile can be seen."""
        sent, o = outcome.status == "sent", outcome
        nudge = sent and o.nudge
        times = {name: self.db.dialect.typed(name, "timestamptz") for name in NEXT_TIMES}
        async with self.db.transaction() as tx:
            lessons = ",".join(o.lessons)
            await tx.write(FINISH, status=o.status, kind=o.kind, lessons=lessons, now=now,
                           u=user_id, slot=slot_at)  # fmt: skip
            if sent and o.lessons:
                opened = [{"u": user_id, "lesson": lesson, "now": now} for lesson in o.lessons]
                await tx.write_many(OPENED, opened)
            if sent and o.finished_series:
                done = [{"now": now, "u": user_id, "s": s} for s in o.finished_series]
                await tx.write_many(SERIES_DONE, done)
            if sent and o.follow_up is not None:
                await tx.write(ASKED, id=o.follow_up)
            if sent and o.retake is not None:
                await tx.write(RETAKE_OFFERED, id=o.retake, now=now)
            if sent and o.reminded is not None:
                await tx.write(REMINDED, a=o.reminded, u=user_id, now=now)
            rows = await tx.write(NEXT.format(**times), next=o.next_slot_at, delivered=sent,
                                  counted=o.counted_at or now, nudge=nudge, now=now,
                                  nudges=int(nudge), u=user_id)  # fmt: skip
        return user_record(rows[0]) if rows else None

    async def mark_delivery_sending(
        self, user_id: int, slot_at: datetime, claimed_at: datetime, now: datetime
    ) -> bool:
        """The write-ahead step of a drip: the claim becomes 'sending' (at ``now``) if it is
        still the claim made at ``claimed_at``; False: it was taken over, do not send."""
        rows = await self.db.write(SENDING, now=now, u=user_id, slot=slot_at, claimed=claimed_at)
        return bool(rows)

    @offloaded
    async def recover_pending(self, now: datetime, stale_before: datetime | None = None) -> int:
        """Claims left by a dead process (how many): 'pending' ones are deleted and their slot
        is due again; 'sending' ones become 'unconfirmed' and their slot is due again, so the
        engine plans the next one without resending this one. Only claims made before
        ``stale_before`` (None: all — one process at start-up)."""
        sql = STALE.format(
            stale=self.db.dialect.typed("stale", "timestamptz"),
            skip_locked=self.db.dialect.skip_locked,
        )
        async with self.db.transaction() as tx:
            rows = await tx.fetch(sql, stale=stale_before)
            pending = [{"u": r["u"], "slot": r["slot"]} for r in rows if r["status"] == "pending"]
            sending = [{"u": r["u"], "slot": r["slot"]} for r in rows if r["status"] == "sending"]
            await tx.write_many(DROP_PENDING, pending)
            await tx.write_many(UNCONFIRM, sending)
            await tx.write_many(DUE_AGAIN, pending + sending)
        return len(rows)

    @offloaded
    async def count_due(self, now: datetime) -> int:
        """How many users' slots are due (the backlog gauge, benchmarks)."""
        return int(await self.db.fetchval(COUNT_DUE, now=now) or 0)

    # Activity (streaks) ------------------------------------------------------------------
    async def add_activity(self, user_id: int, day: date) -> None:
        """Note a day (the learner's local date) with a lesson, quiz answer or review."""
        if self._days.get(user_id) == day:  # written already today by this process
            return
        if len(self._days) > _REMEMBERED_DAYS:
            self._days.clear()
        await self.db.write(ADD_DAY, u=user_id, day=day)
        self._days[user_id] = day

    async def activity_days(self, user_id: int) -> list[date]:
        return [row["day"] for row in await self.db.fetch(DAYS, u=user_id)]
