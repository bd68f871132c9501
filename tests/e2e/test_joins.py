"""Join requests end to end: the person greeted in their language, then approved (or, with
CXCOACH_APPROVE_JOIN_REQUESTS off, left for the admins); a refused greeting does not stop
the approval; other channels are left alone."""

from __future__ import annotations

from tests.e2e import admins
from tests.e2e.admins import CHANNEL_ID, make
from tests.e2e.steps import labels

START, HARNESS = admins.START, admins.HARNESS  # the clock and settings of the fixture h


def _channel(standin, chat_id: int = CHANNEL_ID, username: str = "cxcoach_news"):
    return standin.channel(chat_id, username=username, title="CX News", join_by_request=True)


async def _joins(h, user_id: int):
    return await h.storage.db.fetch("SELECT * FROM channel_joins WHERE user_id = :u", u=user_id)


async def test_a_request_is_greeted_in_the_persons_language_and_approved(h, standin):
    channel = _channel(standin)
    person = h.user(2001, "Оксана", language="uk")
    await person.request_join(channel)
    greeting = await person.next_message()
    assert greeting.text.startswith("👋 Ласкаво просимо до каналу CX News!")
    first = h.catalog.series_list("uk")[0].lessons[0]
    assert labels(greeting) == [f"📖 {first.title}", "📋 Самооцінювання"]
    await h.settle()
    assert 2001 in standin.channel_members(channel) and standin.join_requests(channel) == []
    [joined] = await _joins(h, 2001)
    assert (joined["channel"], joined["via"], joined["code"]) == ("@cxcoach_news", "request", None)
    # the greeting's buttons lead into the bot
    await person.press(greeting, f"📖 {first.title}")
    lesson = await person.next_message()
    assert lesson.text.startswith(first.title)


async def test_another_language_gets_the_default_and_a_refused_greeting_still_approves(h, standin):
    channel = _channel(standin)
    german = h.user(2002, "Hans", language="de")
    await german.request_join(channel)
    assert (await german.next_message()).text.startswith("👋 Welcome to the channel CX News!")
    blocking = h.user(2003, "Bob", language="en")
    await blocking.block()  # blocks the bot: the greeting is refused (403)
    await blocking.request_join(channel)
    await h.settle()
    assert blocking.bot_messages() == []
    assert {2002, 2003} <= standin.channel_members(channel)
    assert len(await _joins(h, 2003)) == 1


async def test_requests_to_other_channels_are_left_alone(h, standin):
    other = _channel(standin, -1009999999999, "someone_else")
    person = h.user(2004, "Ann", language="en")
    await person.request_join(other)
    await h.settle()
    person.assert_no_event()
    assert standin.join_requests(other) == [2004]
    assert await _joins(h, 2004) == []


async def test_without_approving_the_admins_decide(standin, tmp_path, clock):
    h = make(standin, tmp_path, clock, approve_join_requests=False)
    await h.start()
    try:
        channel = _channel(standin)
        person = h.user(2005, "Иван", language="ru")
        await person.request_join(channel)
        greeting = await person.next_message()
        assert "рассмотрят его администраторы" in greeting.text
        await h.settle()
        assert 2005 not in standin.channel_members(channel)
        assert standin.join_requests(channel) == [2005]
        assert await _joins(h, 2005) == []
    finally:
        await h.stop()
