"""A bot on an injected clock (the tests move it) with a fast tick: the drip, reviews,
subscriptions. Kyiv is UTC+2 in November."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e.conftest import FakeClock, Harness
from tests.e2e.reading import button_for

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # Monday 12:00 in Kyiv


SUBSCRIBE = "🔔 Subscribe to the series"


FREE_TEXT_HINT = (
    "Sorry, I can’t answer typed messages: I work with buttons and commands. "
    "Choose from the menu below, or see /help."
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


# the settings of the harness fixture ``h`` (tests/e2e/conftest.py) in these modules
HARNESS = {"tick_seconds": 0.05, "bulk_rate": 0}


def labels(message) -> list[tuple[str, str]]:
    return list(message.buttons)


async def set_kyiv(user) -> None:
    await user.send("/settings")
    overview = await user.next_message()
    assert "Lesson schedule" in overview.text
    await user.press(overview, data="set:z")  # the zone's page, whatever its label says
    picker = await user.next_edit()
    await user.press(picker, data="sz:0")  # Europe/Kyiv
    saved = await user.next_edit()
    assert "Kyiv" in saved.text


async def subscribe(user, series_id: str) -> str:
    await user.send("/lessons")
    listing = await user.next_message()
    await user.press_raw(listing, f"s:{series_id}:0")
    series = await user.next_edit()
    await user.press(series, SUBSCRIBE)
    confirmation = await user.next_message()
    assert "You are subscribed to" in confirmation.text
    return confirmation.text


async def newcomer(h: Harness, user_id: int = 1001, language: str = "en"):
    user = h.user(user_id, language=language)
    await user.send("/start")
    await user.next_message()
    await set_kyiv(user)
    return user


async def take_quiz(h, user, lesson_id: str, right: bool = False) -> int:
    """Open a lesson by deep link and answer every question right or wrong (by reading the
    options as shown), then leave the "how useful?" question unanswered; the number of
    questions."""
    await quiz_then_rating(h, user, lesson_id, right)
    return len(h.catalog.lesson("en", lesson_id)[1].quiz)


async def quiz_then_rating(h, user, lesson_id: str, right: bool = False):
    """As :func:`take_quiz`, returning the score's message and the "how useful was it?"
    one that follows it."""
    _, lesson = h.catalog.lesson("en", lesson_id)
    await user.send(f"/start l_{lesson_id}")
    shown = await user.next_message()
    await user.press(shown, "📝 Take the quiz")
    for question in lesson.quiz:
        asked = await user.next_message()
        assert question.question in asked.text
        pick = question.correct if right else (question.correct + 1) % len(question.options)
        await user.press(asked, data=button_for(asked, question.options[pick]))
        await user.next_edit()
    result = await user.next_message()
    assert "Quiz done" in result.text
    rating = await user.next_message()
    assert "How useful is" in rating.text
    return result, rating


def question_in(h, message, lesson_id: str):
    """The quiz question of ``lesson_id`` that a review card shows."""
    _, lesson = h.catalog.lesson("en", lesson_id)
    return next(q for q in lesson.quiz if q.question in message.text)


async def blocked(h: Harness, user_id: int) -> bool:
    user = await h.storage.get_user(user_id)
    return bool(user and user.blocked and user.next_slot_at is None)


async def restart_at(h: Harness, clock: FakeClock, moment: datetime) -> None:
    """The bot down, the clock moved on (slots missed meanwhile), the bot up again."""
    await h.stop()
    clock.set(moment)
    await h.start()


async def quiet_hours_picker(user):
    """/settings, then 🌙 Quiet hours: the picker (an edit of the settings message)."""
    await user.send("/settings")
    overview = await user.next_message()
    await user.press(overview, "🌙 Quiet hours")
    return await user.next_edit()


async def subscriber(h: Harness, user_id: int = 1001):
    """A newcomer in Kyiv subscribed to the first series ("Why customer-centricity fails")."""
    user = await newcomer(h, user_id)
    await subscribe(user, "why-cx-fails")
    return user
