"""Attribution: tracked start payloads (a post's buttons, named links, channel invite links),
who started the bot through which (the first source kept, later ones counted), and who
joined the channel through which invite link."""

from __future__ import annotations

from datetime import datetime

from domain.records import TrackedLink
from storage.driver import Driver, record

CREATE_LINK = (
    "INSERT INTO tracked_links (code, kind, name, post_id, target, channel, invite_link, "
    "created_by, created_at) VALUES (:code, :kind, :name, :post, :target, :channel, :invite, "
    ":by, :now) RETURNING *"
)
LINK = "SELECT * FROM tracked_links WHERE code = :code"
LINK_BY_INVITE = "SELECT * FROM tracked_links WHERE invite_link = :invite"
LINKS_OF_POST = "SELECT * FROM tracked_links WHERE post_id = :post ORDER BY created_at, code"
HAS_FIRST = "SELECT 1 AS yes FROM arrivals WHERE user_id = :u AND first{for_update}"
ARRIVE = (
    "INSERT INTO arrivals (user_id, code, first, arrived_at) VALUES (:u, :code, :first, :now) "
    "ON CONFLICT (user_id, code) DO UPDATE SET times = arrivals.times + 1 RETURNING first"
)
JOIN = (
    "INSERT INTO channel_joins (channel, user_id, code, joined_at, via) "
    "VALUES (:channel, :u, :code, :now, :via) ON CONFLICT (channel, user_id) DO UPDATE SET "
    "code = COALESCE(excluded.code, channel_joins.code), joined_at = excluded.joined_at, "
    "left_at = NULL, via = excluded.via"
)
LEFT = (
    "UPDATE channel_joins SET left_at = :now WHERE channel = :channel AND user_id = :u "
    "AND left_at IS NULL"
)
LOCK_USER = "SELECT 1 AS locked FROM users WHERE id = :u{for_update}"


class AttributionStore:
    db: Driver

    async def create_tracked_link(
        self,
        code: str,
        kind: str,
        name: str,
        now: datetime,
        *,
        post_id: int | None = None,
        target: str | None = None,
        channel: str | None = None,
        invite_link: str | None = None,
        created_by: int | None = None,
    ) -> TrackedLink:
        """A new tracked payload ``c_<code>`` (the code is the caller's: unique, short)."""
        rows = await self.db.write(CREATE_LINK, code=code, kind=kind, name=name, post=post_id,
                                   target=target, channel=channel, invite=invite_link,
                                   by=created_by, now=now)  # fmt: skip
        return record(TrackedLink, rows[0])

    async def tracked_link(self, code: str) -> TrackedLink | None:
        row = await self.db.fetchrow(LINK, code=code)
        return None if row is None else record(TrackedLink, row)

    async def tracked_invite(self, invite_link: str) -> TrackedLink | None:
        """The named invite link a channel member joined through, if it is one of ours."""
        row = await self.db.fetchrow(LINK_BY_INVITE, invite=invite_link)
        return None if row is None else record(TrackedLink, row)

    async def post_links(self, post_id: int) -> list[TrackedLink]:
        return [
            record(TrackedLink, row) for row in await self.db.fetch(LINKS_OF_POST, post=post_id)
        ]

    async def record_arrival(self, user_id: int, code: str, now: datetime) -> bool:
        """A start through ``code``: the learner's first source if they have none yet (a
        later one through the same code is counted). True when this was the first source."""
        for_update = self.db.dialect.for_update
        async with self.db.transaction() as tx:
            await tx.fetch(LOCK_USER.format(for_update=for_update), u=user_id)
            has_first = await tx.fetchrow(HAS_FIRST.format(for_update=for_update), u=user_id)
            rows = await tx.write(ARRIVE, u=user_id, code=code, first=has_first is None, now=now)
        return bool(rows and rows[0]["first"]) and has_first is None

    async def record_channel_join(
        self, channel: str, user_id: int, code: str | None, via: str, now: datetime
    ) -> None:
        """Someone joined ``channel`` (through our invite link ``code``, or a join request)."""
        await self.db.write(JOIN, channel=channel, u=user_id, code=code, via=via, now=now)

    async def record_channel_left(self, channel: str, user_id: int, now: datetime) -> None:
        await self.db.write(LEFT, channel=channel, u=user_id, now=now)
