"""The one async storage interface every backend implements, and the records it returns.

Times cross this interface as timezone-aware UTC ``datetime`` objects; how a backend stores
them is its own business. Every method is one transaction: it either happens whole or not
at all.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class User:
    id: int
    language: str | None  # the interface language the user chose (None: not chosen yet)
    tg_language: str | None  # Telegram's language_code when we last saw the user
    first_name: str
    timezone: str
    first_seen: datetime
    last_seen: datetime
    blocked: bool


@dataclass(frozen=True)
class Attempt:
    """One run through a lesson's quiz."""

    id: int
    user_id: int
    lesson_id: str
    total: int
    current: int  # index of the next question to answer; == total when finished
    correct: int
    started_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class AnswerStatus(enum.Enum):
    RECORDED = "recorded"
    STALE = "stale"  # that question was answered already, or the attempt is over
    NOT_FOUND = "not_found"  # no such attempt for this user


@dataclass(frozen=True)
class AnswerResult:
    status: AnswerStatus
    attempt: Attempt | None


@dataclass(frozen=True)
class LessonStats:
    """A learner's record on one lesson: completion and every quiz answer given."""

    lesson_id: str
    opened: bool
    completed: bool
    answers: int
    correct_answers: int
    best_score: int | None  # best finished attempt's correct answers


class Storage(ABC):
    """Persistence for CX Coach. Implementations: :class:`storage.sqlite.SQLiteStorage`."""

    @abstractmethod
    async def open(self) -> None:
        """Connect and apply pending migrations."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections; safe to call twice."""

    # Users ---------------------------------------------------------------------------
    @abstractmethod
    async def touch_user(
        self, user_id: int, first_name: str, tg_language: str | None, now: datetime
    ) -> tuple[User, bool]:
        """Create or refresh a user (last seen, name, Telegram language, not blocked).

        Returns the user and whether it was created just now.
        """

    @abstractmethod
    async def get_user(self, user_id: int) -> User | None: ...

    @abstractmethod
    async def set_language(self, user_id: int, language: str) -> None: ...

    @abstractmethod
    async def set_blocked(self, user_id: int, blocked: bool, now: datetime) -> None:
        """Mark that the user blocked (or unblocked) the bot; unknown users are ignored."""

    # Lessons -------------------------------------------------------------------------
    @abstractmethod
    async def mark_opened(self, user_id: int, lesson_id: str, now: datetime) -> None: ...

    @abstractmethod
    async def mark_completed(self, user_id: int, lesson_id: str, now: datetime) -> None: ...

    @abstractmethod
    async def completed_lessons(self, user_id: int) -> set[str]: ...

    @abstractmethod
    async def lesson_stats(self, user_id: int) -> dict[str, LessonStats]:
        """Per lesson the user touched: opened/completed, answers given, correct answers."""

    # Quizzes -------------------------------------------------------------------------
    @abstractmethod
    async def start_attempt(
        self, user_id: int, lesson_id: str, total: int, now: datetime
    ) -> Attempt:
        """Begin a new quiz attempt (earlier unfinished ones for the lesson are abandoned)."""

    @abstractmethod
    async def get_attempt(self, attempt_id: int) -> Attempt | None: ...

    @abstractmethod
    async def record_answer(
        self,
        attempt_id: int,
        user_id: int,
        question: int,
        chosen: int,
        correct: bool,
        now: datetime,
    ) -> AnswerResult:
        """Store one answer if ``question`` is the attempt's current one; advance it.

        Finishing the last question finishes the attempt and completes the lesson.
        A second answer to the same question (a double press, an old button) is STALE and
        changes nothing.
        """
