"""What e2e tests do as a learner and read back: toasts, labels, the live message, waiting."""

from __future__ import annotations

import asyncio

from tests.e2e.reading import button_for


async def next_toast(user) -> str | None:
    """The text of the bot's next callback answer in the user's chat (None: no text)."""
    event = await user.next_event(kinds=("callback_answer",))
    return event.callback.answer.get("text")


def plain(html: str) -> str:
    """What Telegram shows for one of our HTML strings (for comparing with transcripts)."""
    from content.telegram_html import parse_html

    return parse_html(html).text


async def wait_until(predicate, within: float = 3.0) -> None:
    """Poll an async predicate (a DB flag written by a handler) until it holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def labels(message) -> list[str]:
    return [text for text, _ in message.buttons]


def data_of(message, label: str) -> str:
    for text, data in message.buttons:
        if text == label:
            return data
    raise AssertionError(f"no button {label!r} in {labels(message)}")


async def answer_right(user, asked, question) -> None:
    await user.press(asked, data=button_for(asked, question.options[question.correct]))
    await next_toast(user)
    await user.next_edit()


async def take_quiz(user, lesson_message, lesson) -> None:
    """Take a lesson's whole quiz from its lesson message, every answer right (the "how
    useful?" question that follows the score is left unanswered)."""
    await user.press(lesson_message, data=f"qs:{lesson.id}")
    for question in lesson.quiz:
        await answer_right(user, await user.next_message(), question)
    await user.next_message()  # the score
    await user.next_message()  # how useful was it?


def live(user, message):
    """The message as the user sees it now (edit events hold snapshots)."""
    return user.chat.messages[message.message_id]


async def lesson_by_link(user, lesson):
    """The learner opens ``lesson`` by its deep link (/start l_<id>): the lesson's message
    (after the greeting or home that /start shows first)."""
    await user.send(f"/start l_{lesson.id}")
    await user.next_message()
    return await user.next_message()
