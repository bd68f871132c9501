"""Quiz answers are judged against the order the options were shown in (stored per attempt)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from bot.services import quiz
from bot.services.env import Env
from bot.services.quiz import Verdict, attempt_order, new_order, shown_order
from content.model import Catalog
from domain.records import User
from tests import lessons
from tests.hermetic import HermeticSettings

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def _catalog(options: int = 4) -> Catalog:
    """One lesson, id silos, two questions whose right option is index 2."""
    asked = lessons.question([f"option {i}" for i in range(options)], correct=2)
    return lessons.catalog({"en": [lessons.lesson("silos", quiz=[asked, asked])]})


def test_new_orders_are_permutations_and_all_orders_come_up():
    seen = Counter(new_order(4) for _ in range(2400))
    assert all(sorted(order) == [0, 1, 2, 3] for order in seen)
    assert len(seen) == 24  # every one of the 4! orders appears
    assert max(seen.values()) < 3 * min(seen.values())  # and none is favoured much
    # where the right option (index 2) is shown is spread evenly over A-D
    positions = Counter(order.index(2) for order in seen.elements())
    assert all(500 < n < 700 for n in positions.values())


def test_a_stored_order_that_no_longer_fits_the_question_is_refused():
    assert shown_order(None, 3) == (0, 1, 2)  # made before shuffling: file order
    assert shown_order((2, 0, 1), 3) == (2, 0, 1)
    assert shown_order((2, 0, 1), 4) is None  # the question gained an option since
    assert shown_order((0, 0, 1), 3) is None


async def test_the_press_is_judged_by_the_position_the_learner_saw(db):
    env = _env(db, _catalog())
    me, started = await _start(env)
    order = started.attempt.option_orders[0]
    assert sorted(order) == [0, 1, 2, 3]
    again = await db.get_attempt(started.attempt.id)  # another process reads the same order
    assert again is not None and again.option_orders == started.attempt.option_orders
    right_position = order.index(2)
    outcome = await quiz.answer(env, me, "en", started.attempt.id, 0, right_position)
    assert outcome.verdict is Verdict.JUDGED and outcome.correct and outcome.chosen == 2
    assert outcome.order == order
    wrong_position = (right_position + 1) % 4
    second = started.attempt.option_orders[1]
    outcome = await quiz.answer(
        env, me, "en", started.attempt.id, 1, second.index(order[wrong_position])
    )
    assert outcome.verdict is Verdict.JUDGED and not outcome.correct
    assert outcome.chosen == order[wrong_position]


async def test_out_of_range_positions_and_changed_questions(db):
    me, started = await _start(_env(db, _catalog()))
    bad = await quiz.answer(_env(db, _catalog()), me, "en", started.attempt.id, 0, 4)
    assert bad.verdict is Verdict.INVALID
    shorter = _catalog(options=3)  # the lesson was edited: the shown order no longer fits
    changed = await quiz.answer(_env(db, shorter), me, "en", started.attempt.id, 0, 0)
    assert changed.verdict is Verdict.CHANGED


async def test_attempts_made_before_shuffling_are_judged_in_file_order(db):
    me = await _user(db)
    legacy = await db.start_attempt(1, "silos", 2, NOW)  # no orders stored
    assert legacy.option_orders == ()
    assert attempt_order(legacy, 0, 4) == (0, 1, 2, 3)
    outcome = await quiz.answer(_env(db, _catalog()), me, "en", legacy.id, 0, 2)
    assert outcome.correct


def _env(db, catalog: Catalog) -> Env:
    return Env(HermeticSettings(), db, catalog, lambda: NOW)


async def _user(db) -> User:
    user, _ = await db.touch_user(1, "Ann", "en", NOW)
    return user


async def _start(env: Env) -> tuple[User, quiz.QuizStart]:
    me = await _user(env.storage)
    started = await quiz.start(env, me, "en", "silos")
    assert started is not None
    return me, started


def test_the_quiz_shape_follows_the_key_not_the_wording():
    from bot.services.quiz import attempt_fits, quiz_shape
    from domain.records import Attempt

    english = lessons.lesson("silos", quiz=[lessons.question(["a", "b", "c"], correct=2)] * 2)
    russian = lessons.lesson("silos", quiz=[lessons.question(["а", "б", "в"], correct=2)] * 2)
    assert quiz_shape(english) == quiz_shape(russian) == "3.2,3.2"  # the same in every language
    first = english.quiz[0]
    reworded = first.model_copy(update={"question": "Reworded?"})
    moved = first.model_copy(update={"correct": 0})
    same = english.model_copy(update={"quiz": [reworded, english.quiz[1]]})
    other = english.model_copy(update={"quiz": [moved, english.quiz[1]]})
    longer = english.model_copy(update={"quiz": [*english.quiz, first]})
    assert quiz_shape(same) == quiz_shape(english) != quiz_shape(other)
    attempt = Attempt(1, 1, "silos", 2, 0, 0, NOW, None, quiz_shape=quiz_shape(english))
    assert attempt_fits(attempt, same) and not attempt_fits(attempt, other)
    assert not attempt_fits(attempt, longer)
    legacy = Attempt(1, 1, "silos", 2, 0, 0, NOW, None)  # an attempt from before shapes
    assert attempt_fits(legacy, other)
