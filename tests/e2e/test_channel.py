"""The channel's posting calendar end to end, on the injected clock: an admin plans posts with
buttons; each reaches the channel at its time, once, across a restart; a refusal and a crash
are reported, never retried on their own; votes and reactions land in the post's row;
nobody else gets anything."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from standin import BotAPIStandIn
from standin.proxy import RoundRobin, listening_socket
from storage.channel import NewPost
from storage.sqlite import SQLiteStorage
from tests.e2e import admins
from tests.e2e.admins import ADMIN, BOLD_NEWS, CHANNEL_ID, admin, learners
from tests.e2e.clocked import at
from tests.e2e.processes import bot_env
from tests.postgres import postgres_dsn

START, HARNESS = admins.START, admins.HARNESS  # Monday 23 November 2026, 10:00 UTC
# The admin writes in English: their zone is London's (UTC+0 in November) until they choose.
LINK = re.compile(r"^https://t\.me/cxcoach_test_bot\?start=c_([A-Za-z0-9_-]+)$")
SERIES, LESSON = "why-cx-fails", "all-is-fine"


async def posted(h) -> None:
    """Everything the bot was asked so far is done, and a whole posting run made after it."""
    await h.settle()
    await h.app.bot_data.poster.run_now()


def posts(channel) -> list:
    return [m for m in channel.transcript() if m.from_bot]


async def plan_screen(boss):
    await boss.send("/channel")
    shown = await boss.next_message()
    assert "Channel plan" in shown.text, shown.text
    return shown


async def plan_post(boss, kind: str, *choices: str, day: str = "Today", time: str = "12:00"):
    """/channel, ➕ Add a post, a kind, English, then ``choices`` (button data: the series,
    the lesson, the question...), the day and the time: the new post's screen."""
    shown = await plan_screen(boss)
    await boss.press(shown, "➕ Add a post")
    shown = await boss.next_edit()
    await boss.press(shown, kind)
    shown = await boss.next_edit()
    assert "For which language" in shown.text  # one channel for all three languages
    await boss.press(shown, "English")
    for data in choices:
        shown = await boss.next_edit()
        await boss.press(shown, data=data)
    shown = await boss.next_edit()
    assert "Which day?" in shown.text and "London" in shown.text, shown.text
    await boss.press(shown, day)
    shown = await boss.next_edit()
    assert "at what time?" in shown.text
    await boss.press(shown, time)
    return await boss.next_edit()


async def plan_teaser(boss, **when):
    screen = await plan_post(
        boss, "📘 A lesson’s teaser", f"cps:t:en:{SERIES}", f"cpw:t:en:{LESSON}:-:-:-", **when
    )
    assert "Planned for" in screen.text, screen.text
    return screen


async def plan_quiz(boss, **when):
    screen = await plan_post(
        boss, "❓ A quiz poll", f"cps:q:en:{SERIES}", f"cpq:en:{LESSON}", f"cpw:q:en:{LESSON}:1:-:-"
    )
    assert "question 2" in screen.text and "Planned for" in screen.text, screen.text
    return screen


def post_id(screen) -> int:
    return int(re.search(r"Post #(\d+)", screen.text).group(1))


async def test_a_teaser_and_a_quiz_poll_reach_the_channel_once_at_their_time(h, standin, clock):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    teaser = await plan_teaser(boss)
    assert "Mon 23 Nov, 12:00" in teaser.text
    await plan_quiz(boss)
    plan = await plan_screen(boss)
    assert plan.text.count("🕘 #") == 2
    await posted(h)
    clock.set(at(23, 11, 59))
    await posted(h)
    assert posts(channel) == []  # nothing before its time
    clock.set(at(23, 12, 0))
    await posted(h)
    [text, poll] = posts(channel)
    _, lesson = h.catalog.lesson("en", LESSON)
    assert lesson.title in text.text and text.kind == "text"
    [(label, url)] = text.buttons
    assert label == "📖 Open the lesson in the bot"
    code = LINK.match(url).group(1)
    tracked = await h.storage.tracked_link(code)
    assert (tracked.kind, tracked.target, tracked.post_id) == ("post", f"l_{LESSON}", 1)
    question = lesson.quiz[1]
    assert poll.kind == "poll" and poll.poll.type == "quiz" and poll.poll.is_anonymous
    assert poll.poll.question == question.question
    assert poll.poll.options == question.options
    assert poll.poll.correct_option_ids == [question.correct]
    assert poll.poll.explanation == question.explanation
    [(label, url)] = poll.buttons
    assert label == "🏋️ Practise in the bot" and LINK.match(url)
    clock.advance(hours=1)
    await posted(h)
    await posted(h)
    assert len(posts(channel)) == 2  # exactly once
    rows = await h.storage.recent_channel_posts(5)
    assert {(p.status, p.message_id) for p in rows} == {
        ("sent", text.message_id),
        ("sent", poll.message_id),
    }
    boss.skip_pending()
    await posted(h)
    boss.assert_no_event()  # no report: all went well


async def test_a_restart_between_planning_and_the_time_still_posts_once(h, standin, clock):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    await plan_teaser(boss, day="Tomorrow", time="09:00")
    await h.restart()
    await posted(h)
    assert posts(channel) == []
    await h.stop()
    clock.set(at(24, 9, 0))
    await h.start()
    await posted(h)
    await h.restart()
    await posted(h)
    assert len(posts(channel)) == 1
    [sent] = await h.storage.recent_channel_posts(5)
    assert sent.status == "sent" and sent.sent_at == at(24, 9, 0)


async def test_a_post_telegram_refuses_is_reported_and_posted_again_only_when_asked(
    h, standin, clock
):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news", bot_is_admin=False)
    boss = await admin(h)
    await plan_teaser(boss)
    clock.set(at(23, 12, 0))
    await posted(h)
    report = await boss.next_message()
    assert "was not posted" in report.text and "administrator rights" in report.text.lower()
    assert posts(channel) == []
    [failed] = await h.storage.recent_channel_posts(5)
    assert failed.status == "failed"
    tries = len(standin.calls_of("sendMessage"))
    clock.advance(hours=1)
    await posted(h)
    assert len(standin.calls_of("sendMessage")) == tries  # never retried on its own
    boss.assert_no_event()
    channel.chat.bot_is_admin = True  # the admin fixes it, then posts it again
    await boss.press(report, "📋 Open the post")
    shown = await boss.next_edit()
    await boss.press(shown, "📨 Post again…")
    asked = await boss.next_edit()
    assert "refused it last time" in asked.text
    await boss.press(asked, "📨 Yes, post it now")
    await posted(h)
    assert len(posts(channel)) == 1


async def test_a_post_cut_by_a_crash_is_reported_in_doubt_and_not_resent(h, standin, clock):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    screen = await plan_teaser(boss)
    await h.stop()
    # another process claimed it at 12:00, wrote "sending" and died during the request
    dead = SQLiteStorage(h.db_path)
    await dead.open()
    [claimed] = await dead.claim_channel_posts("dead", at(23, 12), at(23, 12), 5)
    assert await dead.mark_channel_post_sending(claimed.id, "dead", at(23, 12))
    await dead.close()
    clock.set(at(23, 12, 1))
    await h.start()
    await posted(h)
    told = await boss.next_message()
    assert f"#{post_id(screen)} may or may not be in @cxcoach_news" in told.text
    clock.advance(hours=1)
    await posted(h)
    assert posts(channel) == []  # never posted again on its own
    [doubtful] = await h.storage.recent_channel_posts(5)
    assert doubtful.status == "unconfirmed"


async def test_votes_and_reactions_land_in_the_posts_row(h, standin, clock):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    await plan_teaser(boss)
    quiz = await plan_quiz(boss)
    quiz_id = post_id(quiz)
    clock.set(at(23, 12, 0))
    await posted(h)
    [text, poll] = posts(channel)
    for voter, option in ((2001, 1), (2002, 1), (2003, 0)):
        await standin.user(voter, f"V{voter}").answer_poll(poll.poll.id, [option])
    standin.react(CHANNEL_ID, text.message_id, {"👍": 3, "🔥": 1})
    standin.react(CHANNEL_ID, poll.message_id, {"🤯": 2})
    await h.settle()
    rows = {p.message_id: p for p in await h.storage.recent_channel_posts(5)}
    assert json.loads(rows[poll.message_id].poll_counts) == [1, 2, 0, 0]
    assert json.loads(rows[text.message_id].reactions) == {"👍": 3, "🔥": 1}
    assert json.loads(rows[poll.message_id].reactions) == {"🤯": 2}
    boss.skip_pending()
    await boss.press(quiz, "⬅️ Back to the plan")
    plan = await boss.next_edit()
    await boss.press(plan, data=f"cpx:v:{quiz_id}")
    shown = await boss.next_edit()
    assert "🗳 3 votes: A 1 · B 2 · C 0 · D 0" in shown.text and "🤯 2" in shown.text


async def test_an_admins_own_message_is_previewed_and_copied_to_the_channel(h, standin, clock):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    asked = await plan_post(boss, "✍️ My own message")
    assert "Send me the post for @cxcoach_news" in asked.text
    await boss.send("Big news today", entities=BOLD_NEWS[:1])
    planned = await boss.next_message()
    assert "Planned." in planned.text and "your message" in planned.text
    await boss.press(planned, "👁 Preview")
    preview = await boss.next_message()
    assert preview.text == "Big news today" and preview.entities[0]["type"] == "bold"
    assert "Post #" in (await boss.next_message()).text  # its buttons again, under it
    clock.set(at(23, 12, 0))
    await posted(h)
    [copy] = posts(channel)
    assert copy.text == "Big news today" and copy.entities[0]["type"] == "bold"


async def test_a_moved_post_waits_and_a_cancelled_one_never_goes(h, standin, clock):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    screen = await plan_teaser(boss)
    planned = post_id(screen)
    await boss.press(screen, "🕘 Move")
    days = await boss.next_edit()
    await boss.press(days, "Tomorrow")
    times = await boss.next_edit()
    await boss.press(times, "09:00")
    moved = await boss.next_edit()
    assert "Tue 24 Nov, 09:00" in moved.text
    clock.set(at(23, 12, 0))
    await posted(h)
    assert posts(channel) == []
    await boss.press(moved, "✖️ Cancel the post…")
    asked = await boss.next_edit()
    await boss.press(asked, "✖️ Yes, cancel it")
    assert "Cancelled" in (await boss.next_edit()).text
    await boss.press_raw(asked, f"cpm:{planned}:20261125:540")  # an old button
    answer = await boss.next_event(kinds=("callback_answer",))
    assert "no longer planned" in answer.callback.answer.get("text", "")
    clock.set(at(24, 9, 0))
    await posted(h)
    assert posts(channel) == []


async def test_planning_a_series_fills_the_chosen_weekdays(h, standin, clock):
    boss = await admin(h)
    shown = await plan_screen(boss)
    await boss.press(shown, "🗓 Plan a series")
    shown = await boss.next_edit()
    await boss.press(shown, "English")
    shown = await boss.next_edit()
    await boss.press(shown, data=f"cpd:en:{SERIES}:21")  # Monday, Wednesday, Friday
    shown = await boss.next_edit()
    assert "Days: Mon, Wed, Fri" in shown.text
    await boss.press(shown, "09:00")
    confirm = await boss.next_edit()
    lessons = h.catalog.series("en", SERIES).lessons
    assert "1. Wed 25 Nov, 09:00" in confirm.text  # Monday's 09:00 has passed
    await boss.press(confirm, f"✅ Plan {len(lessons)} teasers")
    done = await boss.next_edit()
    assert f"Planned: {len(lessons)} teasers" in done.text
    await boss.press_raw(confirm, f"cpd:en:{SERIES}:21:540:ok")  # a double press
    await boss.next_edit()
    planned = await h.storage.upcoming_channel_posts(20)
    assert [p.lesson_id for p in planned] == [lesson.id for lesson in lessons]


async def test_each_language_posts_to_its_own_channel_in_its_language(standin, tmp_path, clock):
    h = admins.make(
        standin, tmp_path, clock, channel=None, channels="en:@cxcoach_en,uk:@cxcoach_uk"
    )
    english = standin.channel(CHANNEL_ID, username="cxcoach_en")
    ukrainian = standin.channel(CHANNEL_ID - 1, username="cxcoach_uk")
    await h.start()
    try:
        boss = await admin(h)
        shown = await plan_screen(boss)
        assert "@cxcoach_en (en); @cxcoach_uk (uk)" in shown.text
        await boss.press(shown, "➕ Add a post")
        shown = await boss.next_edit()
        await boss.press(shown, "🗓 A series’ digest")
        shown = await boss.next_edit()
        assert [text for text, _ in shown.buttons][:2] == ["English", "Українська"]
        await boss.press(shown, "Українська")
        shown = await boss.next_edit()
        await boss.press(shown, data=f"cpw:d:uk:{SERIES}:-:-:-")
        shown = await boss.next_edit()
        await boss.press(shown, "Today")
        shown = await boss.next_edit()
        await boss.press(shown, "12:00")
        planned = await boss.next_edit()
        assert "uk · @cxcoach_uk" in planned.text
        clock.set(at(23, 12, 0))
        await posted(h)
        assert posts(english) == []
        [digest] = posts(ukrainian)
        series = h.catalog.series("uk", SERIES)
        assert series.series.title in digest.text and "7 уроків" in digest.text
        [(label, url)] = digest.buttons
        assert label == "📚 Відкрити серію в боті"
        tracked = await h.storage.tracked_link(LINK.match(url).group(1))
        assert tracked.target == f"s_{SERIES}"
    finally:
        await h.stop()


async def test_non_admins_get_nothing_of_the_calendar(h, standin):
    standin.channel(CHANNEL_ID, username="cxcoach_news")
    [learner] = await learners(h, ["en"])
    await learner.send("/channel")
    reply = await learner.next_message()
    assert reply.text == "I don’t know the command /channel. /help lists all my commands."
    for data in (
        "cpl:0",
        "cpn:t:en",
        f"cpw:t:en:{LESSON}:-:20261123:720",
        f"cpd:en:{SERIES}:21:540:ok",
        "cpx:pv:1",
        "cpx:cc:1",
    ):
        await learner.press_raw(reply, data)
        answer = await learner.next_event(kinds=("callback_answer",))
        assert not answer.callback.answer.get("text"), data  # silence
    await h.settle()
    learner.assert_no_event()
    assert await h.storage.count_upcoming_channel_posts() == 0
    assert ADMIN not in {m.chat_id for m in learner.transcript()}


# Two replicas on PostgreSQL ---------------------------------------------------------------
REPLICA_TOKEN = "555555555:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
SECRET = "channel-replicas_0123456789"


async def replica(standin_url: str, dsn: str, sock, public: str, tmp) -> asyncio.subprocess.Process:
    """One ``cxcoach run`` in webhook mode on ``sock`` (bound here, handed over)."""
    env = bot_env(
        bot_token=REPLICA_TOKEN,
        bot_api_url=standin_url,
        database=dsn,
        webhook_url=public,
        webhook_socket_fd=str(sock.fileno()),
        webhook_secret=SECRET,
        lease_seconds="3",
        tick_seconds="0.1",
        bulk_rate="0",
        rate_limit="0",
        log_level="WARNING",
        admin_ids=str(ADMIN),
        channel="@cxcoach_news",
    )
    port = sock.getsockname()[1]
    with (tmp / f"replica-{port}.log").open("wb") as log:  # a file: never a full pipe
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=(sock.fileno(),),
        )
    sock.close()  # the replica has its own copy
    return process


async def within(seconds: float, check, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not await check():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


@pytest.mark.timeout(120)
async def test_two_replicas_on_postgres_post_each_planned_post_once(tmp_path):
    import asyncpg

    from storage.postgres import PostgresStorage

    dsn = await postgres_dsn()
    schema = f"chan_{uuid.uuid4().hex[:10]}"
    admin_db = await asyncpg.connect(dsn)
    await admin_db.execute(f"CREATE SCHEMA {schema}")
    storage = PostgresStorage(dsn, schema=schema, pool_size=2)
    sockets = [listening_socket() for _ in range(2)]
    proxy = RoundRobin([sock.getsockname()[1] for sock in sockets])
    processes: list[asyncio.subprocess.Process] = []
    try:
        await storage.open()
        now = datetime.now(UTC)
        await storage.touch_user(ADMIN, "Admin", "en", now)
        public = await proxy.start()
        async with BotAPIStandIn(token=REPLICA_TOKEN, bot_username="cx_replicas_bot") as standin:
            channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
            url = f"{dsn}?search_path={schema}"
            for sock in sockets:
                processes.append(await replica(standin.url, url, sock, public, tmp_path))

            async def serving() -> bool:
                assert all(p.returncode is None for p in processes), "a replica exited"
                return bool(standin.webhook.url)

            await within(60, serving, "the replicas to start")
            # every lesson, each a teaser due in a moment, all at the same time
            catalog = admins_catalog()
            lessons = [
                lesson.id for series in catalog.series_list("en") for lesson in series.lessons
            ]
            due = datetime.now(UTC) + timedelta(seconds=1)
            planned = [
                NewPost(
                    "@cxcoach_news",
                    "en",
                    "teaser",
                    due,
                    lesson_id=lesson,
                    link_code=f"rep{n}",
                    link_name=lesson,
                    link_target=f"l_{lesson}",
                )
                for n, lesson in enumerate(lessons)
            ]
            await storage.plan_channel_posts(planned, ADMIN, now)

            async def all_sent() -> bool:
                sent = await storage.recent_channel_posts(50)
                return len([p for p in sent if p.status == "sent"]) == len(lessons)

            await within(60, all_sent, "every post to be sent")
            # a graceful stop waits for whatever is in flight: the counts are then final
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                await asyncio.wait_for(process.wait(), 30)
            titles = [m.text.splitlines()[0] for m in posts(channel)]
            expected = [f"📘 {catalog.lesson('en', lesson)[1].title}" for lesson in lessons]
            assert sorted(titles) == sorted(expected)  # each exactly once
            assert await storage.unconfirm_channel_posts(None, "check") == []
            sent = await storage.recent_channel_posts(50)
            assert {p.message_id for p in sent} == {m.message_id for m in posts(channel)}
            owners = {p.owner for p in sent}
            print(f"{len(sent)} posts by {len(owners)} replica(s)")
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await proxy.stop()
        await storage.close()
        await admin_db.execute(f"DROP SCHEMA {schema} CASCADE")
        await admin_db.close()


def admins_catalog():
    from tests.e2e.conftest import shipped_catalog

    return shipped_catalog()
