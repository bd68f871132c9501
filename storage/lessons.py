"""Lessons a learner opened and completed, and their record per lesson."""

from __future__ import annotations

from datetime import datetime

from domain.records import LessonStats
from storage.driver import Driver, record

OPENED = (
    "INSERT INTO lesson_progress (user_id, lesson_id, opened_at) VALUES (:u, :l, :now) "
    "ON CONFLICT (user_id, lesson_id) DO NOTHING"
)
COMPLETED = (
    "INSERT INTO lesson_progress (user_id, lesson_id, opened_at, completed_at) "
    "VALUES (:u, :l, :now, :now) ON CONFLICT (user_id, lesson_id) DO UPDATE SET "
    "completed_at = COALESCE(lesson_progress.completed_at, excluded.completed_at)"
)
COMPLETED_OF = (
    "SELECT lesson_id FROM lesson_progress WHERE user_id = :u AND completed_at IS NOT NULL"
)
STATS = """
    WITH answers AS (
        SELECT lesson_id, COUNT(*) AS n, SUM(correct) AS ok
        FROM quiz_answers WHERE user_id = :u GROUP BY lesson_id
    ), best AS (
        SELECT lesson_id, MAX(correct) AS best
        FROM quiz_attempts WHERE user_id = :u AND finished_at IS NOT NULL GROUP BY lesson_id
    ), lessons AS (
        SELECT lesson_id FROM lesson_progress WHERE user_id = :u
        UNION SELECT lesson_id FROM answers
    )
    SELECT l.lesson_id, p.opened_at IS NOT NULL AS opened,
           p.completed_at IS NOT NULL AS completed,
           COALESCE(a.n, 0) AS answers, COALESCE(a.ok, 0) AS correct_answers,
           b.best AS best_score
    FROM lessons l
    LEFT JOIN lesson_progress p ON p.user_id = :u AND p.lesson_id = l.lesson_id
    LEFT JOIN answers a ON a.lesson_id = l.lesson_id
    LEFT JOIN best b ON b.lesson_id = l.lesson_id
"""


class LessonStore:
    db: Driver

    async def mark_opened(self, user_id: int, lesson_id: str, now: datetime) -> None:
        await self.db.write(OPENED, u=user_id, l=lesson_id, now=now)

    async def mark_completed(self, user_id: int, lesson_id: str, now: datetime) -> None:
        await self.db.write(COMPLETED, u=user_id, l=lesson_id, now=now)

    async def completed_lessons(self, user_id: int) -> set[str]:
        return {row["lesson_id"] for row in await self.db.fetch(COMPLETED_OF, u=user_id)}

    async def lesson_stats(self, user_id: int) -> dict[str, LessonStats]:
        """Per lesson the user touched: opened/completed, answers given, correct answers."""
        rows = await self.db.fetch(STATS, u=user_id)
        return {row["lesson_id"]: record(LessonStats, row) for row in rows}
