"""Team assignments: a series with a due date for a team's members (its managers assign,
they do not take it), the one reminder each member behind gets, the members' progress on it,
and the team's week of quiz answers and lesson ratings (without the viewer)."""

from __future__ import annotations

from datetime import date, datetime

from domain.records import Assignment, MemberAssignment, MemberProgress, WeekFigures
from storage.driver import Driver, record
from storage.teams import OTHER_MEMBERS

# a team's members who take its assignments: everyone but its managers
NOT_MANAGER = (
    "NOT EXISTS (SELECT 1 FROM team_managers k WHERE k.team_id = m.team_id "
    "AND k.user_id = m.user_id)"
)
OF_TEAM = (
    "SELECT * FROM assignments WHERE team_id = :t AND cancelled_at IS NULL AND due_on >= :since "
    "ORDER BY due_on, id"
)
GET = "SELECT * FROM assignments WHERE id = :id AND team_id = :t AND cancelled_at IS NULL"
FIND = "SELECT id FROM assignments WHERE team_id = :t AND series_id = :s AND cancelled_at IS NULL"
CREATE = (
    "INSERT INTO assignments (team_id, series_id, due_on, assigned_by, created_at) "
    "VALUES (:t, :s, :due, :by, :now) RETURNING id"
)
REDATE = "UPDATE assignments SET due_on = :due WHERE id = :id"
CANCEL = (
    "UPDATE assignments SET cancelled_at = :now WHERE id = :id AND team_id = :t "
    "AND cancelled_at IS NULL RETURNING id"
)
# the assignees' subscriptions: a new one is active; one they have (paused, finished) stays
SUBSCRIBE = (
    "INSERT INTO subscriptions (user_id, series_id, status, subscribed_at, changed_at) "
    "SELECT m.user_id, :s, 'active', :now, :now FROM team_members m "
    f"WHERE m.team_id = :t AND {NOT_MANAGER} "
    "ON CONFLICT (user_id, series_id) DO NOTHING"
)
ASSIGNEES = f"SELECT m.user_id FROM team_members m WHERE m.team_id = :t AND {NOT_MANAGER}"
# a learner's assignments (of the teams they belong to and do not manage)
MINE = (
    "SELECT a.id, a.team_id, t.name AS team_name, a.series_id, a.due_on, a.created_at, "
    "r.reminded_at FROM assignments a "
    "JOIN team_members m ON m.team_id = a.team_id AND m.user_id = :u "
    "JOIN teams t ON t.id = a.team_id "
    "LEFT JOIN assignment_reminders r ON r.assignment_id = a.id AND r.user_id = :u "
    f"WHERE a.cancelled_at IS NULL AND {NOT_MANAGER} ORDER BY a.due_on, a.id"
)
REMINDED = (
    "INSERT INTO assignment_reminders (assignment_id, user_id, reminded_at) "
    "VALUES (:a, :u, :now) ON CONFLICT DO NOTHING"
)
# each assignee but the viewer: lessons of the series completed, and whether they share
PROGRESS = (
    "SELECT m.user_id, u.first_name, m.joined_at, EXISTS (SELECT 1 FROM progress_sharing s "
    "WHERE s.team_id = m.team_id AND s.user_id = m.user_id) AS shares, "
    "(SELECT COUNT(*) FROM lesson_progress p WHERE p.user_id = m.user_id "
    "AND p.completed_at IS NOT NULL AND {lesson_in}) AS completed "
    "FROM team_members m JOIN users u ON u.id = m.user_id "
    f"WHERE m.team_id = :t AND m.user_id <> :viewer AND {NOT_MANAGER} "
    "ORDER BY u.first_name, m.user_id"
)
WEEK_ANSWERS = (
    "SELECT COUNT(*) AS answers, COALESCE(SUM(correct), 0) AS correct, "
    "COUNT(DISTINCT user_id) AS people FROM quiz_answers "
    f"WHERE answered_at >= :since AND {OTHER_MEMBERS}"
)
WEEK_RATINGS = (
    "SELECT COUNT(*) AS ratings, COALESCE(SUM(usefulness), 0) AS total, "
    "COUNT(DISTINCT user_id) AS people FROM lesson_feedback "
    f"WHERE usefulness IS NOT NULL AND answered_at >= :since AND {OTHER_MEMBERS}"
)


class AssignmentStore:
    db: Driver

    async def assign(
        self, team_id: int, series_id: str, due_on: date, by: int, now: datetime
    ) -> tuple[Assignment, list[int]]:
        """Assign a series to the team (assigned already: its due date moves) and subscribe
        its members who take it; the assignment and those members' ids."""
        async with self.db.transaction() as tx:
            found = await tx.fetch(FIND, t=team_id, s=series_id)
            if found:
                assignment_id = found[0]["id"]
                await tx.write(REDATE, due=due_on, id=assignment_id)
            else:
                rows = await tx.write(CREATE, t=team_id, s=series_id, due=due_on, by=by, now=now)
                assignment_id = rows[0]["id"]
            await tx.write(SUBSCRIBE, s=series_id, now=now, t=team_id)
            members = [row["user_id"] for row in await tx.fetch(ASSIGNEES, t=team_id)]
            row = (await tx.fetch(GET, id=assignment_id, t=team_id))[0]
        return record(Assignment, row), members

    async def team_assignments(self, team_id: int, since: date) -> list[Assignment]:
        """The team's assignments not cancelled and due on ``since`` or later, soonest first."""
        rows = await self.db.fetch(OF_TEAM, t=team_id, since=since)
        return [record(Assignment, row) for row in rows]

    async def cancel_assignment(self, team_id: int, assignment_id: int, now: datetime) -> bool:
        """Withdraw an assignment (the members keep their subscriptions: theirs now)."""
        return bool(await self.db.write(CANCEL, now=now, id=assignment_id, t=team_id))

    async def my_assignments(self, user_id: int) -> list[MemberAssignment]:
        """The assignments a learner takes, soonest due first."""
        rows = await self.db.fetch(MINE, u=user_id)
        return [record(MemberAssignment, row) for row in rows]

    async def assignment_progress(
        self, team_id: int, viewer: int, lesson_ids: list[str]
    ) -> list[MemberProgress]:
        """Each assignee but ``viewer``: how many of ``lesson_ids`` they completed."""
        sql = PROGRESS.format(lesson_in=self.db.dialect.any("p.lesson_id", "lessons"))
        rows = await self.db.fetch(sql, t=team_id, viewer=viewer, lessons=lesson_ids)
        return [record(MemberProgress, row) for row in rows]

    async def week_figures(self, team_id: int, viewer: int, since: datetime) -> WeekFigures:
        """The team's quiz answers and lesson ratings since ``since``, without the viewer."""
        answers = await self.db.fetchrow(WEEK_ANSWERS, since=since, team=team_id, viewer=viewer)
        ratings = await self.db.fetchrow(WEEK_RATINGS, since=since, team=team_id, viewer=viewer)
        assert answers is not None and ratings is not None
        return WeekFigures(
            int(answers["answers"]),
            int(answers["correct"]),
            int(answers["people"]),
            int(ratings["ratings"]),
            int(ratings["total"]),
            int(ratings["people"]),
        )
