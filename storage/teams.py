"""Teams: a manager, members who joined by link, and their latest ratings (no user ids)."""

from __future__ import annotations

from datetime import datetime

from domain.records import LessonTally, Team, team_name_key
from storage.assessment import LOCK_USER, RATINGS
from storage.driver import Driver, offloaded, record
from storage.stats import ONE_LESSON, count_lessons

TEAM = (
    "SELECT t.*, (SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id) AS members "
    "FROM teams t"
)
NAMES = "SELECT name FROM teams WHERE manager_id = :u"
CREATE = (
    "INSERT INTO teams (name, manager_id, code, created_at) VALUES (:name, :u, :code, :now) "
    "RETURNING id"
)
JOIN = (
    "INSERT INTO team_members (team_id, user_id, joined_at) VALUES (:t, :u, :now) "
    "ON CONFLICT DO NOTHING RETURNING team_id"
)
# a new member's subscriptions to the team's open assignments (theirs already stay as they are)
TAKE_ASSIGNMENTS = (
    "INSERT INTO subscriptions (user_id, series_id, status, subscribed_at, changed_at) "
    "SELECT :u, a.series_id, 'active', :now, :now FROM assignments a WHERE a.team_id = :t "
    "AND a.cancelled_at IS NULL AND a.due_on >= :today "
    "ON CONFLICT (user_id, series_id) DO NOTHING"
)
LEAVE = "DELETE FROM team_members WHERE team_id = :t AND user_id = :u RETURNING team_id"
# leaving a team ends managing it and sharing with it (the owner never leaves: see services)
UNMANAGE = "DELETE FROM team_managers WHERE team_id = :t AND user_id = :u"
UNSHARE = "DELETE FROM progress_sharing WHERE team_id = :t AND user_id = :u RETURNING team_id"
MANAGE = (
    "INSERT INTO team_managers (team_id, user_id, added_by, added_at) VALUES (:t, :u, :by, :now) "
    "ON CONFLICT DO NOTHING RETURNING team_id"
)
IS_MANAGER = "SELECT 1 AS yes FROM team_managers WHERE team_id = :t AND user_id = :u"
MANAGED = "SELECT team_id FROM team_managers WHERE user_id = :u"
# the team's members with their first names (only the owner sees them, to choose co-managers)
NAMED_MEMBERS = (
    "SELECT u.id AS user_id, u.first_name, EXISTS (SELECT 1 FROM team_managers k "
    "WHERE k.team_id = m.team_id AND k.user_id = m.user_id) AS manager "
    "FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = :t "
    "ORDER BY m.joined_at, u.id"
)
HAND_OVER = (
    "UPDATE teams SET manager_id = :new WHERE id = :t AND manager_id = :old AND EXISTS "
    "(SELECT 1 FROM team_managers k WHERE k.team_id = :t AND k.user_id = :new) RETURNING id"
)
SHARE = (
    "INSERT INTO progress_sharing (team_id, user_id, shared_at) VALUES (:t, :u, :now) "
    "ON CONFLICT DO NOTHING RETURNING team_id"
)
SHARING = "SELECT 1 AS yes FROM progress_sharing WHERE team_id = :t AND user_id = :u"
# members who chose to share their progress by name, and their lessons completed
SHARED = (
    "SELECT u.id AS user_id, u.first_name, (SELECT COUNT(*) FROM lesson_progress p "
    "WHERE p.user_id = u.id AND p.completed_at IS NOT NULL) AS completed "
    "FROM progress_sharing s JOIN team_members m "
    "ON m.team_id = s.team_id AND m.user_id = s.user_id "
    "JOIN users u ON u.id = s.user_id WHERE s.team_id = :t ORDER BY u.first_name, u.id"
)
DELETE = "DELETE FROM teams WHERE id = :t AND manager_id = :u RETURNING id"
OF_USER = (
    f"{TEAM} WHERE t.manager_id = :u OR EXISTS (SELECT 1 FROM team_members m "
    "WHERE m.team_id = t.id AND m.user_id = :u) ORDER BY t.id"
)
MEMBER = "SELECT 1 AS yes FROM team_members WHERE team_id = :t AND user_id = :u"
LATEST = (
    "SELECT a.id FROM team_members m JOIN assessments a ON a.id = (SELECT MAX(id) "
    "FROM assessments WHERE user_id = m.user_id AND finished_at IS NOT NULL AND scope IS NULL) "
    "WHERE m.team_id = :t AND m.user_id IS DISTINCT FROM :viewer"
)

# The learners a team's lesson figures count (storage/stats.py's ``{who}``): its members but
# the viewer, whose own rows never reach what they see.
OTHER_MEMBERS = (
    "user_id IN (SELECT m.user_id FROM team_members m "
    "WHERE m.team_id = :team AND m.user_id <> :viewer)"
)


class TeamStore:
    db: Driver

    async def create_team(
        self, manager_id: int, name: str, code: str, now: datetime
    ) -> Team | None:
        """A new team; its manager is its first member. None when the manager already has a
        team of that name (compared by :func:`team_name_key`: case and spacing aside)."""
        async with self.db.transaction() as tx:
            # the manager's row is locked: two creations cannot both pass the name check
            await tx.fetch(LOCK_USER.format(for_update=self.db.dialect.for_update), u=manager_id)
            names = {team_name_key(row["name"]) for row in await tx.fetch(NAMES, u=manager_id)}
            if team_name_key(name) in names:
                return None
            rows = await tx.write(CREATE, name=name, u=manager_id, code=code, now=now)
            await tx.write(JOIN, t=rows[0]["id"], u=manager_id, now=now)
            await tx.write(MANAGE, t=rows[0]["id"], u=manager_id, by=None, now=now)
        team = await self.get_team(rows[0]["id"])
        assert team is not None
        return team

    async def team_by_code(self, code: str) -> Team | None:
        row = await self.db.fetchrow(f"{TEAM} WHERE t.code = :code", code=code)
        return record(Team, row) if row else None

    async def get_team(self, team_id: int) -> Team | None:
        row = await self.db.fetchrow(f"{TEAM} WHERE t.id = :id", id=team_id)
        return record(Team, row) if row else None

    async def join_team(self, team_id: int, user_id: int, now: datetime) -> bool:
        """True if the user joined just now (False: already a member); a new member takes
        the team's open assignments (as subscriptions)."""
        async with self.db.transaction() as tx:
            joined = bool(await tx.write(JOIN, t=team_id, u=user_id, now=now))
            if joined:
                await tx.write(TAKE_ASSIGNMENTS, u=user_id, t=team_id, now=now, today=now.date())
        return joined

    async def leave_team(self, team_id: int, user_id: int) -> bool:
        """Leave a team; a co-manager stops managing it, and sharing with it ends."""
        async with self.db.transaction() as tx:
            left = await tx.write(LEAVE, t=team_id, u=user_id)
            await tx.write(UNMANAGE, t=team_id, u=user_id)
            await tx.write(UNSHARE, t=team_id, u=user_id)
        return bool(left)

    async def is_manager(self, team_id: int, user_id: int) -> bool:
        """The owner or a co-manager (``team_managers``)."""
        return await self.db.fetchrow(IS_MANAGER, t=team_id, u=user_id) is not None

    async def managed_teams(self, user_id: int) -> set[int]:
        return {row["team_id"] for row in await self.db.fetch(MANAGED, u=user_id)}

    async def named_members(self, team_id: int) -> list[tuple[int, str, bool]]:
        """(user id, first name, manages the team) of each member, by joining order."""
        rows = await self.db.fetch(NAMED_MEMBERS, t=team_id)
        return [(r["user_id"], r["first_name"], bool(r["manager"])) for r in rows]

    async def add_manager(self, team_id: int, user_id: int, by: int, now: datetime) -> bool:
        """True if the member became a co-manager just now (not a member: nothing)."""
        async with self.db.transaction() as tx:
            if not await tx.fetch(MEMBER, t=team_id, u=user_id):
                return False
            return bool(await tx.write(MANAGE, t=team_id, u=user_id, by=by, now=now))

    async def remove_manager(self, team_id: int, user_id: int) -> bool:
        """The co-manager stops managing (never the owner: ``teams.manager_id``)."""
        return bool(
            await self.db.write(
                UNMANAGE + " AND user_id <> (SELECT manager_id FROM teams WHERE id = :t) "
                "RETURNING team_id",
                t=team_id,
                u=user_id,
            )
        )

    async def hand_over(self, team_id: int, owner_id: int, user_id: int, stay: bool) -> bool:
        """The owner hands the team to a co-manager; unless ``stay``, the old owner stops
        managing it too (and stays a member)."""
        async with self.db.transaction() as tx:
            done = await tx.write(HAND_OVER, t=team_id, old=owner_id, new=user_id)
            if done and not stay:
                await tx.write(UNMANAGE, t=team_id, u=owner_id)
        return bool(done)

    async def set_sharing(self, team_id: int, user_id: int, on: bool, now: datetime) -> bool:
        """Share one's progress by name with the team's managers (members only), or stop."""
        if not on:
            await self.db.write(UNSHARE, t=team_id, u=user_id)
            return True
        async with self.db.transaction() as tx:
            if not await tx.fetch(MEMBER, t=team_id, u=user_id):
                return False
            await tx.write(SHARE, t=team_id, u=user_id, now=now)
        return True

    async def is_sharing(self, team_id: int, user_id: int) -> bool:
        return await self.db.fetchrow(SHARING, t=team_id, u=user_id) is not None

    async def shared_progress(self, team_id: int) -> list[tuple[str, int]]:
        """(first name, lessons completed) of the members who chose to share them."""
        rows = await self.db.fetch(SHARED, t=team_id)
        return [(r["first_name"], int(r["completed"])) for r in rows]

    async def delete_team(self, team_id: int, manager_id: int) -> bool:
        return bool(await self.db.write(DELETE, t=team_id, u=manager_id))

    async def teams_of(self, user_id: int) -> list[Team]:
        """Teams the user manages or belongs to."""
        return [record(Team, row) for row in await self.db.fetch(OF_USER, u=user_id)]

    async def is_member(self, team_id: int, user_id: int) -> bool:
        return await self.db.fetchrow(MEMBER, t=team_id, u=user_id) is not None

    async def team_latest_ratings(
        self, team_id: int, excluding: int | None = None
    ) -> list[dict[str, int]]:
        """Each member's latest finished assessment, without user ids (aggregates only);
        ``excluding`` leaves out the viewer, whose own answers never count in what they see."""
        result = []
        for row in await self.db.fetch(LATEST, t=team_id, viewer=excluding):
            answers = await self.db.fetch(RATINGS, id=row["id"])
            result.append({a["lesson_id"]: a["rating"] for a in answers})
        return result

    @offloaded
    async def team_lesson_tallies(
        self, team_id: int, excluding: int, lesson_id: str | None = None
    ) -> list[LessonTally]:
        """Each lesson's figures (``lesson_id``: that lesson's) over the team's members but
        ``excluding`` (the viewer), with each figure's contributors, so the service can hide
        what too few of them gave."""
        if lesson_id is None:
            return await count_lessons(self.db, OTHER_MEMBERS, team=team_id, viewer=excluding)
        return await count_lessons(
            self.db, OTHER_MEMBERS + ONE_LESSON, team=team_id, viewer=excluding, lesson=lesson_id
        )
