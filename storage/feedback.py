"""Lesson feedback: how useful a lesson was for the learner's work, and what was unclear."""

from __future__ import annotations

from datetime import datetime

from domain.records import Feedback
from storage.driver import Driver, record

GET = "SELECT * FROM lesson_feedback WHERE user_id = :u AND lesson_id = :lesson"
RATE = (
    "INSERT INTO lesson_feedback (user_id, lesson_id, attempt_id, usefulness, answered_at) "
    "VALUES (:u, :lesson, :attempt, :rating, :now) ON CONFLICT (user_id, lesson_id) DO UPDATE "
    "SET attempt_id = excluded.attempt_id, usefulness = excluded.usefulness, unclear = NULL, "
    "answered_at = excluded.answered_at "
    "WHERE lesson_feedback.attempt_id IS DISTINCT FROM excluded.attempt_id RETURNING *"
)
UNCLEAR = (
    "UPDATE lesson_feedback SET unclear = :text, answered_at = :now "
    "WHERE user_id = :u AND lesson_id = :lesson RETURNING *"
)


class FeedbackStore:
    db: Driver

    async def feedback(self, user_id: int, lesson_id: str) -> Feedback | None:
        """The learner's word on a lesson (after their latest rated attempt), if any."""
        row = await self.db.fetchrow(GET, u=user_id, lesson=lesson_id)
        return None if row is None else record(Feedback, row)

    async def rate_lesson(
        self, user_id: int, lesson_id: str, attempt_id: int, usefulness: int | None, now: datetime
    ) -> Feedback | None:
        """Store the rating given after ``attempt_id`` (None: skipped); None when that attempt
        was rated already (a double tap), so a rating is never taken twice."""
        rows = await self.db.write(
            RATE, u=user_id, lesson=lesson_id, attempt=attempt_id, rating=usefulness, now=now
        )
        return record(Feedback, rows[0]) if rows else None

    async def note_unclear(
        self, user_id: int, lesson_id: str, text: str, now: datetime
    ) -> Feedback | None:
        """ "What was unclear", as written, on the learner's feedback for the lesson."""
        rows = await self.db.write(UNCLEAR, u=user_id, lesson=lesson_id, text=text, now=now)
        return record(Feedback, rows[0]) if rows else None
