"""Quiz attempts and answers (a trigger advances the attempt and completes the lesson)."""

from __future__ import annotations

import json
from datetime import datetime

from domain.records import AnswerResult, AnswerStatus, Attempt
from storage.driver import Driver, Row, record

START = (
    "INSERT INTO quiz_attempts (user_id, lesson_id, total, started_at, option_orders, "
    "quiz_shape) VALUES (:u, :l, :total, :now, :orders, :shape) RETURNING *"
)
GET = "SELECT * FROM quiz_attempts WHERE id = :id"
LATEST = "SELECT * FROM quiz_attempts WHERE user_id = :u ORDER BY id DESC LIMIT 1"
# One guarded INSERT: only for the user's own, latest, unfinished attempt and its current
# question; the trigger quiz_answers_advance moves the attempt on (and may complete the
# lesson) within the same statement.
ANSWER = (
    "INSERT INTO quiz_answers (attempt_id, question, user_id, lesson_id, chosen, correct, "
    "answered_at) SELECT a.id, :q, a.user_id, a.lesson_id, :chosen, :correct, :now "
    "FROM quiz_attempts a WHERE a.id = :attempt AND a.user_id = :u AND a.finished_at IS NULL "
    "AND a.current = :q AND a.id = (SELECT MAX(id) FROM quiz_attempts "
    "WHERE user_id = a.user_id AND lesson_id = a.lesson_id) "
    "ON CONFLICT DO NOTHING RETURNING attempt_id"
)


def attempt_record(row: Row) -> Attempt:
    orders = row["option_orders"]
    return record(
        Attempt,
        row,
        option_orders=tuple(tuple(order) for order in json.loads(orders)) if orders else (),
    )


class QuizStore:
    db: Driver

    async def start_attempt(
        self,
        user_id: int,
        lesson_id: str,
        total: int,
        now: datetime,
        option_orders: tuple[tuple[int, ...], ...] = (),
        quiz_shape: str | None = None,
    ) -> Attempt:
        """Begin a new quiz attempt (only the latest attempt at a lesson takes answers).
        ``option_orders``: how each question's options are shown, so an answer is judged
        against what the learner saw, by any process, after any restart; ``quiz_shape``, so
        an answer after a deploy that changed the quiz is refused."""
        orders = [list(order) for order in option_orders]
        text = json.dumps(orders, separators=(",", ":")) if orders else None
        rows = await self.db.write(START, u=user_id, l=lesson_id, total=total, now=now,
                                   orders=text, shape=quiz_shape)  # fmt: skip
        return attempt_record(rows[0])

    async def get_attempt(self, attempt_id: int) -> Attempt | None:
        row = await self.db.fetchrow(GET, id=attempt_id)
        return attempt_record(row) if row else None

    async def latest_attempt(self, user_id: int) -> Attempt | None:
        """The user's most recent attempt, finished or not (unfinished: the quiz they are in
        the middle of)."""
        row = await self.db.fetchrow(LATEST, u=user_id)
        return attempt_record(row) if row else None

    async def record_answer(
        self, attempt_id: int, user_id: int, question: int, chosen: int, correct: bool,
        now: datetime,
    ) -> AnswerResult:  # fmt: skip
        """Store one answer if ``question`` is the attempt's current one; a second answer to
        it (a double press, an old button) is STALE and changes nothing."""
        inserted = await self.db.write(ANSWER, q=question, chosen=chosen, correct=int(correct),
                                       now=now, attempt=attempt_id, u=user_id)  # fmt: skip
        attempt = await self.get_attempt(attempt_id)
        if attempt is None or attempt.user_id != user_id:
            return AnswerResult(AnswerStatus.NOT_FOUND, None)
        if not inserted:
            return AnswerResult(AnswerStatus.STALE, attempt)
        return AnswerResult(AnswerStatus.RECORDED, attempt)
