"""Attribution: tracked start payloads (a post's buttons, named links, channel invite links),
who started the bot through which (the first source kept, later ones counted), and who
joined the channel through which invite link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.records import ChannelPost, TrackedLink
from storage.driver import Driver, offloaded, record

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

# The funnel report (admins): counts only, never who.
# Each link with what came through it: learners whose FIRST source it is, learners who came
# through it at all, starts in all (every time); for an invite link, the channel joins through
# it, those who left since, and those joiners who started the bot (have a learner's record).
LINK_TALLIES = (
    "SELECT l.*, COALESCE(a.firsts, 0) AS firsts, COALESCE(a.learners, 0) AS learners, "
    "COALESCE(a.starts, 0) AS starts, COALESCE(j.joins, 0) AS joins, "
    "COALESCE(j.gone, 0) AS gone, COALESCE(j.started, 0) AS started "
    "FROM tracked_links l "
    "LEFT JOIN (SELECT code, COUNT(*) FILTER (WHERE first) AS firsts, COUNT(*) AS learners, "
    "SUM(times) AS starts FROM arrivals GROUP BY code) a ON a.code = l.code "
    "LEFT JOIN (SELECT j.code, COUNT(*) AS joins, COUNT(j.left_at) AS gone, "
    "COUNT(u.id) AS started FROM channel_joins j LEFT JOIN users u ON u.id = j.user_id "
    "WHERE j.code IS NOT NULL GROUP BY j.code) j ON j.code = l.code "
    "WHERE {kinds} ORDER BY l.created_at DESC, l.code"
)
# One row per learner with a first source: what they did AFTER they came (a learner who was
# here before the link is not credited with what they did before it), and when they were
# last seen. Whether that was 7 or 30 days after they came needs time arithmetic, which the
# two databases spell differently: it is counted in Python from the two times.
FIRST_ARRIVALS = (
    "SELECT a.code, a.arrived_at, u.last_seen, "
    "CASE WHEN EXISTS (SELECT 1 FROM lesson_progress p WHERE p.user_id = a.user_id "
    "AND p.opened_at >= a.arrived_at) THEN 1 ELSE 0 END AS opened, "
    "CASE WHEN EXISTS (SELECT 1 FROM lesson_progress p WHERE p.user_id = a.user_id "
    "AND p.completed_at >= a.arrived_at) THEN 1 ELSE 0 END AS quiz, "
    "CASE WHEN EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = a.user_id "
    "AND s.subscribed_at >= a.arrived_at) OR u.unsubscribed_at >= a.arrived_at "
    "THEN 1 ELSE 0 END AS subscribed "
    "FROM arrivals a JOIN users u ON u.id = a.user_id WHERE a.first"
)
# The channel posts a report is about: those sent, and any with tracked buttons.
FUNNEL_POSTS = (
    "SELECT * FROM channel_posts WHERE status = 'sent' "
    "OR id IN (SELECT post_id FROM tracked_links WHERE post_id IS NOT NULL) ORDER BY run_at, id"
)
LINK_KINDS = ("post", "link", "invite")
ACTIVE_AFTER = (7, 30)  # days: "still active" is last seen at least this long after arriving


@dataclass(frozen=True)
class FunnelSteps:
    """Learners whose FIRST source one link (or a post's links) is, and how far each got
    after they came. Still active after 7 (30) days: last seen at least 7 (30) days after
    they came; counted among ``old_7`` (``old_30``), those who came at least that long ago."""

    firsts: int = 0  # started the bot through it first
    opened: int = 0  # ... then opened a lesson
    quiz: int = 0  # ... completed a lesson (its quiz done)
    subscribed: int = 0  # ... subscribed to a series
    old_7: int = 0
    active_7: int = 0
    old_30: int = 0
    active_30: int = 0

    def __add__(self, other: FunnelSteps) -> FunnelSteps:
        return FunnelSteps(*(a + b for a, b in zip(vars(self).values(), vars(other).values(),
                                                   strict=True)))  # fmt: skip


@dataclass(frozen=True)
class LinkTally:
    """A tracked link and what came through it (counts only)."""

    link: TrackedLink
    steps: FunnelSteps
    learners: int = 0  # came through it at all (first source or not)
    starts: int = 0  # starts through it, every time
    joins: int = 0  # an invite link: channel joins through it
    left: int = 0  # ... of whom left the channel since
    joiners_started: int = 0  # ... of whom started the bot


def count_steps(rows: list, now: datetime) -> dict[str, FunnelSteps]:
    """Per code, the :class:`FunnelSteps` of its first-source learners (rows of
    ``FIRST_ARRIVALS``)."""
    counts: dict[str, list[int]] = {}
    old = {days: now - timedelta(days=days) for days in ACTIVE_AFTER}
    for row in rows:
        c = counts.setdefault(row["code"], [0] * 8)
        arrived, seen = row["arrived_at"], row["last_seen"]
        c[0] += 1
        c[1] += bool(row["opened"])
        c[2] += bool(row["quiz"])
        c[3] += bool(row["subscribed"])
        for i, days in enumerate(ACTIVE_AFTER):
            if arrived <= old[days]:
                c[4 + 2 * i] += 1
                c[5 + 2 * i] += seen >= arrived + timedelta(days=days)
    return {code: FunnelSteps(*c) for code, c in counts.items()}


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

    @offloaded
    async def link_tallies(
        self, now: datetime, kinds: tuple[str, ...] = LINK_KINDS
    ) -> list[LinkTally]:
        """Every tracked link of ``kinds`` (the newest first) with its counts and the funnel
        of the learners whose first source it is (see :class:`FunnelSteps`)."""
        where = self.db.dialect.any("l.kind", "kinds")
        rows = await self.db.fetch(LINK_TALLIES.format(kinds=where), kinds=list(kinds))
        steps = count_steps(await self.db.fetch(FIRST_ARRIVALS), now)
        return [
            LinkTally(
                record(TrackedLink, row),
                steps.get(row["code"], FunnelSteps()),
                learners=int(row["learners"]),
                starts=int(row["starts"]),
                joins=int(row["joins"]),
                left=int(row["gone"]),
                joiners_started=int(row["started"]),
            )
            for row in rows
        ]

    async def funnel_posts(self) -> list[ChannelPost]:
        """The channel posts the funnel report covers: sent ones, and any with tracked
        buttons; in the order they were planned."""
        return [record(ChannelPost, row) for row in await self.db.fetch(FUNNEL_POSTS)]
