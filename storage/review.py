"""Review cards (FSRS state per quiz question) and their history (review_log, by trigger)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from domain.records import Card
from storage.driver import Driver, Row, offloaded, record

GET = "SELECT * FROM review_cards WHERE user_id = :u AND lesson_id = :l AND question = :q"
BY_ID = "SELECT * FROM review_cards WHERE id = :id"
# one statement: the triggers review_cards_log_* write the review_log row
SAVE = (
    "INSERT INTO review_cards (user_id, lesson_id, question, fsrs, due_at, reviews, created_at, "
    "last_review_at, last_rating, last_correct, last_source, last_seconds, option_order) "
    "VALUES (:u, :l, :q, :fsrs, :due, 1, :now, :now, :rating, :correct, :source, :seconds, "
    ":order) ON CONFLICT (user_id, lesson_id, question) DO UPDATE SET "
    "option_order = excluded.option_order, fsrs = excluded.fsrs, due_at = excluded.due_at, "
    "reviews = review_cards.reviews + 1, last_review_at = excluded.last_review_at, "
    "last_rating = excluded.last_rating, last_correct = excluded.last_correct, "
    "last_source = excluded.last_source, last_seconds = excluded.last_seconds{guard} RETURNING *"
)
DUE = (
    "SELECT * FROM review_cards WHERE user_id = :u AND due_at <= :now "
    "ORDER BY due_at, id LIMIT :limit"
)
COUNT_DUE = "SELECT COUNT(*) FROM review_cards WHERE user_id = :u AND due_at <= :now"
# {kept}: the (lesson id, number of questions) rows of a JSON object (Dialect.pairs)
RETIRE = (
    "DELETE FROM review_cards WHERE NOT EXISTS (SELECT 1 FROM {kept} AS k WHERE "
    "k.key = review_cards.lesson_id AND review_cards.question < CAST(k.value AS INTEGER)) "
    "RETURNING id"
)


def card_record(row: Row) -> Card:
    order = row["option_order"]
    return record(Card, row, option_order=tuple(json.loads(order)) if order else None)


class ReviewStore:
    db: Driver

    async def get_card(self, user_id: int, lesson_id: str, question: int) -> Card | None:
        row = await self.db.fetchrow(GET, u=user_id, l=lesson_id, q=question)
        return card_record(row) if row else None

    async def card_by_id(self, card_id: int) -> Card | None:
        row = await self.db.fetchrow(BY_ID, id=card_id)
        return card_record(row) if row else None

    async def save_review(
        self,
        user_id: int,
        lesson_id: str,
        question: int,
        fsrs: str,
        due_at: datetime,
        *,
        expected_reviews: int | None,
        rating: int,
        correct: bool,
        source: str,
        seconds: float | None,
        now: datetime,
        option_order: tuple[int, ...] | None = None,
    ) -> Card | None:
        """Create or update a card with its new FSRS state and log the review.

        ``expected_reviews`` guards against double answers: the update only happens if the
        card still has that many reviews (None: create the card, or count a quiz answer
        whatever the count). The stored card, or None if the guard failed."""
        guard = {} if expected_reviews is None else {"expected": expected_reviews}
        sql = SAVE.format(guard=" WHERE review_cards.reviews = :expected" if guard else "")
        order = json.dumps(list(option_order), separators=(",", ":")) if option_order else None
        rows = await self.db.write(sql, u=user_id, l=lesson_id, q=question, fsrs=fsrs, due=due_at,
                                   now=now, rating=rating, correct=correct, source=source,
                                   seconds=seconds, order=order, **guard)  # fmt: skip
        return card_record(rows[0]) if rows else None

    async def due_cards(self, user_id: int, now: datetime, limit: int) -> list[Card]:
        return [card_record(r) for r in await self.db.fetch(DUE, u=user_id, now=now, limit=limit)]

    async def count_due_cards(self, user_id: int, now: datetime) -> int:
        return int(await self.db.fetchval(COUNT_DUE, u=user_id, now=now) or 0)

    @offloaded
    async def retire_cards(self, questions: Mapping[str, int]) -> int:
        """Delete the review cards (and their history) of questions no longer in the content:
        a lesson not in ``questions`` (lesson id -> its number of questions), or a question
        index past that number; how many (run at start-up, after a deploy)."""
        kept = self.db.dialect.pairs("kept")
        sql = RETIRE.format(kept=kept)
        return len(await self.db.write(sql, kept=dict(questions)))
