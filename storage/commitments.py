"""Commitments: a lesson's week's action taken on, followed up in the daily slot."""

from __future__ import annotations

from datetime import datetime

from domain.records import Commitment
from storage.driver import Driver, record

OPEN_FOR_LESSON = (
    "SELECT * FROM commitments WHERE user_id = :u AND lesson_id = :lesson "
    "AND status IN ('open', 'later') ORDER BY id DESC LIMIT 1"
)
MAKE = (
    "INSERT INTO commitments (user_id, lesson_id, made_at, status, follow_up_at) "
    "VALUES (:u, :lesson, :now, :status, :follow_up) RETURNING *"
)
GET = "SELECT * FROM commitments WHERE id = :id AND user_id = :u"
OF_USER = (
    "SELECT * FROM commitments WHERE user_id = :u AND status <> 'declined' "
    "ORDER BY made_at DESC, id DESC"
)
DUE = (
    "SELECT * FROM commitments WHERE user_id = :u AND follow_up_at IS NOT NULL "
    "AND follow_up_at <= :now ORDER BY follow_up_at, id LIMIT 1"
)
ASKED = (
    "UPDATE commitments SET asked = asked + 1, follow_up_at = NULL "
    "WHERE id = :id AND follow_up_at IS NOT NULL RETURNING *"
)
ANSWER = (
    "UPDATE commitments SET status = :status, follow_up_at = :follow_up, answered_at = :now "
    "WHERE id = :id AND user_id = :u AND status IN ('open', 'later') RETURNING *"
)
NOTE = (
    "UPDATE commitments SET note = :note WHERE id = :id AND user_id = :u "
    "AND status IN ('done', 'failed', 'not_yet', 'later') RETURNING *"
)


class CommitmentStore:
    db: Driver

    async def commit(
        self,
        user_id: int,
        lesson_id: str,
        status: str,
        follow_up_at: datetime | None,
        now: datetime,
    ) -> tuple[Commitment, bool]:
        """Take on (``open``) or decline a lesson's action; an open commitment to the same
        lesson is kept as it is (a second tap, a retake). Returns it and whether it is new."""
        async with self.db.transaction() as tx:
            row = await tx.fetchrow(OPEN_FOR_LESSON, u=user_id, lesson=lesson_id)
            if row is not None:
                return record(Commitment, row), False
            rows = await tx.write(MAKE, u=user_id, lesson=lesson_id, now=now, status=status,
                                  follow_up=follow_up_at)  # fmt: skip
        return record(Commitment, rows[0]), True

    async def commitment(self, commitment_id: int, user_id: int) -> Commitment | None:
        """One of the user's commitments (None for someone else's or an unknown id)."""
        row = await self.db.fetchrow(GET, id=commitment_id, u=user_id)
        return None if row is None else record(Commitment, row)

    async def commitments(self, user_id: int) -> list[Commitment]:
        """The user's commitments (not the declined), newest first: the journal."""
        return [record(Commitment, row) for row in await self.db.fetch(OF_USER, u=user_id)]

    async def follow_up_due(self, user_id: int, now: datetime) -> Commitment | None:
        """The commitment whose follow-up is due longest, if any."""
        row = await self.db.fetchrow(DUE, u=user_id, now=now)
        return None if row is None else record(Commitment, row)

    async def mark_asked(self, commitment_id: int) -> Commitment | None:
        """A follow-up went out: counted, and not due again unless the answer is "not yet"."""
        rows = await self.db.write(ASKED, id=commitment_id)
        return record(Commitment, rows[0]) if rows else None

    async def answer_commitment(
        self,
        commitment_id: int,
        user_id: int,
        status: str,
        follow_up_at: datetime | None,
        now: datetime,
    ) -> Commitment | None:
        """The learner's answer to "did you try it?"; None when it was answered already."""
        rows = await self.db.write(ANSWER, id=commitment_id, u=user_id, status=status,
                                   follow_up=follow_up_at, now=now)  # fmt: skip
        return record(Commitment, rows[0]) if rows else None

    async def note_commitment(
        self, commitment_id: int, user_id: int, note: str
    ) -> Commitment | None:
        """ "What happened", as written, on an answered commitment."""
        rows = await self.db.write(NOTE, id=commitment_id, u=user_id, note=note)
        return record(Commitment, rows[0]) if rows else None
