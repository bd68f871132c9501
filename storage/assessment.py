"""Self-assessments: one open at a time per learner, ratings per obstacle (lesson)."""

from __future__ import annotations

from datetime import datetime

from domain.records import Assessment
from storage.driver import Driver, Executor, Row

RATINGS = "SELECT lesson_id, rating FROM assessment_answers WHERE assessment_id = :id"
LOCK_USER = "SELECT 1 AS locked FROM users WHERE id = :u{for_update}"
# a full /assess has no scope; a series' re-rating (the confidence lift) has its series id
OPEN = (
    "SELECT * FROM assessments WHERE user_id = :u AND finished_at IS NULL "
    "AND scope IS NOT DISTINCT FROM :scope ORDER BY id DESC LIMIT 1"
)
NEW = "INSERT INTO assessments (user_id, started_at, scope) VALUES (:u, :now, :scope) RETURNING *"
DISCARD = "DELETE FROM assessments WHERE id = :id AND user_id = :u AND finished_at IS NULL"
FINISHED = (
    "SELECT * FROM assessments WHERE user_id = :u AND finished_at IS NOT NULL "
    "AND scope IS NULL ORDER BY id DESC LIMIT :limit"
)
GET = "SELECT * FROM assessments WHERE id = :id"
EARLIER = (
    "SELECT x.lesson_id, x.rating FROM assessments a "
    "JOIN assessment_answers x ON x.assessment_id = a.id WHERE a.user_id = :u "
    "AND a.finished_at IS NOT NULL AND a.id <> :id ORDER BY a.finished_at DESC, a.id DESC"
)
RATE = (
    "INSERT INTO assessment_answers (assessment_id, lesson_id, rating, answered_at) "
    "SELECT id, :lesson, :rating, :now FROM assessments WHERE id = :id AND user_id = :u "
    "AND finished_at IS NULL ON CONFLICT (assessment_id, lesson_id) DO UPDATE SET "
    "rating = excluded.rating, answered_at = excluded.answered_at RETURNING assessment_id"
)
FINISH = (
    "UPDATE assessments SET finished_at = :now WHERE id = :id AND user_id = :u "
    "AND finished_at IS NULL RETURNING id"
)


class AssessmentStore:
    db: Driver

    async def _assessment(self, row: Row | None) -> Assessment | None:
        if row is None:
            return None
        answers = await self.db.fetch(RATINGS, id=row["id"])
        ratings = {a["lesson_id"]: a["rating"] for a in answers}
        return Assessment(row["id"], row["user_id"], row["started_at"], row["finished_at"],
                          ratings, row["scope"])  # fmt: skip

    async def _open_or_new(
        self, tx: Executor, user_id: int, now: datetime, scope: str | None = None
    ) -> Row:
        # the user's row is locked: two Start presses never open two assessments
        await tx.fetch(LOCK_USER.format(for_update=self.db.dialect.for_update), u=user_id)
        row = await tx.fetchrow(OPEN, u=user_id, scope=scope)
        if row is not None:
            return row
        return (await tx.write(NEW, u=user_id, now=now, scope=scope))[0]

    async def start_assessment(self, user_id: int, now: datetime) -> Assessment:
        """The user's unfinished assessment, or a new one when there is none: never a second
        unfinished one (a team's join link or a double tap never orphans answers in
        progress). Only :meth:`restart_assessment` discards them."""
        async with self.db.transaction() as tx:
            row = await self._open_or_new(tx, user_id, now)
        return await self._assessment(row)  # type: ignore[return-value]

    async def restart_assessment(
        self, assessment_id: int, user_id: int, now: datetime
    ) -> Assessment:
        """Discard the user's unfinished assessment ``assessment_id`` (if it still is the open
        one) and return the open assessment: a new one, or one opened meanwhile."""
        async with self.db.transaction() as tx:
            await tx.fetch(LOCK_USER.format(for_update=self.db.dialect.for_update), u=user_id)
            await tx.write(DISCARD, id=assessment_id, u=user_id)
            row = await self._open_or_new(tx, user_id, now)
        return await self._assessment(row)  # type: ignore[return-value]

    async def current_assessment(self, user_id: int) -> Assessment | None:
        """The user's latest unfinished assessment, if any."""
        return await self._assessment(await self.db.fetchrow(OPEN, u=user_id, scope=None))

    async def start_rerating(self, user_id: int, series_id: str, now: datetime) -> Assessment:
        """A re-rating of one series' obstacles (its own, unfinished one if there is one)."""
        async with self.db.transaction() as tx:
            row = await self._open_or_new(tx, user_id, now, series_id)
        return await self._assessment(row)  # type: ignore[return-value]

    async def earlier_ratings(self, user_id: int, assessment_id: int) -> dict[str, int]:
        """Each obstacle's latest rating in a finished assessment other than
        ``assessment_id`` (a full one or a re-rating): what a re-rating is compared with."""
        rows = await self.db.fetch(EARLIER, u=user_id, id=assessment_id)
        latest: dict[str, int] = {}
        for row in rows:
            latest.setdefault(row["lesson_id"], row["rating"])
        return latest

    async def finished_assessments(self, user_id: int, limit: int = 2) -> list[Assessment]:
        """The latest finished assessments, newest first."""
        rows = await self.db.fetch(FINISHED, u=user_id, limit=limit)
        return [a for row in rows if (a := await self._assessment(row)) is not None]

    async def get_assessment(self, assessment_id: int) -> Assessment | None:
        return await self._assessment(await self.db.fetchrow(GET, id=assessment_id))

    async def rate_obstacle(
        self, assessment_id: int, user_id: int, lesson_id: str, rating: int, now: datetime
    ) -> bool:
        """Store (or change) one rating of the user's own unfinished assessment."""
        rows = await self.db.write(RATE, lesson=lesson_id, rating=rating, now=now,
                                   id=assessment_id, u=user_id)  # fmt: skip
        return bool(rows)

    async def finish_assessment(self, assessment_id: int, user_id: int, now: datetime) -> bool:
        return bool(await self.db.write(FINISH, now=now, id=assessment_id, u=user_id))
