"""The managers' weekly digest: the weekday chosen, and when each one is due (claimed once)."""

from __future__ import annotations

from datetime import datetime

from domain.records import User
from storage.driver import Driver
from storage.users import user_record

SET_DAY = "UPDATE users SET digest_day = :day, next_digest_at = :next WHERE id = :u"
DUE = (
    "SELECT * FROM users WHERE next_digest_at IS NOT NULL AND next_digest_at <= :now "
    "ORDER BY next_digest_at LIMIT :limit"
)
# compare-and-set: of two processes that found the same digest due, one moves it on
ADVANCE = (
    "UPDATE users SET next_digest_at = :next WHERE id = :u AND next_digest_at = :old RETURNING id"
)


class DigestStore:
    db: Driver

    async def set_digest(self, user_id: int, day: int | None, next_at: datetime | None) -> None:
        """The weekday of a manager's digest (None: no digest) and when the next one is due."""
        await self.db.write(SET_DAY, day=day, next=next_at, u=user_id)

    async def due_digests(self, now: datetime, limit: int = 50) -> list[User]:
        """Managers whose digest is due, longest waiting first."""
        return [user_record(row) for row in await self.db.fetch(DUE, now=now, limit=limit)]

    async def claim_digest(self, user_id: int, due: datetime, next_at: datetime | None) -> bool:
        """Take the digest due at ``due`` (moving it on to ``next_at``); False: another
        process took it, or it changed meanwhile. A digest is sent at most once."""
        return bool(await self.db.write(ADVANCE, next=next_at, u=user_id, old=due))
