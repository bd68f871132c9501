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
LEAVE = "DELETE FROM team_members WHERE team_id = :t AND user_id = :u RETURNING team_id"
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
        """True if the user joined just now (False: already a member)."""
        return bool(await self.db.write(JOIN, t=team_id, u=user_id, now=now))

    async def leave_team(self, team_id: int, user_id: int) -> bool:
        return bool(await self.db.write(LEAVE, t=team_id, u=user_id))

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
