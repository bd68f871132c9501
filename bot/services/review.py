"""Spaced review: every answered quiz question becomes an FSRS card (the ``fsrs`` library).

A wrong answer rates the card Again; a right one Good, or Easy when it came quickly for the
question's length (see :func:`rating_for`). The bot speaks once a day at most, so the
scheduler works in days: no intra-day learning steps.

Each review shows the options in an order of its own: the order of a card's next review is
drawn when its previous answer is saved and stored on the card, so every message showing the
card (two /review screens, another replica, after a restart) shows and judges the same order.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from bot.services.env import Env
from bot.services.options import new_order, shown_order
from bot.services.schedule import Prefs, local_day, prefs_of
from content.model import Catalog, Lesson, QuizQuestion
from domain.records import Card, User
from storage.store import Storage

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


READING_CHARS_PER_SECOND = 20.0  # a brisk reader of business prose


EASY_MARGIN_SECONDS = 3.0  # time to find and press the button


REVIEW_BATCH = 20  # due cards /review takes in one session


def rating_for(correct: bool, seconds: float | None, question: QuizQuestion) -> Rating:
    """Again when wrong; Easy when right within reading time + a margin; otherwise Good."""
    if not correct:
        return Rating.Again
    if seconds is None:
        return Rating.Good
    chars = len(question.question) + sum(len(option) for option in question.options)
    easy_within = chars / READING_CHARS_PER_SECOND + EASY_MARGIN_SECONDS
    return Rating.Easy if seconds <= easy_within else Rating.Good


def schedule_card(state: str | None, rating: Rating, now: datetime) -> tuple[str, datetime]:
    """The card's next FSRS state (JSON) and due time after one review."""
    card = FsrsCard.from_json(state) if state else FsrsCard(due=now)
    card, _ = SCHEDULER.review_card(card, rating, review_datetime=now)
    return card.to_json(), card.due


async def record_quiz_answer(
    storage: Storage,
    user_id: int,
    lesson: Lesson,
    question_index: int,
    correct: bool,
    seconds: float | None,
    prefs: Prefs,
    now: datetime,
) -> Card | None:
    """A judged quiz answer: review (or create) its card and note the day's activity."""
    existing = await storage.get_card(user_id, lesson.id, question_index)
    card = await _review(
        storage,
        user_id,
        lesson.id,
        question_index,
        lesson.quiz[question_index],
        existing.fsrs if existing else None,
        None,
        correct,
        seconds,
        "quiz",
        now,
    )
    await storage.add_activity(user_id, local_day(now, prefs))
    return card


async def _review(
    storage: Storage,
    user_id: int,
    lesson_id: str,
    question_index: int,
    question: QuizQuestion,
    state: str | None,
    expected_reviews: int | None,
    correct: bool,
    seconds: float | None,
    source: str,
    now: datetime,
) -> Card | None:
    """Rate one answer, move the card on with FSRS and store both (guarded by the count)."""
    rating = rating_for(correct, seconds, question)
    new_state, due = schedule_card(state, rating, now)
    return await storage.save_review(
        user_id,
        lesson_id,
        question_index,
        new_state,
        due,
        expected_reviews=expected_reviews,
        rating=int(rating),
        correct=correct,
        source=source,
        seconds=seconds,
        now=now,
        option_order=new_order(len(question.options)),
    )


class ReviewVerdict(enum.Enum):
    JUDGED = "judged"
    STALE = "stale"  # answered already (double press, old message)
    GONE = "gone"  # the question no longer exists in the content
    INVALID = "invalid"  # not this user's card, or nonsense


@dataclass(frozen=True)
class ReviewOutcome:
    """A review answer, judged (or why not), and what comes next."""

    verdict: ReviewVerdict
    # what was answered: the card (rescheduled, once judged) and its question
    card: Card | None = None
    lesson: Lesson | None = None
    question: QuizQuestion | None = None
    # the answer
    chosen: int = 0  # the option's index in the content
    order: tuple[int, ...] = ()  # the options as the learner saw them
    correct: bool = False
    # once judged
    prefs: Prefs | None = None  # the learner's (days are local)
    then: ReviewStep | None = None  # the next due card, or that none is left


def card_order(card: Card, question: QuizQuestion) -> tuple[int, ...]:
    """How the card's current review shows the question's options."""
    count = len(question.options)
    return shown_order(card.option_order, count) or tuple(range(count))


def card_question(
    catalog: Catalog, language: str, card: Card
) -> tuple[Lesson, QuizQuestion] | None:
    found = catalog.lesson(language, card.lesson_id)
    if found is None or card.question >= len(found[1].quiz):
        return None
    return found[1], found[1].quiz[card.question]


async def answer_review(
    storage: Storage,
    catalog: Catalog,
    user_id: int,
    language: str,
    card_id: int,
    asked_reviews: int,
    position: int,
    seconds: float | None,
    prefs: Prefs,
    now: datetime,
) -> ReviewOutcome:
    """Judge a review answer; only the first answer to a card as it was asked counts."""
    card = await storage.card_by_id(card_id)
    if card is None or card.user_id != user_id:
        return ReviewOutcome(ReviewVerdict.INVALID)
    found = card_question(catalog, language, card)
    if found is None:
        return ReviewOutcome(ReviewVerdict.GONE, card)
    lesson, question = found
    order = card_order(card, question)
    if not 0 <= position < len(order):
        return ReviewOutcome(ReviewVerdict.INVALID, card)
    if card.reviews != asked_reviews:
        return ReviewOutcome(ReviewVerdict.STALE, card, lesson, question)
    option = order[position]
    correct = option == question.correct
    saved = await _review(
        storage,
        user_id,
        card.lesson_id,
        card.question,
        question,
        card.fsrs,
        asked_reviews,
        correct,
        seconds,
        "review",
        now,
    )
    if saved is None:  # a concurrent press got there first
        return ReviewOutcome(ReviewVerdict.STALE, card, lesson, question)
    await storage.add_activity(user_id, local_day(now, prefs))
    return ReviewOutcome(ReviewVerdict.JUDGED, saved, lesson, question, option, order, correct)


async def next_due_card(
    storage: Storage, catalog: Catalog, user_id: int, language: str, now: datetime
) -> tuple[Card, Lesson, QuizQuestion] | None:
    """The next due card whose question still exists (vanished ones are skipped)."""
    for card in await storage.due_cards(user_id, now, REVIEW_BATCH):
        found = card_question(catalog, language, card)
        if found is not None:
            return card, *found
    return None


async def next_due_at(storage: Storage, user_id: int, now: datetime) -> datetime | None:
    """When the learner's next card falls due (None: no cards at all)."""
    # due_cards lists by due time; "due by ten years from now" is every card there is.
    cards = await storage.due_cards(user_id, now + timedelta(days=3650), 1)
    return cards[0].due_at if cards else None


# Use cases -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewStep:
    """The next due card to ask (with its options' order and how many are due), or — when
    none is left — when the next one falls due."""

    card: Card | None
    question: QuizQuestion | None
    order: tuple[int, ...]
    due: int  # cards due now, this one included
    shown_at: int  # unix seconds: the button carries it, to time the answer
    next_due: datetime | None  # no card left: when the next falls due (None: no cards)
    prefs: Prefs
    now: datetime


async def next_review(env: Env, user: User, lang: str) -> ReviewStep:
    """/review: the next due card whose question still exists."""
    now, prefs = env.now(), prefs_of(user, lang)
    found = await next_due_card(env.storage, env.catalog, user.id, lang, now)
    if found is None:
        next_due = await next_due_at(env.storage, user.id, now)
        return ReviewStep(None, None, (), 0, 0, next_due, prefs, now)
    card, _, question = found
    due = await env.storage.count_due_cards(user.id, now)
    return ReviewStep(
        card, question, card_order(card, question), due, int(now.timestamp()), None, prefs, now
    )


async def answer(
    env: Env, user: User, lang: str, card_id: int, reviews: int, position: int, shown_at: int
) -> ReviewOutcome:
    """rv:<card>:<n>:<pos>:<ts>: judge the answer (timed from ``shown_at``), reschedule the
    card; once judged, the next due card comes with the outcome."""
    now, prefs = env.now(), prefs_of(user, lang)
    seconds = max(0.0, now.timestamp() - shown_at) if shown_at else None
    outcome = await answer_review(
        env.storage, env.catalog, user.id, lang, card_id, reviews, position, seconds, prefs, now
    )
    if outcome.verdict is not ReviewVerdict.JUDGED:
        return outcome
    return replace(outcome, prefs=prefs, then=await next_review(env, user, lang))
