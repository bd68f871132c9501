"""Attribution end to end: /links (admins) makes a named link and a channel invite link; a
learner who starts the bot through the link lands on its lesson and is counted through the
whole funnel in /stats → 🔗 Sources and /export's funnel.csv; a channel join through the
invite link is counted for it; non-admins get nothing; a forged code is a plain /start."""

from __future__ import annotations

import csv
import io
import re

from bot.render.kit import WIDE_LABEL, shorten
from tests.e2e import admins
from tests.e2e.admins import CHANNEL_ID, admin, learners
from tests.e2e.clocked import subscribe
from tests.e2e.steps import take_quiz

START, HARNESS = admins.START, admins.HARNESS  # the clock and settings of the fixture h

START_LINK = re.compile(r"https://t\.me/cxcoach_test_bot\?start=(c_[A-Za-z0-9_-]+)")
INVITE_LINK = re.compile(r"https://t\.me/\+[A-Za-z0-9_-]+")


async def make_link(h, boss, name: str, series, lesson) -> str:
    """/links → ➕ New link → the series → its lesson → the name typed: the URL to share."""
    await boss.send("/links")
    listing = await boss.next_message()
    assert "Tracked links" in listing.text and "No links yet." in listing.text
    await boss.press(listing, "➕ New link")
    targets = await boss.next_edit()
    assert "what should it open?" in targets.text
    await boss.press(targets, shorten(f"📚 {series.series.title}", WIDE_LABEL))
    lessons = await boss.next_edit()
    number = [x.id for x in series.lessons].index(lesson.id) + 1
    await boss.press(lessons, shorten(f"{number}. {lesson.title}", WIDE_LABEL))
    asked = await boss.next_edit()
    assert f"A new link to lesson: {lesson.title}." in asked.text
    await boss.send(name)
    made = await boss.next_message()
    assert f"✅ Link made: {name} → lesson: {lesson.title}" in made.text
    found = START_LINK.search(made.text)
    assert found is not None and len(found.group(1)) <= 64, made.text
    return found.group(0)


async def test_a_learner_through_a_named_link_is_counted_through_the_whole_funnel(h, clock):
    series = h.catalog.series_list("en")[0]
    lesson = series.lessons[1]
    boss = await admin(h)
    url = await make_link(h, boss, "Article on vc.ru", series, lesson)

    learner = h.user(1001, "Ann", "en")
    await learner.open_link(url)  # /start c_<code>, as Telegram sends it
    greeting = await learner.next_message()
    assert "I’m CX Coach" in greeting.text
    opened = await learner.next_message()
    assert opened.text.startswith(lesson.title)  # the link's lesson, as l_<lesson> opens it
    await take_quiz(learner, opened, lesson)
    await subscribe(learner, series.id)
    clock.advance(days=8)
    await h.settle()
    learner.skip_pending()  # the drips that came meanwhile
    await learner.send("/menu")  # still active 8 days after arriving
    await learner.next_message()

    await boss.send("/links")
    listing = await boss.next_message()
    assert "Article on vc.ru" in listing.text and url in listing.text
    assert "▶️ Came here first: 1 · starts in all: 1" in listing.text
    await boss.send("/stats")
    report = await boss.next_message()
    await boss.next_message()  # the 30-day chart
    await boss.press(report, "🔗 Sources")
    sources = await boss.next_message()  # the /stats message stays
    assert "Sources: where learners came from" in sources.text
    lines = sources.text.splitlines()
    at = lines.index(f"🔗 Article on vc.ru → lesson: {lesson.title}")
    assert lines[at + 1] == "▶️ 1 (1) · 📖 1 · 📝 1 · 🔔 1 · 📅 7 days: 1 of 1 · 30 days: —"
    assert "1001" not in sources.text and "Ann" not in sources.text  # counts only, never who
    await boss.press(sources, "📈 Chart")
    chart = await boss.next_message()
    assert chart.kind == "photo" and chart.file_bytes.startswith(b"\x89PNG")

    await boss.send("/export")
    files = [await boss.next_message() for _ in range(4)]
    assert [f.file.file_name for f in files[1:]] == ["lessons.csv", "comments.csv", "funnel.csv"]
    assert "1 source:" in files[3].caption
    [row] = csv.DictReader(io.StringIO(files[3].file_bytes.decode()))
    assert (row["source_kind"], row["source"], row["opens"], row["lesson_id"]) == (
        "link", "Article on vc.ru", "lesson", lesson.id,
    )  # fmt: skip
    counts = ("first_starts", "first_lesson_opened", "quiz_done", "subscribed",
              "arrived_7_days_ago", "active_after_7_days", "arrived_30_days_ago",
              "active_after_30_days")  # fmt: skip
    assert [row[k] for k in counts] == ["1", "1", "1", "1", "1", "1", "0", "0"]


async def test_a_channel_invite_link_made_in_links_counts_who_joins_through_it(h, standin):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    await boss.send("/links")
    listing = await boss.next_message()
    await boss.press(listing, "📨 Invite link")
    asked = await boss.next_edit()  # one channel: straight to its name
    assert "A new invite link to @cxcoach_news." in asked.text
    await boss.send("Partner: CX Club")
    made = await boss.next_message()
    assert "✅ Invite link made: Partner: CX Club · @cxcoach_news" in made.text
    url = INVITE_LINK.search(made.text).group(0)
    assert [(x["invite_link"], x["name"]) for x in standin.invite_links(channel)] == [
        (url, "Partner: CX Club")
    ]

    [learner] = await learners(h, ["en"])
    stranger = h.user(1002, "Sam", "en")  # never started the bot
    assert await learner.join_channel(channel, url) == "joined"
    assert await stranger.join_channel(channel, url) == "joined"
    await stranger.leave_channel(channel)
    await h.settle()

    await boss.send("/links")
    listing = await boss.next_message()
    assert f"📨 Partner: CX Club · @cxcoach_news\n{url}" in listing.text
    assert "👥 Joined the channel: 2 · left since: 1 · started the bot: 1" in listing.text
    await boss.press(listing, "🔗 Sources")
    sources = await boss.next_message()
    assert "👥 Joined the channel: 2 · left since: 1 · started the bot: 1" in sources.text
    assert "1001" not in sources.text and "1002" not in sources.text


async def test_a_refused_invite_link_says_the_bot_must_be_the_channels_admin(h, standin):
    standin.channel(CHANNEL_ID, username="cxcoach_news", bot_is_admin=False)
    boss = await admin(h)
    await boss.send("/links")
    listing = await boss.next_message()
    await boss.press(listing, "📨 Invite link")
    await boss.next_edit()
    await boss.send("Partner")
    refused = await boss.next_message()
    assert "Telegram refused to make an invite link for @cxcoach_news" in refused.text
    assert "must be an administrator of the channel" in refused.text
    assert "🔁 Try again" in [text for text, _ in refused.buttons]
    assert (await h.storage.get_user(admins.ADMIN)).awaiting is None  # the next text is text


async def test_non_admins_get_nothing_of_links_and_sources(h):
    [learner] = await learners(h, ["en"])
    await learner.send("/links")
    reply = await learner.next_message()  # exactly what any unknown command gets
    assert reply.text == "I don’t know the command /links. /help lists all my commands."
    menu = learner.bot_messages()[-1]
    forged = ("lk:0", "lkn", "lks:why-cx-fails", "lkt:h", "lkt:l:silos", "lki",
              "lki:@cxcoach_news", "fn:0", "fn:0:n", "fnc")  # fmt: skip
    for data in forged:
        await learner.press_raw(menu, data)
        answer = await learner.next_event(kinds=("callback_answer",))
        assert not answer.callback.answer.get("text"), data  # silence
    await h.settle()
    learner.assert_no_event()  # no screen, no chart
    assert (await h.storage.get_user(1001)).awaiting is None  # no name awaited either


async def test_a_forged_code_is_a_plain_start(h):
    newcomer = h.user(1001, "Ann", "en")
    await newcomer.send("/start c_NoSuchCode")
    greeting = await newcomer.next_message()
    assert "I’m CX Coach" in greeting.text
    await newcomer.send("/start c_bad!code")
    home = await newcomer.next_message()
    assert "Welcome back" in home.text
    await h.settle()
    newcomer.assert_no_event()  # no "not found", nothing else
    assert await h.storage.db.fetch("SELECT * FROM arrivals") == []
