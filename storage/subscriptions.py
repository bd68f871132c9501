"""Series subscriptions: subscribe, pause, resume, finish, unsubscribe."""

from __future__ import annotations

from datetime import datetime

from domain.records import SubscriptionRow
from storage.driver import Driver, record

OF_USER = "SELECT * FROM subscriptions WHERE user_id = :u ORDER BY subscribed_at, series_id"
UNSUBSCRIBE = "DELETE FROM subscriptions WHERE user_id = :u AND series_id = :s"
NOTE_UNSUBSCRIBE = "UPDATE users SET unsubscribed_at = :now WHERE id = :u"
# Re-subscribing to a finished or paused series makes it active again; the first
# subscription time is kept (it orders several series in one drip).
SET = (
    "INSERT INTO subscriptions (user_id, series_id, status, subscribed_at, changed_at) "
    "VALUES (:u, :s, :status, :now, :now) ON CONFLICT (user_id, series_id) DO UPDATE SET "
    "status = excluded.status, changed_at = excluded.changed_at"
)


class SubscriptionStore:
    db: Driver

    async def subscriptions(self, user_id: int) -> list[SubscriptionRow]:
        """The user's subscriptions, oldest first."""
        return [record(SubscriptionRow, row) for row in await self.db.fetch(OF_USER, u=user_id)]

    async def set_subscription(
        self, user_id: int, series_id: str, status: str | None, now: datetime
    ) -> None:
        """Subscribe (status 'active'), pause, resume, finish; None unsubscribes (and notes
        when, in ``users.unsubscribed_at``)."""
        if status is None:
            async with self.db.transaction() as tx:
                await tx.write(UNSUBSCRIBE, u=user_id, s=series_id)
                await tx.write(NOTE_UNSUBSCRIBE, now=now, u=user_id)
            return
        await self.db.write(SET, u=user_id, s=series_id, status=status, now=now)
