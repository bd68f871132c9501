"""The records CX Coach works with: what storage returns, services decide on and screens show.

Plain frozen dataclasses, no behaviour beyond small derived properties: storage builds them
from rows, services and render read them; none of them knows where it came from. Times are
timezone-aware UTC ``datetime`` objects.
"""

from __future__ import annotations

import enum
import json
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
    digest_day: int | None = None  # a manager's weekly digest: the weekday (0 = Monday)
    next_digest_at: datetime | None = None  # ... and when the next one is due


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
    follow_up: int | None = None  # sent: the commitment asked about ("did you try it?")
    retake: int | None = None  # sent: the assessment whose re-take was offered
    reminded: int | None = None  # sent: the assignment whose due date was recalled


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
    """What a slot decision reads besides the user row: read back to back, not in one
    transaction, so a change made meanwhile may be seen in part (the next slot sees all)."""

    subscriptions: tuple[SubscriptionRow, ...]
    opened: frozenset[str]
    completed: frozenset[str]
    reviews_due: int
    has_cards: bool
    follow_up: Commitment | None = None  # a commitment whose "did you try it?" is due
    # the latest full self-assessment: when it was finished, whether a re-take was offered
    assessed_at: datetime | None = None
    retake_offered: bool = False
    assessment_id: int | None = None
    assignments: tuple[MemberAssignment, ...] = ()  # the series the learner's teams assigned


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
    scope: str | None = None  # None: a full /assess; a series id: that series re-rated


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


@dataclass(frozen=True)
class Feedback:
    """A learner's word on a lesson after its quiz (one per learner and lesson: a retake's
    replaces it)."""

    user_id: int
    lesson_id: str
    attempt_id: int  # the attempt it followed
    usefulness: int | None  # 1..5 for the learner's work; None: skipped
    unclear: str | None  # "what was unclear?", as written
    answered_at: datetime


# A commitment's life: "not now" is declined; "I'll try it" is open until the daily slot
# asks; "not yet" once makes it later (asked again), twice not_yet; done and failed close it.
COMMITMENT_STATUSES = ("declined", "open", "later", "done", "not_yet", "failed")
OPEN_COMMITMENTS = ("open", "later")


@dataclass(frozen=True)
class Commitment:
    """The week's action of a lesson, taken on (or not) and followed up."""

    id: int
    user_id: int
    lesson_id: str
    made_at: datetime
    status: str  # one of COMMITMENT_STATUSES
    follow_up_at: datetime | None  # when a daily slot asks "did you try it?"
    asked: int  # follow-ups sent
    answered_at: datetime | None
    note: str | None  # "what happened", as written

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_COMMITMENTS


@dataclass(frozen=True)
class LessonTally:
    """One lesson's figures as counted over a group of learners (everyone, or a team's
    members but the viewer), each with how many learners it comes from (its contributors):
    the screens may show a figure only from enough of them."""

    lesson_id: str
    readers: int = 0  # learners who opened it
    finishers: int = 0  # ... and completed it (finished its quiz)
    # per question: each learner's first answer (their earliest attempt), as (n, right)
    first_answers: tuple[QuestionStats, ...] = ()
    raters: int = 0  # learners who rated its usefulness (skips not counted)
    usefulness_sum: int = 0  # the sum of those ratings (1..5 each)
    commenters: int = 0  # learners whose "what was unclear?" is written
    # commitments, one per learner: their latest taken one, else a declined one
    committers: int = 0  # learners who took it on or declined it
    declined: int = 0
    done: int = 0
    failed: int = 0
    not_yet: int = 0
    still_open: int = 0  # open or later: not answered for good yet


@dataclass(frozen=True)
class LessonComment:
    """A "what was unclear?" as written, with nothing that says who wrote it, nor when
    beyond the month."""

    lesson_id: str
    month: str  # "2026-11" (UTC)
    text: str


# The channel's posting calendar (issue 17): what a planned post is and how it went.
CHANNEL_POST_KINDS = ("teaser", "quiz", "digest", "free")
CHANNEL_POST_STATUSES = ("planned", "sending", "sent", "failed", "unconfirmed", "cancelled")


@dataclass(frozen=True)
class ChannelPost:
    id: int
    channel: str  # @username or the -100... id
    language: str
    kind: str  # one of CHANNEL_POST_KINDS
    run_at: datetime
    status: str  # one of CHANNEL_POST_STATUSES
    created_by: int
    created_at: datetime
    lesson_id: str | None = None
    series_id: str | None = None
    question: int | None = None
    source_chat_id: int | None = None
    source_message_id: int | None = None
    owner: str | None = None
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    message_id: int | None = None
    follow_message_id: int | None = None
    poll_id: str | None = None
    poll_counts: str | None = None  # JSON list: voters per option
    poll_closed: bool = False
    reactions: str | None = None  # JSON object: emoji -> count
    error: str | None = None


@dataclass(frozen=True)
class TrackedLink:
    """A start payload we can count (?start=c_<code>): a post's button, a named link, or a
    channel invite link."""

    code: str
    kind: str  # post, link, invite
    name: str
    created_at: datetime
    post_id: int | None = None
    target: str | None = None  # l_<lesson>, s_<series>; None: the home screen
    channel: str | None = None
    invite_link: str | None = None
    created_by: int | None = None


@dataclass(frozen=True)
class Bonus:
    """A bonus for channel members: the admin's message, copied to a member who asks."""

    id: int
    title: str
    source_chat_id: int
    source_message_id: int
    created_by: int
    created_at: datetime
    lesson_id: str | None = None
    series_id: str | None = None
    language: str | None = None  # None: every language


# Companies learning together (issue 18).
@dataclass(frozen=True)
class Assignment:
    """A series a team's manager assigned to the team, due by the end of ``due_on``."""

    id: int
    team_id: int
    series_id: str
    due_on: date
    created_at: datetime
    assigned_by: int | None = None
    cancelled_at: datetime | None = None


@dataclass(frozen=True)
class MemberAssignment:
    """An assignment as one of its assignees has it: the team's name, and whether the one
    reminder before the due date was sent to them."""

    id: int
    team_id: int
    team_name: str
    series_id: str
    due_on: date
    created_at: datetime
    reminded_at: datetime | None = None


@dataclass(frozen=True)
class MemberProgress:
    """One assignee's lessons completed of an assigned series (never shown by name unless
    ``shares``: the member chose to share their progress with the team's managers)."""

    user_id: int
    first_name: str
    shares: bool
    joined_at: datetime
    completed: int


@dataclass(frozen=True)
class WeekFigures:
    """A team's week without the viewer: quiz answers and lesson ratings, each with how
    many people gave them (the privacy rule needs at least 3)."""

    answers: int = 0
    correct: int = 0
    answerers: int = 0
    ratings: int = 0
    rating_sum: int = 0
    raters: int = 0


@dataclass(frozen=True)
class Certificate:
    """A finished series, certified under the name the learner chose; ``code`` verifies it."""

    code: str
    user_id: int
    series_id: str
    language: str
    name: str
    issued_at: datetime
