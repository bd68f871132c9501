"""/start: deep links, and a returning learner's home (what to go on with)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services import quiz, start
from bot.services.env import Env, Gone
from content.model import Catalog, SeriesContent
from tests import lessons as made
from tests.hermetic import HermeticSettings

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def series(series_id: str, *ids: str) -> SeriesContent:
    return made.series(series_id, 1, (made.lesson(i, n) for n, i in enumerate(ids, 1)))


def test_deep_links():
    assert start.parse_deep_link("s_why-cx-fails") == start.DeepLink("series", "why-cx-fails")
    assert start.parse_deep_link("l_silos") == start.DeepLink("lesson", "silos")
    for bad in (None, "", "x_silos", "l_", "l_Silos", "l_silos;drop", "s_" + "a" * 30):
        assert start.parse_deep_link(bad) is None
    payload = start.deep_link_payload("lesson", "not-my-job")
    assert start.parse_deep_link(payload) == start.DeepLink("lesson", "not-my-job")


def _catalog() -> Catalog:
    return Catalog(languages={"en": (series("aa", "a1", "a2", "a3"), series("bb", "b1", "b2"))})


def _attempt(lesson_id: str, current: int, total: int = 2, finished: bool = False, **kw):
    from domain.records import Attempt

    return Attempt(
        id=7, user_id=1, lesson_id=lesson_id, total=total, current=current, correct=0,
        started_at=NOW, finished_at=NOW if finished else None, **kw,
    )  # fmt: skip


def test_next_to_read_goes_on_after_the_latest_quiz():
    cat = _catalog()
    nxt = start.next_to_read
    # Nothing done: the very first lesson, as a start (not a "continue").
    first = nxt(cat, "en", set(), set())
    assert (first.lesson.id, first.started) == ("a1", False)
    # After a1's quiz: a2. A lesson read without its quiz is still to complete: a2 again.
    assert nxt(cat, "en", {"a1"}, {"a1"}, "a1").lesson.id == "a2"
    assert nxt(cat, "en", {"a1", "a2"}, {"a1"}, "a1").lesson.id == "a2"
    # Jumped ahead to a3's quiz: the skipped a2 next, then the next series.
    assert nxt(cat, "en", {"a1", "a3"}, {"a1", "a3"}, "a3").lesson.id == "a2"
    done_a = {"a1", "a2", "a3"}
    went_on = nxt(cat, "en", done_a, done_a, "a3")
    assert (went_on.series.id, went_on.lesson.id, went_on.started) == ("bb", "b1", True)
    # The latest quiz in the last series, the first one unfinished: wraps round to it.
    assert nxt(cat, "en", {"b1", "b2"}, {"b1", "b2"}, "b2").lesson.id == "a1"
    # No quiz yet, lessons opened (by a drip): the first one of that series not completed.
    assert nxt(cat, "en", {"b1"}, set()).lesson.id == "b1"
    # The latest quiz's lesson is gone from the content: still a sensible next lesson.
    assert nxt(cat, "en", {"a1"}, {"a1"}, "removed").lesson.id == "a2"
    everything = done_a | {"b1", "b2"}
    assert nxt(cat, "en", everything, everything, "b2") is None


def test_a_quiz_in_progress_is_one_that_can_go_on():
    cat = _catalog()
    going = quiz.quiz_in_progress(cat, "en", _attempt("a2", 1, option_orders=((1, 0), (1, 0))))
    assert going is not None and (going.lesson.id, going.index, going.order) == ("a2", 1, (1, 0))
    assert going.waiting(NOW + quiz.QUIZ_WAIT)
    assert not going.waiting(NOW + quiz.QUIZ_WAIT + timedelta(seconds=1))
    assert quiz.quiz_in_progress(cat, "en", None) is None
    assert quiz.quiz_in_progress(cat, "en", _attempt("a2", 2, finished=True)) is None
    assert quiz.quiz_in_progress(cat, "en", _attempt("gone", 0)) is None  # lesson removed
    assert quiz.quiz_in_progress(cat, "en", _attempt("a2", 0, total=3)) is None  # quiz changed


async def test_what_next_reads_the_quiz_in_progress_and_the_latest_quiz(db):
    clock = [NOW]
    env = Env(HermeticSettings(), db, _catalog(), lambda: clock[0])
    me, _ = await db.touch_user(1, "A", "en", NOW)
    stranger, _ = await db.touch_user(2, "B", "en", NOW)
    empty = await start.what_next(env, me, "en")
    assert empty.quiz is None and not empty.reviews_due and empty.next_delivery is None
    assert (empty.lesson.lesson.id, empty.lesson.started) == ("a1", False)

    attempt = await db.start_attempt(1, "a1", 2, NOW)
    await db.record_answer(attempt.id, 1, 0, 0, True, NOW)
    midway = await start.what_next(env, me, "en")
    assert midway.quiz.attempt.id == attempt.id and midway.quiz.index == 1
    assert await start.resumable_quiz(env, me, "en", attempt.id) is not None
    with pytest.raises(Gone):  # not theirs
        await start.resumable_quiz(env, stranger, "en", attempt.id)
    assert await quiz.waiting_quiz(env, me, "en") is not None
    clock[0] = NOW + quiz.QUIZ_WAIT * 2
    assert await quiz.waiting_quiz(env, me, "en") is None  # left long ago

    await db.record_answer(attempt.id, 1, 1, 0, True, NOW)
    after = await start.what_next(env, me, "en")
    assert after.quiz is None and after.lesson.lesson.id == "a2" and after.lesson.started
    with pytest.raises(Gone):  # finished
        await start.resumable_quiz(env, me, "en", attempt.id)


def test_broken_deep_links_say_what_they_were_for():
    assert start.broken_link_kind("l_Bad-Link") == "lesson"
    assert start.broken_link_kind("sub_" + "x" * 40) == "subscribe"
    assert start.broken_link_kind("t_") == "team"
    assert start.broken_link_kind("l_silos") is None  # a valid link is not broken
    assert start.broken_link_kind("group") is None  # not one of our links
    assert start.broken_link_kind(None) is None
