"""Review cards: how answers are rated and how FSRS spaces them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fsrs import Rating

from bot.app import load_catalog
from bot.services.review import rating_for, schedule_card

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
QUESTION = load_catalog().lesson("en", "silos")[1].quiz[0]


def test_wrong_is_again_quick_right_is_easy_slow_right_is_good():
    reading = (len(QUESTION.question) + sum(map(len, QUESTION.options))) / 20
    assert rating_for(False, 1.0, QUESTION) is Rating.Again
    assert rating_for(True, reading, QUESTION) is Rating.Easy
    assert rating_for(True, reading + 30, QUESTION) is Rating.Good
    assert rating_for(True, None, QUESTION) is Rating.Good


def test_intervals_are_in_days_and_grow_with_good_answers():
    state, due = schedule_card(None, Rating.Again, NOW)
    assert due - NOW >= timedelta(days=1)  # no intra-day steps: the bot speaks daily
    gaps = []
    moment = NOW
    state = None
    for _ in range(4):
        state, due = schedule_card(state, Rating.Good, moment)
        gaps.append(due - moment)
        moment = due
    assert gaps == sorted(gaps) and gaps[-1] > gaps[0] * 3
    _, after_lapse = schedule_card(state, Rating.Again, moment)
    assert after_lapse - moment < gaps[-1]
