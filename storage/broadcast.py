"""Admins' broadcasts: drafts, audiences, recipients (claimed with leases), results."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.records import BROADCAST_FIELDS, RETRYABLE, Audience, Broadcast
from storage.driver import Driver, Row, offloaded, record

STOPPED = "the bot stopped during this send"  # the error noted on an unconfirmed recipient
CREATE = (
    "INSERT INTO broadcasts (admin_id, target, source_chat_id, source_message_id, status, "
    "created_at) VALUES (:admin, :target, :chat, :message, 'draft', :now) RETURNING *"
)
GET = "SELECT * FROM broadcasts WHERE id = :id"
LANGUAGE = (
    "COALESCE(u.language, CASE WHEN lower(substr(u.tg_language, 1, 2)) IN ('en', 'ru', 'uk') "
    "THEN lower(substr(u.tg_language, 1, 2)) ELSE :default END)"
)
SUBSCRIBED = (
    "EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id "
    "AND s.status IN ('active', 'paused') AND {series_in})"
)
CONFIRM = (
    "UPDATE broadcasts SET status = :status, run_at = :run_at WHERE id = :id "
    "AND status = 'draft' RETURNING *"
)
TO_CHANNEL = "INSERT INTO broadcast_recipients (broadcast_id, chat_id) VALUES (:id, :chat)"
TO_AUDIENCE = (
    "INSERT INTO broadcast_recipients (broadcast_id, chat_id) "
    "SELECT :id, u.id FROM users u WHERE {where}"
)
TOTAL = (
    "UPDATE broadcasts SET total = (SELECT COUNT(*) FROM broadcast_recipients "
    "WHERE broadcast_id = :id) WHERE id = :id RETURNING *"
)
SET_STATUS = (
    "UPDATE broadcasts SET status = :status, started_at = CASE WHEN :status = 'running' "
    "THEN COALESCE(started_at, :now) ELSE started_at END, finished_at = CASE WHEN :status "
    "IN ('done', 'cancelled') THEN :now ELSE finished_at END WHERE id = :id AND {expected_in} "
    "RETURNING id"
)
DUE_SCHEDULED = (
    "UPDATE broadcasts SET status = 'queued' WHERE status = 'scheduled' AND run_at <= :now"
)
NEXT = (
    "SELECT * FROM broadcasts WHERE status IN ('running', 'queued') "
    "ORDER BY status = 'running' DESC, id LIMIT 1"
)
PENDING = (
    "SELECT chat_id FROM broadcast_recipients WHERE broadcast_id = :id AND status = 'pending' "
    "AND chat_id > :after ORDER BY chat_id LIMIT :limit"
)
CLAIM = (
    "UPDATE broadcast_recipients SET owner = :owner, claimed_at = :now "
    "WHERE (broadcast_id, chat_id) IN (SELECT broadcast_id, chat_id FROM broadcast_recipients "
    "WHERE broadcast_id = :id AND status = 'pending' AND (owner IS NULL OR "
    "(owner IS DISTINCT FROM :owner AND claimed_at < :stale)) ORDER BY chat_id LIMIT :limit"
    "{skip_locked}) RETURNING chat_id"
)
RELEASE = (
    "UPDATE broadcast_recipients SET owner = NULL, claimed_at = NULL WHERE broadcast_id = :id "
    "AND owner = :owner AND status = 'pending' RETURNING chat_id"
)
OUTSTANDING = (
    "SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = :id "
    "AND status IN ('pending', 'sending')"
)
SENDING = (
    "UPDATE broadcast_recipients SET status = 'sending', claimed_at = :now WHERE "
    "broadcast_id = :id AND chat_id = :chat AND status = 'pending' AND owner = :owner "
    "RETURNING chat_id"
)
RESULT = (
    "UPDATE broadcast_recipients SET status = :status, error = :error, sent_at = :now "
    "WHERE broadcast_id = :id AND chat_id = :chat"
)
COUNTS = (
    "SELECT status, COUNT(*) AS n FROM broadcast_recipients WHERE broadcast_id = :id "
    "GROUP BY status"
)
RETRY = (
    "UPDATE broadcast_recipients SET status = 'pending', error = NULL, owner = NULL, "
    "claimed_at = NULL WHERE broadcast_id = :id AND status = :which RETURNING chat_id"
)
REQUEUE = (
    "UPDATE broadcasts SET status = 'queued', finished_at = NULL WHERE id = :id AND status = 'done'"
)
UNCONFIRM = (
    "UPDATE broadcast_recipients SET status = 'unconfirmed', error = :error WHERE "
    "status = 'sending' AND ({stale} IS NULL OR claimed_at IS NULL OR claimed_at < :stale) "
    "RETURNING chat_id"
)
HISTORY = "SELECT * FROM broadcasts WHERE status != 'draft' ORDER BY id DESC LIMIT :limit"


def broadcast_record(row: Row) -> Broadcast:
    return record(Broadcast, row, audience=Audience.from_json(row["audience"]))


class BroadcastStore:
    db: Driver

    async def create_broadcast(
        self, admin_id: int, target: str, source_chat_id: int, source_message_id: int,
        now: datetime,
    ) -> Broadcast:  # fmt: skip
        rows = await self.db.write(CREATE, admin=admin_id, target=target, chat=source_chat_id,
                                   message=source_message_id, now=now)  # fmt: skip
        return broadcast_record(rows[0])

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        row = await self.db.fetchrow(GET, id=broadcast_id)
        return broadcast_record(row) if row else None

    async def update_broadcast(self, broadcast_id: int, **fields: object) -> Broadcast | None:
        """Change draft details (names in BROADCAST_FIELDS; audience as an Audience)."""
        unknown = set(fields) - set(BROADCAST_FIELDS)
        if unknown:
            raise ValueError(f"not a broadcast field: {sorted(unknown)}")
        values = {k: v.to_json() if isinstance(v, Audience) else v for k, v in fields.items()}
        sets = ", ".join(f"{name} = :{name}" for name in values)
        sql = f"UPDATE broadcasts SET {sets} WHERE id = :id RETURNING *"
        rows = await self.db.write(sql, **values, id=broadcast_id)
        return broadcast_record(rows[0]) if rows else None

    def _audience(
        self, audience: Audience, now: datetime, default_language: str
    ) -> tuple[str, dict[str, Any]]:
        """The WHERE clause over ``users u`` that selects an audience, and its parameters:
        the same SQL counts it on the draft screen and fixes the recipients on confirm."""
        any_of = self.db.dialect.any
        where, params = ["NOT u.blocked"], {}
        if audience.languages:
            params.update(default=default_language, languages=list(audience.languages))
            where.append(any_of(LANGUAGE, "languages"))
        if audience.series:
            params["series"] = list(audience.series)
            where.append(SUBSCRIBED.format(series_in=any_of("s.series_id", "series")))
        if audience.idle_days:
            params["idle_before"] = now - timedelta(days=audience.idle_days)
            where.append("u.last_seen <= :idle_before")
        return " AND ".join(where), params

    @offloaded
    async def audience_size(self, audience: Audience, now: datetime, default_language: str) -> int:
        where, params = self._audience(audience, now, default_language)
        sql = f"SELECT COUNT(*) FROM users u WHERE {where}"
        return int(await self.db.fetchval(sql, **params) or 0)

    @offloaded
    async def confirm_broadcast(
        self,
        broadcast_id: int,
        run_at: datetime | None,
        now: datetime,
        default_language: str,
        channel_id: int | str | None = None,
    ) -> Broadcast | None:
        """Draft -> queued (or scheduled), the recipients fixed in the same transaction; None
        if it is no longer a draft (a double-pressed confirm sends once). A channel given as
        ``@username`` is kept as recipient 0 and resolved from the setting when sent."""
        status = "scheduled" if run_at else "queued"
        async with self.db.transaction() as tx:
            rows = await tx.write(CONFIRM, status=status, run_at=run_at, id=broadcast_id)
            if not rows:
                return None
            broadcast = broadcast_record(rows[0])
            if broadcast.target == "channel":
                chat = int(channel_id) if isinstance(channel_id, int) else 0
                await tx.write(TO_CHANNEL, id=broadcast_id, chat=chat)
            else:
                where, params = self._audience(broadcast.audience, now, default_language)
                await tx.write(TO_AUDIENCE.format(where=where), **params, id=broadcast_id)
            done = await tx.write(TOTAL, id=broadcast_id)
        return broadcast_record(done[0])

    async def set_broadcast_status(
        self, broadcast_id: int, status: str, expected: tuple[str, ...], now: datetime
    ) -> bool:
        """Compare-and-set the status; False if it was not one of ``expected``."""
        sql = SET_STATUS.format(expected_in=self.db.dialect.any("status", "expected"))
        rows = await self.db.write(sql, status=status, now=now, id=broadcast_id,
                                   expected=list(expected))  # fmt: skip
        return bool(rows)

    async def next_broadcast(self, now: datetime) -> Broadcast | None:
        """The broadcast to run now: a running one, else the oldest queued, else a due
        scheduled one (which becomes queued)."""
        await self.db.write(DUE_SCHEDULED, now=now)
        row = await self.db.fetchrow(NEXT)
        return broadcast_record(row) if row else None

    async def pending_recipients(
        self, broadcast_id: int, limit: int, after: int | None = None
    ) -> list[int]:
        """Pending recipients in chat-id order (``after``: only ids above it, a cursor)."""
        after = after if after is not None else -(2**63)
        rows = await self.db.fetch(PENDING, id=broadcast_id, after=after, limit=limit)
        return [row["chat_id"] for row in rows]

    async def claim_recipients(
        self, broadcast_id: int, owner: str, limit: int, now: datetime, stale_before: datetime
    ) -> list[int]:
        """Take up to ``limit`` pending recipients for ``owner`` (unclaimed, or claimed by
        another owner before ``stale_before``: a process that died); no two owners ever get
        the same one, and an owner never gets one it holds already."""
        sql = CLAIM.format(skip_locked=self.db.dialect.skip_locked)
        rows = await self.db.write(sql, owner=owner, now=now, id=broadcast_id,
                                   stale=stale_before, limit=limit)  # fmt: skip
        return sorted(row["chat_id"] for row in rows)

    async def release_recipients(self, broadcast_id: int, owner: str) -> int:
        """Give back the owner's claimed, not yet sent recipients (a graceful stop)."""
        return len(await self.db.write(RELEASE, id=broadcast_id, owner=owner))

    async def outstanding_recipients(self, broadcast_id: int) -> int:
        """Recipients still pending or being sent (by anyone)."""
        return int(await self.db.fetchval(OUTSTANDING, id=broadcast_id) or 0)

    async def mark_sending(
        self, broadcast_id: int, chat_id: int, owner: str, now: datetime
    ) -> bool:
        """The write-ahead step of one send: 'sending' (at ``now``) if still pending and
        claimed by ``owner``; False: another process took it over, it must not be sent."""
        rows = await self.db.write(SENDING, now=now, id=broadcast_id, chat=chat_id, owner=owner)
        return bool(rows)

    async def record_results(
        self, broadcast_id: int, results: list[tuple[int, str, str | None]], now: datetime
    ) -> None:
        """(chat id, status, error) for recipients whose send ended."""
        if results:
            rows = [{"status": status, "error": error, "now": now, "id": broadcast_id,
                     "chat": chat} for chat, status, error in results]  # fmt: skip
            await self.db.write_many(RESULT, rows)

    async def recipient_counts(self, broadcast_id: int) -> dict[str, int]:
        rows = await self.db.fetch(COUNTS, id=broadcast_id)
        return {row["status"]: int(row["n"]) for row in rows}

    @offloaded
    async def retry_failed(self, broadcast_id: int, which: str = "failed") -> int:
        """A finished broadcast's ``which`` recipients ("failed", or "unconfirmed": sends a
        dead process left in doubt — the admin accepts possible duplicates) become pending
        again, unclaimed, and the broadcast is queued; how many."""
        if which not in RETRYABLE:
            raise ValueError(f"cannot retry {which!r} recipients")
        async with self.db.transaction() as tx:
            rows = await tx.write(RETRY, id=broadcast_id, which=which)
            if rows:
                await tx.write(REQUEUE, id=broadcast_id)
        return len(rows)

    @offloaded
    async def mark_unconfirmed(self, stale_before: datetime | None = None) -> int:
        """Recipients left 'sending' by a dead process become 'unconfirmed' (never resent);
        only those claimed before ``stale_before`` (None: all)."""
        sql = UNCONFIRM.format(stale=self.db.dialect.typed("stale", "timestamptz"))
        return len(await self.db.write(sql, error=STOPPED, stale=stale_before))

    async def broadcasts(self, limit: int) -> list[tuple[Broadcast, dict[str, int]]]:
        rows = await self.db.fetch(HISTORY, limit=limit)
        return [(broadcast_record(row), await self.recipient_counts(row["id"])) for row in rows]
