"""Self-assessment, team diagnostics and /mydata, end to end through the stand-in."""

from __future__ import annotations

import re

from bot.app import load_catalog
from bot.services.assessment import obstacles

ITEMS = obstacles(load_catalog(), "en")
TOTAL = len(ITEMS)


def live(user, message):
    return user.chat.messages[message.message_id]


def rating_data(message) -> tuple[int, int]:
    """(assessment id, obstacle index) of an obstacle screen."""
    data = next(d for _, d in message.buttons if d.startswith("as:"))
    _, aid, index, _ = data.split(":")
    return int(aid), int(index)


async def rate_until_done(user, question, rate) -> tuple:
    """Press ratings until the result arrives; returns (result message, chart message)."""
    while True:
        aid, index = rating_data(question)
        await user.press_raw(question, f"as:{aid}:{index}:{rate(index)}")
        edit = await user.next_edit()
        if "All obstacles rated" in edit.text:
            return await user.next_message(), await user.next_message()
        question = live(user, question)


async def start_assessment(user):
    await user.send("/assess")
    intro = await user.next_message()
    assert f"each of the {TOTAL} obstacles" in intro.text
    return await user.next_message()


def strong_first_three(index: int) -> int:
    return 5 if index < 3 else 2


async def test_a_full_assessment_with_back_and_pause_gives_a_plan_and_a_chart(harness):
    user = harness.user(1001, language="en")
    await user.send("/start")
    await user.next_message()
    question = await start_assessment(user)
    assert "Obstacle 1 of" in question.text and "Everything is fine as it is" in question.text
    await user.press(question, "3")
    question = await user.next_edit()
    assert "Obstacle 2 of" in question.text
    await user.press(question, "⬅️ Back")  # the way back shows the earlier rating
    back = await user.next_edit()
    assert "Obstacle 1 of" in back.text and ("✅3", back.buttons[2][1]) in back.buttons
    await user.press(back, "5")
    await user.next_edit()
    await user.press(live(user, question), "⏸ Continue later")
    assert f"Saved: 1 of {TOTAL} rated" in (await user.next_edit()).text

    await user.send("/assess")  # later: continue where it stopped
    intro = await user.next_message()
    await user.press(intro, f"▶️ Continue (1/{TOTAL})")
    question = await user.next_message()
    assert "Obstacle 2 of" in question.text
    result, chart = await rate_until_done(user, question, strong_first_three)
    assert "What holds you back most" in result.text
    for title in ("Everything is fine as it is", "A leader in name only", "We know better"):
        assert title in result.text
    assert "Why customer-centricity fails: 3.3/5" in result.text  # (5+5+5+2+2+2+2)/7
    assert chart.kind == "photo" and chart.file_bytes.startswith(b"\x89PNG\r\n\x1a\n")
    await user.press(result, "🔔 Subscribe: Why customer-centricity fails")
    assert "You are subscribed to" in (await user.next_message()).text


async def test_a_retake_shows_the_change_against_the_previous_result(harness):
    user = harness.user(1002, language="en")
    await user.send("/start")
    await user.next_message()
    await rate_until_done(user, await start_assessment(user), lambda i: 4)
    question = await start_assessment(user)
    result, chart = await rate_until_done(user, question, lambda i: 2)
    assert "Why customer-centricity fails: 2.0/5 (-2.0)" in result.text
    assert "previous result in grey" in result.text
    assert chart.kind == "photo" and chart.file_bytes.startswith(b"\x89PNG")


async def test_team_results_are_aggregates_for_the_manager_after_three_answers(harness):
    manager = harness.user(2000, "Maria", language="en")
    await manager.send("/start")
    await manager.next_message()
    await manager.send("/team new Front office")
    created = await manager.next_message()
    link = re.search(r"start=(t_[a-z0-9]{10})", created.text).group(1)
    team_id = int(created.buttons[0][1].split(":")[2])

    members = []
    for offset, rate in enumerate([lambda i: 5, lambda i: 3, lambda i: 1]):
        member = harness.user(2001 + offset, f"M{offset}", language="en")
        await member.send(f"/start {link}")
        await member.next_message()  # the greeting (a new user)
        joined = await member.next_message()
        assert "You joined the team Front office" in joined.text
        members.append((member, rate))

    await manager.press(created, "📊 Team results")
    assert "0 of the 3 answers needed" in (await manager.next_message()).text
    for member, rate in members[:2]:
        await member.press(member.last_bot_message(), "📋 Start the assessment")
        await rate_until_done(member, await member.next_message(), rate)
    await manager.press(created, "📊 Team results")
    assert "2 of the 3 answers needed" in (await manager.next_message()).text  # still hidden

    member, rate = members[2]
    await member.press(member.last_bot_message(), "📋 Start the assessment")
    await rate_until_done(member, await member.next_message(), rate)
    await manager.press(created, "📊 Team results")
    report = await manager.next_message()
    assert "Front office: 3 members answered" in report.text
    assert "3.0 ± 1.6" in report.text  # mean and spread of 5, 3, 1; no one's own answer
    assert "M0" not in report.text and "M1" not in report.text
    chart = await manager.next_message()
    assert chart.kind == "photo" and chart.file_bytes.startswith(b"\x89PNG")

    # a member and a stranger asking for the results get nothing
    insider = members[0][0]
    await insider.press_raw(insider.last_bot_message(), f"tm:r:{team_id}")
    assert "Only the team's manager" in (await insider.next_message()).text
    stranger = harness.user(2999, language="en")
    await stranger.send("/start")
    await stranger.next_message()
    await stranger.press_raw(stranger.last_bot_message(), f"tm:r:{team_id}")
    assert "Only the team's manager" in (await stranger.next_message()).text

    await insider.send("/team")
    teams = await insider.next_message()
    await insider.press(teams, "🚪 Leave Front office")
    answer = await insider.next_event(kinds=("callback_answer",))
    assert "You left the team" in answer.callback.answer["text"]
    await manager.send("/team")
    listing = await manager.next_message()
    assert "3 members" in listing.text  # the manager and two members
    await manager.press(listing, "🗑 Delete")
    await manager.press(await manager.next_message(), "🗑 Yes, delete")
    await manager.send("/team")
    assert "Create a team with" in (await manager.next_message()).text


async def test_mydata_shows_and_deletes_everything(harness):
    user = harness.user(3001, language="en")
    await user.send("/start l_silos")
    await user.next_message()
    lesson = await user.next_message()
    await user.press(lesson, "📝 Take the quiz")
    await user.next_message()
    await user.send("/mydata")
    data = await user.next_message()
    assert "• lessons: 1" in data.text and "• id: 3001" in data.text
    await user.press(data, "🗑 Delete all my data")
    confirm = await user.next_edit()
    await user.press(confirm, "🗑 Yes, delete everything")
    assert "everything about you is deleted" in (await user.next_edit()).text
    assert await harness.storage.get_user(3001) is None
    await user.send("/progress")
    assert "No quiz answers yet" in (await user.next_message()).text
