"""The configuration an operator runs: every setting at its default, the rate limiter on.

Most end-to-end tests switch the limiter off to stay fast. These walk the core paths — the
journey, a quiz answered right and wrong, a daily drip — with the production defaults, so
replies pass ``ReplyFirstRateLimiter``'s per-chat limits and the drip passes the bulk pacer
and the overall bucket, as they do for real learners.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest_asyncio

from bot.config import Settings
from bot.i18n import translator
from bot.ratelimit import ReplyFirstRateLimiter
from standin import BotAPIStandIn
from tests.e2e.conftest import FakeClock, Harness
from tests.e2e.reading import button_for, letter_of
from tests.e2e.steps import next_toast, plain

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 10:00 in London


@pytest_asyncio.fixture
async def prod(standin: BotAPIStandIn, tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    harness = Harness(standin, tmp_path / "cx.sqlite3", clock=clock, production=True)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


def test_the_harness_runs_the_defaults_with_the_limiter_on(prod):
    defaults = Settings.model_fields
    for name in ("rate_limit", "bulk_rate", "tick_seconds", "lease_seconds", "http_client"):
        assert getattr(prod.settings, name) == defaults[name].default, name
    assert prod.settings.rate_limit > 0
    assert isinstance(prod.app.bot.rate_limiter, ReplyFirstRateLimiter)


async def test_journey_and_quiz_with_the_production_defaults(prod):
    t = translator("en")
    user = prod.user(7001, "Olena", "en")
    series = prod.catalog.series_list("en")[0]
    lesson = series.lessons[0]

    await user.send("/start")
    greeting = await user.next_message()
    assert "Hi, Olena! I’m CX Coach." in greeting.text
    await user.press(greeting, button_text=t._("📚 Lessons"))
    listing = await user.next_edit()
    assert series.series.title in listing.text
    await user.press(listing, data=f"s:{series.id}:0")
    series_screen = await user.next_edit()
    assert series_screen.text.startswith(series.series.title)
    await user.press(series_screen, data=f"l:{lesson.id}")
    shown = await user.next_message()
    assert shown.text.startswith(lesson.title) and plain(lesson.key_idea) in shown.text

    await user.press(shown, button_text=t._("📝 Take the quiz"))
    right = 0
    for index, question in enumerate(lesson.quiz):
        asked = await user.next_message()
        assert question.question in asked.text
        key = question.options[question.correct]
        wrong = question.options[(question.correct + 1) % len(question.options)]
        chosen = key if index == 0 else wrong  # the first right, the rest wrong
        right_line = f"{letter_of(asked, key)}. {key}"  # (the message changes when judged)
        await user.press(asked, data=button_for(asked, chosen))
        toast = await next_toast(user)
        judged = await user.next_edit()
        assert judged.message_id == asked.message_id and not judged.buttons
        if chosen == key:
            right += 1
            assert toast == t._("✅ Right!")
            assert plain(t._("✅ Right: {answer}", answer=right_line)) in judged.text
        else:
            assert toast == t._("❌ Not quite.")
            assert question.explanation in judged.text
    score = await user.next_message()
    assert score.text.startswith(
        t.n_(
            "🏁 Quiz done: {correct} of {n} answer right.",
            "🏁 Quiz done: {correct} of {n} answers right.",
            len(lesson.quiz),
            correct=right,
        )
    )
    rating = await user.next_message()  # then: how useful was it?
    assert [text for text, _ in rating.buttons] == ["1", "2", "3", "4", "5", t._("Skip ➡️")]
    await user.send("/progress")
    progress = await user.next_message()
    assert "1 of " in progress.text and "lessons completed" in progress.text
    assert (await prod.storage.completed_lessons(7001)) == {lesson.id}
    await prod.settle()
    user.assert_no_event()
    # every reply passed the limiter and none was refused with a 429
    assert not [c for c in prod.standin.calls if c.error_code == 429]


async def test_a_drip_with_the_production_defaults(prod, clock):
    user = prod.user(7002, "Taras", "en")
    await user.send("/start sub_prejudices")
    await user.next_message()  # the greeting
    confirmation = await user.next_message()
    assert "You are subscribed to" in confirmation.text
    assert "Next delivery: Tue 24 Nov, 09:00" in confirmation.text  # London: UTC in November

    await prod.settle()  # Monday 10:00: nothing is due
    user.assert_no_event()
    clock.set(datetime(2026, 11, 24, 9, 0, 30, tzinfo=UTC))
    await prod.settle()  # a whole drain at Tuesday 09:00:30
    drip = await user.next_message(timeout=0)
    assert drip.text.startswith("📬 Your lesson for today")
    assert "Too big for personal service?" in drip.text
    await prod.settle()
    user.assert_no_event()  # once
    sent = [c for c in prod.standin.calls_of("sendMessage") if str(c.chat_id) == "7002"]
    assert len(sent) == 3  # the greeting, the confirmation, the drip
