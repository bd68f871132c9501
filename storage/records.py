"""Rows -> records, shared by the backends (``when`` turns a stored time into a datetime)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from storage.base import (
    Attempt,
    Audience,
    Broadcast,
    Card,
    LessonStats,
    SubscriptionRow,
    Team,
    User,
)

When = Callable[[Any], datetime | None]


def from_db(value: str | None) -> datetime | None:
    """SQLite keeps times as ISO-8601 UTC text."""
    return datetime.fromisoformat(value) if value is not None else None


def as_is(value: datetime | None) -> datetime | None:
    """PostgreSQL hands back datetimes already."""
    return value


def user_record(row: Any, when: When = from_db) -> User:
    return User(
        id=row["id"],
        language=row["language"],
        tg_language=row["tg_language"],
        first_name=row["first_name"],
        timezone=row["timezone"],
        first_seen=when(row["first_seen"]),  # type: ignore[arg-type]
        last_seen=when(row["last_seen"]),  # type: ignore[arg-type]
        blocked=bool(row["blocked"]),
        tz_chosen=bool(row["tz_chosen"]),
        delivery_time=row["delivery_time"],
        delivery_days=row["delivery_days"],
        quiet_start=row["quiet_start"],
        quiet_end=row["quiet_end"],
        next_slot_at=when(row["next_slot_at"]),
        last_slot_at=when(row["last_slot_at"]),
        last_nudge_at=when(row["last_nudge_at"]),
        ignored_nudges=row["ignored_nudges"],
        returned=bool(row["returned"]),
        awaiting=row["awaiting"],
        unsubscribed_at=when(row["unsubscribed_at"]),
    )


def broadcast_record(row: Any, when: When = from_db) -> Broadcast:
    return Broadcast(
        id=row["id"],
        admin_id=row["admin_id"],
        target=row["target"],
        source_chat_id=row["source_chat_id"],
        source_message_id=row["source_message_id"],
        button_series=row["button_series"],
        audience=Audience.from_json(row["audience"]),
        status=row["status"],
        run_at=when(row["run_at"]),
        progress_chat_id=row["progress_chat_id"],
        progress_message_id=row["progress_message_id"],
        total=row["total"],
        created_at=when(row["created_at"]),  # type: ignore[arg-type]
        started_at=when(row["started_at"]),
        finished_at=when(row["finished_at"]),
    )


def team_record(row: Any, when: When = from_db) -> Team:
    return Team(
        id=row["id"],
        name=row["name"],
        manager_id=row["manager_id"],
        code=row["code"],
        created_at=when(row["created_at"]),  # type: ignore[arg-type]
        members=int(row["members"]),
    )


def subscription_record(row: Any, when: When = from_db) -> SubscriptionRow:
    return SubscriptionRow(
        series_id=row["series_id"],
        status=row["status"],
        subscribed_at=when(row["subscribed_at"]),  # type: ignore[arg-type]
        changed_at=when(row["changed_at"]),  # type: ignore[arg-type]
    )


def encode_orders(orders: tuple[tuple[int, ...], ...]) -> str | None:
    """Option orders as stored: JSON, one list per question (None for none)."""
    return json.dumps([list(order) for order in orders], separators=(",", ":")) if orders else None


def decode_orders(text: str | None) -> list[tuple[int, ...]]:
    return [tuple(order) for order in json.loads(text)] if text else []


def encode_order(order: tuple[int, ...] | None) -> str | None:
    return json.dumps(list(order), separators=(",", ":")) if order else None


def decode_order(text: str | None) -> tuple[int, ...] | None:
    return tuple(json.loads(text)) if text else None


def card_record(row: Any, when: When = from_db) -> Card:
    return Card(
        id=row["id"],
        user_id=row["user_id"],
        lesson_id=row["lesson_id"],
        question=row["question"],
        fsrs=row["fsrs"],
        due_at=when(row["due_at"]),  # type: ignore[arg-type]
        reviews=row["reviews"],
        last_review_at=when(row["last_review_at"]),
        option_order=decode_order(row["option_order"]),
    )


def attempt_record(row: Any, when: When = from_db) -> Attempt:
    return Attempt(
        id=row["id"],
        user_id=row["user_id"],
        lesson_id=row["lesson_id"],
        total=row["total"],
        current=row["current"],
        correct=row["correct"],
        started_at=when(row["started_at"]),  # type: ignore[arg-type]
        finished_at=when(row["finished_at"]),
        asked_at=when(row["asked_at"]),
        option_orders=tuple(decode_orders(row["option_orders"])),
        quiz_shape=row["quiz_shape"],
    )


# What /mydata counts: label -> (table, column naming the user). Every table holding rows
# about a user is here, and delete_personal_data removes every one of them.
PERSONAL_TABLES = {
    "lessons": ("lesson_progress", "user_id"),
    "quiz_answers": ("quiz_answers", "user_id"),
    "review_cards": ("review_cards", "user_id"),
    "review_history": ("review_log", "user_id"),
    "subscriptions": ("subscriptions", "user_id"),
    "assessments": ("assessments", "user_id"),
    "teams": ("team_members", "user_id"),
    "teams_managed": ("teams", "manager_id"),
    "activity_days": ("activity_days", "user_id"),
    "deliveries": ("deliveries", "user_id"),
    "broadcast_receipts": ("broadcast_recipients", "chat_id"),
    "broadcasts_sent": ("broadcasts", "admin_id"),  # an admin's own broadcasts
}
PROFILE_FIELDS = ("id", "first_name", "language", "tg_language", "timezone", "first_seen",
                  "last_seen", "unsubscribed_at")  # fmt: skip


def lesson_stats_records(rows: Any) -> dict[str, LessonStats]:
    """Rows of the lesson_stats query (same columns on both backends) -> records."""
    return {
        row["lesson_id"]: LessonStats(
            lesson_id=row["lesson_id"],
            opened=bool(row["opened"]),
            completed=bool(row["completed"]),
            answers=int(row["n"]),
            correct_answers=int(row["ok"]),
            best_score=row["best"],
        )
        for row in rows
    }
