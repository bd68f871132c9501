"""The one async storage interface every backend implements, and the records it returns.

Times cross this interface as timezone-aware UTC ``datetime`` objects; how a backend stores
them is its own business. Every method is one transaction: it either happens whole or not
at all.
"""

from __future__ import annotations

import enum
import json
from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime


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
    # delivery preferences (see bot/services/schedule.py) and the daily slot
    tz_chosen: bool = False
    delivery_time: int = 540  # minutes after local midnight
    delivery_days: int = 31  # bit 0 = Monday ... bit 6 = Sunday
    quiet_start: int | None = 1320
    quiet_end: int | None = 480
    next_slot_at: datetime | None = None
    last_slot_at: datetime | None = None
    last_nudge_at: datetime | None = None
    ignored_nudges: int = 0
    returned: bool = False  # this visit ended a block
    awaiting: str | None = None  # typed input the bot asked for (e.g. "time")
    unsubscribed_at: datetime | None = None  # the last unsubscribe (no idle reminders then)


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
    asked_at: datetime | None = None  # when the current question was sent
    # per question, the option indexes in the order they are shown; () = file order
    option_orders: tuple[tuple[int, ...], ...] = ()
    # the quiz's shape when the attempt started (services.quiz.quiz_shape); None: older
    quiz_shape: str | None = None

    @property
    def question_shown_at(self) -> datetime:
        return self.asked_at or self.started_at

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


@dataclass(frozen=True)
class SubscriptionRow:
    series_id: str
    status: str  # active, paused, finished
    subscribed_at: datetime
    changed_at: datetime


RETRYABLE = ("failed", "unconfirmed")  # recipient states an admin may send to again


@dataclass(frozen=True)
class Claim:
    """A slot taken for delivery: the user's row as it was, and the slot's time.

    ``claimed_at`` identifies this claim (a takeover makes a new one); ``unconfirmed`` says
    that a process died while sending this very slot: it must not be sent again."""

    user: User
    slot_at: datetime
    claimed_at: datetime
    unconfirmed: bool = False


@dataclass(frozen=True)
class DeliveryOutcome:
    """What the delivery engine did with a claimed slot (stored in one transaction)."""

    status: str  # sent, empty, deferred, blocked, failed, unconfirmed
    kind: str | None = None  # drip, review, reminder
    lessons: tuple[str, ...] = ()  # lessons delivered (marked opened)
    finished_series: tuple[str, ...] = ()  # subscriptions now finished
    nudge: bool = False  # counts towards "one nudge a day" and "three ignored"
    next_slot_at: datetime | None = None
    # sent: the moment it counts for (schedule.counts_for), kept as last_slot_at; None: now
    counted_at: datetime | None = None


@dataclass(frozen=True)
class Card:
    id: int
    user_id: int
    lesson_id: str
    question: int
    fsrs: str  # fsrs.Card as JSON
    due_at: datetime
    reviews: int
    last_review_at: datetime | None
    option_order: tuple[int, ...] | None = None  # how its next review shows the options


@dataclass(frozen=True)
class TrainingFacts:
    """What a slot decision reads besides the user row (one snapshot)."""

    subscriptions: tuple[SubscriptionRow, ...]
    opened: frozenset[str]
    completed: frozenset[str]
    reviews_due: int
    has_cards: bool


@dataclass(frozen=True)
class Audience:
    """Who a broadcast goes to: learners who have not blocked the bot, narrowed by each
    non-empty filter (all must hold)."""

    languages: tuple[str, ...] = ()
    series: tuple[str, ...] = ()  # subscribers (active or paused) of any of these
    idle_days: int | None = None  # not seen for at least this many days

    def to_json(self) -> str:
        return json.dumps(
            {"languages": self.languages, "series": self.series, "idle_days": self.idle_days}
        )

    @classmethod
    def from_json(cls, text: str | None) -> Audience:
        data = json.loads(text or "{}")
        return cls(
            tuple(data.get("languages") or ()),
            tuple(data.get("series") or ()),
            data.get("idle_days"),
        )


@dataclass(frozen=True)
class Broadcast:
    id: int
    admin_id: int
    target: str  # users, channel
    source_chat_id: int
    source_message_id: int
    button_series: str | None
    audience: Audience
    status: str  # draft, scheduled, queued, running, paused, done, cancelled
    run_at: datetime | None
    progress_chat_id: int | None
    progress_message_id: int | None
    total: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


BROADCAST_FIELDS = ("audience", "button_series", "progress_chat_id", "progress_message_id")


@dataclass(frozen=True)
class Stats:
    learners: int
    active_7: int
    active_30: int
    blocked: int
    by_language: dict[str, int]
    subscriptions: dict[str, int]  # series id -> active subscribers
    lessons_completed: int
    answers: int
    correct: int


@dataclass(frozen=True)
class QuestionStats:
    lesson_id: str
    question: int
    answers: int
    correct: int


@dataclass(frozen=True)
class Assessment:
    id: int
    user_id: int
    started_at: datetime
    finished_at: datetime | None
    ratings: dict[str, int]  # lesson (obstacle) id -> 1..5


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    manager_id: int
    code: str
    created_at: datetime
    members: int


def team_name_key(name: str) -> str:
    """What makes two team names the same for one manager: case and spacing aside."""
    return " ".join(name.split()).casefold()


PREF_FIELDS = ("timezone", "delivery_time", "delivery_days", "quiet_start", "quiet_end")


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
        """Mark that the user blocked (or unblocked) the bot; unknown users are ignored.

        Blocking also clears the user's next slot: no deliveries until they return.
        """

    @abstractmethod
    async def set_prefs(
        self, user_id: int, next_slot_at: datetime | None, **prefs: object
    ) -> User | None:
        """Change delivery preferences (names in PREF_FIELDS) and the next slot together."""

    @abstractmethod
    async def set_awaiting(self, user_id: int, awaiting: str | None) -> None:
        """Remember (or forget) which typed answer the bot asked the user for."""

    @abstractmethod
    async def forget_awaiting(self, values: Sequence[str], keep: Collection[int]) -> int:
        """Clear ``awaiting`` where it is one of ``values``, except for the users ``keep``;
        answers how many were cleared (an admin's draft state once they are no longer one)."""

    @abstractmethod
    async def schedule(
        self, user_id: int, next_slot_at: datetime | None, *, only_if_unset: bool = False
    ) -> None:
        """Set the user's next slot (not for blocked users); ``only_if_unset`` keeps a set one."""

    # Subscriptions -------------------------------------------------------------------
    @abstractmethod
    async def subscriptions(self, user_id: int) -> list[SubscriptionRow]:
        """The user's subscriptions, oldest first."""

    @abstractmethod
    async def set_subscription(
        self, user_id: int, series_id: str, status: str | None, now: datetime
    ) -> None:
        """Subscribe (status 'active'), pause, resume, finish; None unsubscribes (and notes
        when, in ``users.unsubscribed_at``)."""

    # The daily slot --------------------------------------------------------------------
    @abstractmethod
    async def claim_due(self, now: datetime, limit: int) -> list[Claim]:
        """Take up to ``limit`` users whose slot is due, oldest slot first.

        Atomically records a pending delivery per (user, slot) and clears their next slot,
        so a slot is claimed once even with several workers or processes.
        """

    @abstractmethod
    async def training_facts(self, user_id: int, now: datetime) -> TrainingFacts: ...

    @abstractmethod
    async def finish_delivery(
        self, user_id: int, slot_at: datetime, outcome: DeliveryOutcome, now: datetime
    ) -> None:
        """Store a claimed slot's outcome and the next slot, in one transaction."""

    @abstractmethod
    async def mark_delivery_sending(
        self, user_id: int, slot_at: datetime, claimed_at: datetime, now: datetime
    ) -> bool:
        """The write-ahead step of a drip: the claim becomes 'sending' (at ``now``) if it is
        still the claim made at ``claimed_at``; False: it was taken over, do not send."""

    @abstractmethod
    async def recover_pending(self, now: datetime, stale_before: datetime | None = None) -> int:
        """Claims left by a dead process (returns how many): 'pending' ones are deleted and
        their slot is due again; 'sending' ones become 'unconfirmed' and their slot is due
        again so that the engine plans the next one (without resending this one).

        Only claims made (or sends started) before ``stale_before`` (None: all — a single
        process at start-up); replicas pass now minus the lease, so a live replica's claims
        are never taken.
        """

    @abstractmethod
    async def count_due(self, now: datetime) -> int:
        """How many users' slots are due (for statistics and benchmarks)."""

    # Review cards ----------------------------------------------------------------------
    @abstractmethod
    async def get_card(self, user_id: int, lesson_id: str, question: int) -> Card | None: ...

    @abstractmethod
    async def card_by_id(self, card_id: int) -> Card | None: ...

    @abstractmethod
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
        whatever the count). Returns the stored card, or None if the guard failed.
        """

    @abstractmethod
    async def due_cards(self, user_id: int, now: datetime, limit: int) -> list[Card]: ...

    @abstractmethod
    async def retire_cards(self, questions: Mapping[str, int]) -> int:
        """Delete the review cards (and their history) of questions no longer in the content:
        a lesson not in ``questions`` (lesson id -> its number of questions), or a question
        index past that number. Returns how many (run at start-up, after a deploy)."""

    @abstractmethod
    async def count_due_cards(self, user_id: int, now: datetime) -> int: ...

    # Activity --------------------------------------------------------------------------
    @abstractmethod
    async def add_activity(self, user_id: int, day: date) -> None:
        """Note a day (learner's local date) with a lesson, quiz answer or review."""

    @abstractmethod
    async def activity_days(self, user_id: int) -> list[date]: ...

    # Broadcasts ------------------------------------------------------------------------
    @abstractmethod
    async def create_broadcast(
        self, admin_id: int, target: str, source_chat_id: int, source_message_id: int,
        now: datetime,
    ) -> Broadcast: ...  # fmt: skip

    @abstractmethod
    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None: ...

    @abstractmethod
    async def update_broadcast(self, broadcast_id: int, **fields: object) -> Broadcast | None:
        """Change draft details (names in BROADCAST_FIELDS; audience as an Audience)."""

    @abstractmethod
    async def audience_size(
        self, audience: Audience, now: datetime, default_language: str
    ) -> int: ...

    @abstractmethod
    async def confirm_broadcast(
        self,
        broadcast_id: int,
        run_at: datetime | None,
        now: datetime,
        default_language: str,
        channel_id: int | str | None = None,
    ) -> Broadcast | None:
        """Draft -> queued (or scheduled): fix the recipients in the same transaction.

        None if the broadcast is no longer a draft (a double-pressed confirm sends once).
        """

    @abstractmethod
    async def set_broadcast_status(
        self, broadcast_id: int, status: str, expected: tuple[str, ...], now: datetime
    ) -> bool:
        """Compare-and-set the status; False if it was not one of ``expected``."""

    @abstractmethod
    async def next_broadcast(self, now: datetime) -> Broadcast | None:
        """The broadcast to run now: a running one, else the oldest queued, else a due
        scheduled one (which becomes queued)."""

    @abstractmethod
    async def pending_recipients(
        self, broadcast_id: int, limit: int, after: int | None = None
    ) -> list[int]:
        """Pending recipients in chat-id order (``after``: only ids above it, a cursor)."""

    @abstractmethod
    async def claim_recipients(
        self, broadcast_id: int, owner: str, limit: int, now: datetime, stale_before: datetime
    ) -> list[int]:
        """Take up to ``limit`` pending recipients for ``owner`` (unclaimed, or claimed by
        another owner before ``stale_before``: a process that died); no two owners ever get
        the same one, and an owner never gets one it holds already."""

    @abstractmethod
    async def release_recipients(self, broadcast_id: int, owner: str) -> int:
        """Give back the owner's claimed, not yet sent recipients (a graceful stop)."""

    @abstractmethod
    async def outstanding_recipients(self, broadcast_id: int) -> int:
        """Recipients still pending or being sent (by anyone)."""

    @abstractmethod
    async def mark_sending(
        self, broadcast_id: int, chat_id: int, owner: str, now: datetime
    ) -> bool:
        """The write-ahead step of one send: the recipient becomes 'sending' (at ``now``) if it
        is still pending and claimed by ``owner``; False means another process took it over
        and it must not be sent."""

    @abstractmethod
    async def record_results(
        self, broadcast_id: int, results: list[tuple[int, str, str | None]], now: datetime
    ) -> None:
        """(chat id, status, error) for recipients whose send ended."""

    @abstractmethod
    async def recipient_counts(self, broadcast_id: int) -> dict[str, int]: ...

    @abstractmethod
    async def retry_failed(self, broadcast_id: int, which: str = "failed") -> int:
        """A finished broadcast's ``which`` recipients ("failed", or "unconfirmed": sends a
        dead process left in doubt — the admin accepts possible duplicates) become pending
        again, unclaimed, and the broadcast is queued. Returns how many."""

    @abstractmethod
    async def mark_unconfirmed(self, stale_before: datetime | None = None) -> int:
        """Recipients left 'sending' by a dead process become 'unconfirmed' (never resent);
        only those claimed before ``stale_before`` (None: all)."""

    @abstractmethod
    async def broadcasts(self, limit: int) -> list[tuple[Broadcast, dict[str, int]]]: ...

    # Assessments ---------------------------------------------------------------------
    @abstractmethod
    async def start_assessment(self, user_id: int, now: datetime) -> Assessment:
        """The user's unfinished assessment, or a new one when there is none.

        Never a second unfinished one: answers in progress are never orphaned (a team's join
        link, a double tap on Start). Only :meth:`restart_assessment` discards them.
        """

    @abstractmethod
    async def restart_assessment(
        self, assessment_id: int, user_id: int, now: datetime
    ) -> Assessment:
        """Discard the user's unfinished assessment ``assessment_id`` (if it still is the open
        one) and return the open assessment: a new one, or one opened meanwhile."""

    @abstractmethod
    async def current_assessment(self, user_id: int) -> Assessment | None:
        """The user's latest unfinished assessment, if any."""

    @abstractmethod
    async def finished_assessments(self, user_id: int, limit: int = 2) -> list[Assessment]:
        """The latest finished assessments, newest first."""

    @abstractmethod
    async def get_assessment(self, assessment_id: int) -> Assessment | None: ...

    @abstractmethod
    async def rate_obstacle(
        self, assessment_id: int, user_id: int, lesson_id: str, rating: int, now: datetime
    ) -> bool:
        """Store (or change) one rating of the user's own unfinished assessment."""

    @abstractmethod
    async def finish_assessment(self, assessment_id: int, user_id: int, now: datetime) -> bool: ...

    # Teams -----------------------------------------------------------------------------
    @abstractmethod
    async def create_team(
        self, manager_id: int, name: str, code: str, now: datetime
    ) -> Team | None:
        """A new team; its manager is its first member. None when the manager already has a
        team of that name (compared by :func:`team_name_key`: case and spacing aside)."""

    @abstractmethod
    async def team_by_code(self, code: str) -> Team | None: ...

    @abstractmethod
    async def get_team(self, team_id: int) -> Team | None: ...

    @abstractmethod
    async def join_team(self, team_id: int, user_id: int, now: datetime) -> bool:
        """True if the user joined just now (False: already a member)."""

    @abstractmethod
    async def leave_team(self, team_id: int, user_id: int) -> bool: ...

    @abstractmethod
    async def delete_team(self, team_id: int, manager_id: int) -> bool: ...

    @abstractmethod
    async def teams_of(self, user_id: int) -> list[Team]:
        """Teams the user manages or belongs to."""

    @abstractmethod
    async def is_member(self, team_id: int, user_id: int) -> bool: ...

    @abstractmethod
    async def team_latest_ratings(
        self, team_id: int, excluding: int | None = None
    ) -> list[dict[str, int]]:
        """Each member's latest finished assessment (no user ids: aggregates only).

        ``excluding`` leaves out one member, the viewer: a manager's own answers never
        count toward (or sit inside) the figures the manager sees.
        """

    # Personal data ---------------------------------------------------------------------
    @abstractmethod
    async def personal_data(self, user_id: int) -> dict[str, object]:
        """What is stored about a user: the profile and counts of every kind of record."""

    @abstractmethod
    async def delete_personal_data(self, user_id: int) -> bool:
        """Delete the user and everything linked to them (teams they manage included)."""

    # Statistics ------------------------------------------------------------------------
    @abstractmethod
    async def stats(self, now: datetime, default_language: str) -> Stats: ...

    @abstractmethod
    async def question_stats(self) -> list[QuestionStats]: ...

    @abstractmethod
    async def daily_activity(self, since: date) -> list[tuple[date, int, int]]:
        """Per day since ``since``: (day, learners active, lessons completed)."""

    @abstractmethod
    async def export_progress(self) -> list[dict[str, object]]:
        """One row per learner: ids, language, dates, counts (no message contents)."""

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
        self,
        user_id: int,
        lesson_id: str,
        total: int,
        now: datetime,
        option_orders: tuple[tuple[int, ...], ...] = (),
        quiz_shape: str | None = None,
    ) -> Attempt:
        """Begin a new quiz attempt (earlier unfinished ones for the lesson are abandoned).

        ``option_orders`` is kept with it: how each question's options are shown, so that an
        answer is judged against what the learner saw, by any process, after any restart;
        ``quiz_shape``, so that an answer after a deploy that changed the quiz is refused.
        """

    @abstractmethod
    async def get_attempt(self, attempt_id: int) -> Attempt | None: ...

    @abstractmethod
    async def latest_attempt(self, user_id: int) -> Attempt | None:
        """The user's most recent quiz attempt, finished or not (None: never took a quiz).

        Unfinished, it is the quiz the learner is in the middle of: only the latest attempt at
        a lesson takes answers, and this one is the latest of all."""

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
