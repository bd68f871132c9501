"""The channel's posting calendar: planned posts, claimed with leases, sent once.

A post is ``planned`` until a process claims it (``owner``, ``claimed_at``: a lease; on
PostgreSQL ``FOR UPDATE SKIP LOCKED``), becomes ``sending`` just before its Bot API call (only
while it is still this owner's, still planned and due: a move or a cancel in between wins),
and ends ``sent`` (with the message and poll ids), ``failed`` (Telegram refused it: never
retried on its own) or, when a process died during the call, ``unconfirmed`` (never resent on
its own). Moving and cancelling act only on planned posts. A post's tracked button (a
``tracked_links`` row, kind 'post') is created in the same transaction as the post.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.records import ChannelPost
from storage.attribution import CREATE_LINK
from storage.driver import Driver, record

CREATE = (
    "INSERT INTO channel_posts (channel, language, kind, lesson_id, series_id, question, "
    "source_chat_id, source_message_id, run_at, status, created_by, created_at) VALUES "
    "(:channel, :language, :kind, :lesson, :series, :question, :source_chat, :source_message, "
    ":run_at, 'planned', :by, :now) RETURNING *"
)
# the same post already planned for the same moment (a double press plans it once)
SAME = (
    "SELECT * FROM channel_posts WHERE channel = :channel AND kind = :kind "
    "AND run_at = :run_at AND status IN ('planned', 'sending', 'sent') "
    "AND lesson_id IS NOT DISTINCT FROM :lesson AND series_id IS NOT DISTINCT FROM :series "
    "AND question IS NOT DISTINCT FROM :question "
    "AND source_message_id IS NOT DISTINCT FROM :source_message ORDER BY id LIMIT 1"
)
GET = "SELECT * FROM channel_posts WHERE id = :id"
UPCOMING = (
    "SELECT * FROM channel_posts WHERE status IN ('planned', 'sending') "
    "ORDER BY run_at, id LIMIT :limit OFFSET :offset"
)
COUNT_UPCOMING = "SELECT COUNT(*) FROM channel_posts WHERE status IN ('planned', 'sending')"
RECENT = (
    "SELECT * FROM channel_posts WHERE status IN ('sent', 'failed', 'unconfirmed') "
    "ORDER BY run_at DESC, id DESC LIMIT :limit"
)
MOVE = (
    "UPDATE channel_posts SET run_at = :run_at, owner = NULL, claimed_at = NULL "
    "WHERE id = :id AND status = 'planned' RETURNING *"
)
CANCEL = (
    "UPDATE channel_posts SET status = 'cancelled', owner = NULL, claimed_at = NULL "
    "WHERE id = :id AND status = 'planned' RETURNING *"
)
RESEND = (
    "UPDATE channel_posts SET status = 'planned', run_at = :run_at, owner = NULL, "
    "claimed_at = NULL, error = NULL WHERE id = :id AND status IN ('failed', 'unconfirmed') "
    "RETURNING *"
)
CLAIM = (
    "UPDATE channel_posts SET owner = :owner, claimed_at = :now WHERE id IN (SELECT id FROM "
    "channel_posts WHERE status = 'planned' AND run_at <= :now AND (owner IS NULL OR "
    "claimed_at < :stale) ORDER BY run_at, id LIMIT :limit{skip_locked}) RETURNING *"
)
RELEASE = (
    "UPDATE channel_posts SET owner = NULL, claimed_at = NULL WHERE owner = :owner "
    "AND status = 'planned' RETURNING id"
)
SENDING = (
    "UPDATE channel_posts SET status = 'sending', claimed_at = :now WHERE id = :id "
    "AND status = 'planned' AND owner = :owner AND run_at <= :now RETURNING id"
)
FINISH = (
    "UPDATE channel_posts SET status = :status, sent_at = :sent_at, message_id = :message, "
    "poll_id = :poll, error = :error WHERE id = :id AND status = 'sending' RETURNING id"
)
FAIL_CLAIMED = (
    "UPDATE channel_posts SET status = 'failed', error = :error WHERE id = :id "
    "AND status = 'planned' AND owner = :owner RETURNING id"
)
UNCONFIRM = (
    "UPDATE channel_posts SET status = 'unconfirmed', error = :error WHERE status = 'sending' "
    "AND ({stale} IS NULL OR claimed_at IS NULL OR claimed_at < :stale) RETURNING *"
)
POLL_OF = "SELECT id, poll_counts, poll_closed FROM channel_posts WHERE poll_id = :poll{for_update}"
SET_POLL = "UPDATE channel_posts SET poll_counts = :counts, poll_closed = :closed WHERE id = :id"
SET_REACTIONS = (
    "UPDATE channel_posts SET reactions = :reactions WHERE message_id = :message "
    "AND (channel = :chat OR lower(channel) = lower(:username)) RETURNING id"
)


@dataclass(frozen=True)
class NewPost:
    """A post to plan: where, what and when; ``link_code`` (with its name and target) is the
    tracked start payload of its button, if it has one."""

    channel: str
    language: str
    kind: str
    run_at: datetime
    lesson_id: str | None = None
    series_id: str | None = None
    question: int | None = None
    source_chat_id: int | None = None
    source_message_id: int | None = None
    link_code: str | None = None
    link_name: str | None = None
    link_target: str | None = None


def post_record(row: Mapping) -> ChannelPost:
    return record(ChannelPost, row)


class ChannelStore:
    db: Driver

    async def plan_channel_posts(
        self, posts: Sequence[NewPost], created_by: int, now: datetime
    ) -> list[tuple[ChannelPost, bool]]:
        """Plan every post (with its tracked link) in one transaction; each with True when it
        is new, False when the same post was planned for the same moment already (then
        nothing is added for it)."""
        done: list[tuple[ChannelPost, bool]] = []
        async with self.db.transaction() as tx:
            for post in posts:
                same = dict(
                    channel=post.channel,
                    kind=post.kind,
                    run_at=post.run_at,
                    lesson=post.lesson_id,
                    series=post.series_id,
                    question=post.question,
                    source_message=post.source_message_id,
                )
                existing = await tx.fetchrow(SAME, **same)
                if existing is not None:
                    done.append((post_record(existing), False))
                    continue
                rows = await tx.write(
                    CREATE,
                    **same,
                    language=post.language,
                    source_chat=post.source_chat_id,
                    by=created_by,
                    now=now,
                )
                planned = post_record(rows[0])
                if post.link_code is not None:
                    await tx.write(
                        CREATE_LINK,
                        code=post.link_code,
                        kind="post",
                        name=post.link_name or post.link_code,
                        post=planned.id,
                        target=post.link_target,
                        channel=None,
                        invite=None,
                        by=created_by,
                        now=now,
                    )
                done.append((planned, True))
        return done

    async def channel_post(self, post_id: int) -> ChannelPost | None:
        row = await self.db.fetchrow(GET, id=post_id)
        return None if row is None else post_record(row)

    async def upcoming_channel_posts(self, limit: int, offset: int = 0) -> list[ChannelPost]:
        """Planned posts (and any being sent), soonest first."""
        rows = await self.db.fetch(UPCOMING, limit=limit, offset=offset)
        return [post_record(row) for row in rows]

    async def count_upcoming_channel_posts(self) -> int:
        return int(await self.db.fetchval(COUNT_UPCOMING) or 0)

    async def recent_channel_posts(self, limit: int) -> list[ChannelPost]:
        """Posts that went out, or were meant to (sent, failed, unconfirmed), latest first."""
        return [post_record(row) for row in await self.db.fetch(RECENT, limit=limit)]

    async def move_channel_post(self, post_id: int, run_at: datetime) -> ChannelPost | None:
        """Another time for a planned post (a claim on it is dropped: the claimant's
        write-ahead mark then fails, and it is not sent); None if it is not planned."""
        rows = await self.db.write(MOVE, id=post_id, run_at=run_at)
        return post_record(rows[0]) if rows else None

    async def cancel_channel_post(self, post_id: int) -> ChannelPost | None:
        """A planned post is cancelled; None if it is not planned (sent, being sent...)."""
        rows = await self.db.write(CANCEL, id=post_id)
        return post_record(rows[0]) if rows else None

    async def resend_channel_post(self, post_id: int, run_at: datetime) -> ChannelPost | None:
        """A failed or unconfirmed post planned again (the admin's choice); None otherwise."""
        rows = await self.db.write(RESEND, id=post_id, run_at=run_at)
        return post_record(rows[0]) if rows else None

    async def claim_channel_posts(
        self, owner: str, now: datetime, stale_before: datetime, limit: int
    ) -> list[ChannelPost]:
        """Take up to ``limit`` due planned posts for ``owner``: unclaimed ones, and those
        whose claim is older than ``stale_before`` (a process that died). No two owners get
        the same post at once."""
        sql = CLAIM.format(skip_locked=self.db.dialect.skip_locked)
        rows = await self.db.write(sql, owner=owner, now=now, stale=stale_before, limit=limit)
        return sorted((post_record(row) for row in rows), key=lambda p: (p.run_at, p.id))

    async def release_channel_posts(self, owner: str) -> int:
        """Give back the owner's claimed posts that were not sent."""
        return len(await self.db.write(RELEASE, owner=owner))

    async def mark_channel_post_sending(self, post_id: int, owner: str, now: datetime) -> bool:
        """The write-ahead step: 'sending' if the post is still planned, due and claimed by
        ``owner``; False: moved, cancelled or taken over — it must not be sent."""
        return bool(await self.db.write(SENDING, id=post_id, owner=owner, now=now))

    async def finish_channel_post(
        self,
        post_id: int,
        status: str,
        now: datetime,
        *,
        message_id: int | None = None,
        poll_id: str | None = None,
        error: str | None = None,
    ) -> bool:
        """The outcome of a send: 'sent' (message and poll ids), 'failed' or 'unconfirmed'
        (with the error)."""
        rows = await self.db.write(
            FINISH,
            id=post_id,
            status=status,
            message=message_id,
            poll=poll_id,
            error=error,
            sent_at=now if status == "sent" else None,
        )
        return bool(rows)

    async def fail_channel_post(self, post_id: int, owner: str, error: str) -> bool:
        """A claimed post that cannot be made (its lesson left the content): failed, unsent."""
        return bool(await self.db.write(FAIL_CLAIMED, id=post_id, owner=owner, error=error))

    async def unconfirm_channel_posts(
        self, stale_before: datetime | None, error: str
    ) -> list[ChannelPost]:
        """Posts left 'sending' by a dead process become 'unconfirmed' (never resent on their
        own): those marked before ``stale_before`` (None: all, one process at start-up)."""
        sql = UNCONFIRM.format(stale=self.db.dialect.typed("stale", "timestamptz"))
        rows = await self.db.write(sql, stale=stale_before, error=error)
        return [post_record(row) for row in rows]

    async def record_channel_poll(self, poll_id: str, counts: Sequence[int], closed: bool) -> bool:
        """A channel quiz poll as it stands (voters per option). Updates may arrive out of
        order: counts that add up to fewer voters than stored are older and kept out (a
        quiz vote cannot be taken back); a closed poll stays closed. False: not our poll."""
        total = sum(counts)
        async with self.db.transaction() as tx:
            sql = POLL_OF.format(for_update=self.db.dialect.for_update)
            row = await tx.fetchrow(sql, poll=poll_id)
            if row is None:
                return False
            stored = json.loads(row["poll_counts"]) if row["poll_counts"] else []
            was_closed = bool(row["poll_closed"])
            if was_closed and not closed:
                return True  # an older update than the closing one
            if not closed and total < sum(stored):
                return True
            await tx.write(
                SET_POLL, id=row["id"], counts=json.dumps(list(counts)), closed=closed or was_closed
            )
        return True

    async def record_channel_reactions(
        self, chat_id: int, username: str | None, message_id: int, reactions: Mapping[str, int]
    ) -> bool:
        """The reactions to one of our channel posts, as Telegram counts them now (emoji ->
        count). The channel is matched by its id or its @username, as configured. False: not
        one of our posts."""
        rows = await self.db.write(
            SET_REACTIONS,
            reactions=json.dumps(dict(reactions), ensure_ascii=False, sort_keys=True),
            message=message_id,
            chat=str(chat_id),
            username=f"@{username}" if username else None,
        )
        return bool(rows)
