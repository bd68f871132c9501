"""The channel and the bot as one funnel, end to end on the injected clock: a planned teaser
and quiz poll reach the channel; a reader who opens the teaser's button starts the bot on the
lesson and is counted, step by step, against that post in /stats → 🔗 Sources, beside the
quiz poll's votes and the post's reactions."""

from __future__ import annotations

from tests.e2e import admins
from tests.e2e.admins import CHANNEL_ID, admin
from tests.e2e.clocked import at, subscribe
from tests.e2e.steps import take_quiz
from tests.e2e.test_channel import LESSON, plan_quiz, plan_teaser, posted, posts

START, HARNESS = admins.START, admins.HARNESS  # Monday 23 November 2026, 10:00 UTC


async def test_a_reader_of_a_channel_post_is_counted_through_the_funnel(h, standin, clock):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    await plan_teaser(boss)
    await plan_quiz(boss)
    clock.set(at(23, 12, 0))
    await posted(h)
    teaser, poll = posts(channel)

    reader = h.user(1001, "Ann", "en")
    await reader.press_url(teaser, "📖 Open the lesson in the bot")
    assert "I’m CX Coach" in (await reader.next_message()).text
    opened = await reader.next_message()
    _, lesson = h.catalog.lesson("en", LESSON)
    assert opened.text.startswith(lesson.title)
    await take_quiz(reader, opened, lesson)
    await subscribe(reader, "why-cx-fails")
    for voter, option in ((2001, 0), (2002, 1), (2003, 1)):
        await h.user(voter).answer_poll(poll.poll.id, [option])
    standin.react(channel, teaser.message_id, {"👍": 5, "🔥": 2})
    clock.advance(days=8)
    await h.settle()
    reader.skip_pending()
    await reader.send("/menu")  # still here a week after arriving
    await reader.next_message()

    await boss.send("/stats")
    report = await boss.next_message()
    await boss.next_message()  # the 30-day chart
    await boss.press(report, "🔗 Sources")
    sources = (await boss.next_message()).text
    assert lesson.title in sources
    assert "▶️ 1 (1) · 📖 1 · 📝 1 · 🔔 1 · 📅 7 days: 1 of 1 · 30 days: —" in sources
    assert "👍 5" in sources and "🔥 2" in sources  # the teaser's reactions beside it
    assert "📊 Poll: A 1 · B 2 · C 0 · D 0" in sources  # the poll's votes per option
    assert "1001" not in sources and "Ann" not in sources  # counts only, never who
