"""Self-assessment, team diagnostics and /mydata, end to end through the stand-in."""

from __future__ import annotations

import re

from bot.app import load_catalog
from bot.render.screens import WIDE_LABEL
from bot.services.assessment import obstacles

ITEMS = obstacles(load_catalog(), "en")
TOTAL = len(ITEMS)
ALL_RATED = ("All obstacles rated", "Все препятствия оценены", "Усі перешкоди оцінено")


def live(user, message):
    return user.chat.messages[message.message_id]


def rating_data(message) -> tuple[int, int]:
    """(assessment id, obstacle index) of an obstacle screen."""
    data = next(d for _, d in message.buttons if d.startswith("as:"))
    _, aid, index, _ = data.split(":")
    return int(aid), int(index)


def labels(message) -> list[str]:
    return [text for text, _ in message.buttons]


async def rate_until_done(user, question, rate) -> tuple:
    """Press ratings until the result arrives; returns (chart message, result message)."""
    while True:
        aid, index = rating_data(question)
        await user.press_raw(question, f"as:{aid}:{index}:{rate(index)}")
        edit = await user.next_edit()
        if any(done in edit.text for done in ALL_RATED):
            return await user.next_message(), await user.next_message()
        question = live(user, question)


async def start_assessment(harness, user, button: str = "▶️ Start"):
    """/assess: one message (the intro); its Start turns it into the first obstacle."""
    await user.send("/assess")
    intro = await user.next_message()
    await harness.settle()
    user.assert_no_event()  # not the intro and obstacle 1 at once
    await user.press(intro, button)
    return await user.next_edit()


async def greeted(harness, user_id: int, name: str = "Olena", language: str = "en"):
    user = harness.user(user_id, name, language=language)
    await user.send("/start")
    await user.next_message()
    return user


def strong_first_three(index: int) -> int:
    return 5 if index < 3 else 2


async def test_one_intro_then_obstacles_in_place_and_continue_later_is_no_dead_end(harness):
    user = await greeted(harness, 1001)
    await user.send("/assess")
    intro = await user.next_message()
    assert f"You will see {TOTAL} statements" in intro.text
    assert labels(intro) == ["▶️ Start", "🏠 Menu"]
    await harness.settle()
    user.assert_no_event()
    await user.press(intro, "▶️ Start")
    question = await user.next_edit()  # the intro becomes obstacle 1
    assert question.message_id == intro.message_id
    assert "Obstacle 1 of" in question.text and "Everything is fine as it is" in question.text
    assert "How true is this of your company?" in question.text
    await user.press(question, "3")
    question = await user.next_edit()
    assert "Obstacle 2 of" in question.text
    await user.press(question, "⬅️ Back")  # the way back shows the earlier rating
    back = await user.next_edit()
    assert "Obstacle 1 of" in back.text and ("✅3", back.buttons[2][1]) in back.buttons
    await user.press(back, "5")
    await user.next_edit()
    await user.press(live(user, question), "⏸ Continue later")
    later = await user.next_edit()
    assert f"Saved: 1 of {TOTAL} rated" in later.text
    assert labels(later) == [f"▶️ Continue (1/{TOTAL})", "🏠 Menu"]
    await user.press(later, f"▶️ Continue (1/{TOTAL})")
    assert "Obstacle 2 of" in (await user.next_edit()).text

    await user.send("/assess")  # later still: the intro offers Continue
    intro = await user.next_message()
    assert f"In progress: 1 of {TOTAL} rated" in intro.text
    await user.press(intro, f"▶️ Continue (1/{TOTAL})")
    question = await user.next_edit()
    assert "Obstacle 2 of" in question.text
    chart, result = await rate_until_done(user, question, strong_first_three)

    # the chart first, captioned; the result with the plan's buttons last, in view
    assert chart.kind == "photo" and chart.file_bytes.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Your self-assessment by group of obstacles" in chart.caption
    assert "previous" not in chart.caption  # nothing overlaid on a first result
    assert user.last_bot_message().message_id == result.message_id
    assert "What holds you back most" in result.text
    for title in ("Everything is fine as it is", "A leader in name only", "We know better"):
        assert title in result.text
    assert "Why customer-centricity fails: 3.3/5" in result.text  # (5+5+5+2+2+2+2)/7
    assert all(len(label) <= WIDE_LABEL for label in labels(result))
    assert "🔔 Subscribe: Why CX fails" in labels(result)  # the short title, whole
    assert labels(result)[-1] == "🏠 Menu"
    await user.press(result, "🔔 Subscribe: Why CX fails")
    assert "You are subscribed to" in (await user.next_message()).text


async def test_a_retake_in_russian_shows_the_change_with_a_decimal_comma(harness):
    user = await greeted(harness, 1002, "Олена", language="ru")
    chart, result = await rate_until_done(
        user, await start_assessment(harness, user, "▶️ Начать"), lambda i: 4
    )
    assert "4,0/5" in result.text and "4.0" not in result.text
    assert "Серым" not in chart.caption
    chart, result = await rate_until_done(
        user, await start_assessment(harness, user, "▶️ Начать"), lambda i: 2
    )
    assert "Почему клиентоцентричность не приживается: 2,0/5 (-2,0)" in result.text
    assert "Серым — ваш предыдущий результат" in chart.caption
    assert re.search(r"\d{1,2} [а-я]{3,4}\. \d{4}", chart.caption)  # its date, in Russian
    assert chart.kind == "photo" and chart.file_bytes.startswith(b"\x89PNG")


async def test_start_over_asks_first_and_cancel_keeps_the_answers(harness):
    user = await greeted(harness, 1003)
    question = await start_assessment(harness, user)
    for rating in (4, 4):
        await user.press(live(user, question), str(rating))
        await user.next_edit()
    await user.send("/assess")
    intro = await user.next_message()
    assert labels(intro) == [f"▶️ Continue (2/{TOTAL})", "🔄 Start over", "🏠 Menu"]
    await user.press(intro, "🔄 Start over")
    confirm = await user.next_edit()
    assert "The 2 ratings you have given so far will be discarded" in confirm.text
    await user.press(confirm, "✖️ Cancel")
    back = await user.next_edit()
    assert f"In progress: 2 of {TOTAL} rated" in back.text
    await user.press(back, "🔄 Start over")
    await user.press(await user.next_edit(), "🔄 Yes, start over")
    fresh = await user.next_edit()
    assert "Obstacle 1 of" in fresh.text and not any("✅" in label for label in labels(fresh))
    data = await harness.storage.personal_data(1003)
    assert data["counts"]["assessments"] == 1  # the discarded one is gone, not orphaned
    # the first message still shows obstacle 3 of the discarded assessment: out of date
    old = live(user, question)
    assert "Obstacle 3 of" in old.text
    await user.press(old, "4")
    answer = await user.next_event(kinds=("callback_answer",))
    assert "out of date" in answer.callback.answer["text"]
    assert (await harness.storage.current_assessment(1003)).ratings == {}
    await user.press(old, "⏸ Continue later")
    answer = await user.next_event(kinds=("callback_answer",))
    assert "out of date" in answer.callback.answer["text"]
    intro = await user.next_edit()  # the intro in its place: Continue (0/27)
    assert intro.message_id == old.message_id and f"▶️ Continue (0/{TOTAL})" in labels(intro)


async def team_of(manager, name: str) -> tuple[str, object]:
    await manager.send(f"/team new {name}")
    created = await manager.next_message()
    return re.search(r"start=(t_[a-z0-9]{10})", created.text).group(1), created


async def test_a_team_link_mid_assessment_continues_it_and_the_team_counts_it(harness):
    manager = await greeted(harness, 2000, "Maria")
    link, created = await team_of(manager, "Front office")
    first = await greeted(harness, 2001, "M0")
    question = await start_assessment(harness, first)
    for _ in range(3):  # rate 3 (each 5), then open the team’s link
        await first.press(live(first, question), "5")
        await first.next_edit()
    await first.send(f"/start {link}")
    joined = await first.next_message()
    assert "You joined the team Front office" in joined.text
    assert f"kept (3 of {TOTAL} rated)" in joined.text
    assert labels(joined) == [f"▶️ Continue (3/{TOTAL})"]
    await first.press(joined, f"▶️ Continue (3/{TOTAL})")
    question = await first.next_edit()
    assert "Obstacle 4 of" in question.text
    await rate_until_done(first, question, lambda i: 1)
    assert (await harness.storage.personal_data(2001))["counts"]["assessments"] == 1

    for user_id in (2002, 2003):  # two more members, who had no assessment
        member = await greeted(harness, user_id, f"M{user_id}")
        await member.send(f"/start {link}")
        joined = await member.next_message()
        assert "Take the self-assessment now" in joined.text
        await member.press(joined, "📋 Start the assessment")
        await rate_until_done(member, await member.next_edit(), lambda i: 3)

    await manager.press(created, "📊 Team results")
    chart = await manager.next_message()
    report = await manager.next_message()
    assert chart.kind == "photo" and "Front office" in chart.caption
    assert "Front office: 3 members answered, not counting you" in report.text
    # obstacles 1-3: 5 (rated before joining), 3 and 3: the first member's early answers count
    assert report.text.count(": 3.7\n") == 3 and "±" not in report.text  # 3 others: no spread
    assert "M0" not in report.text and labels(report) == ["👥 My teams", "🏠 Menu"]


async def test_a_manager_sees_numbers_only_from_three_others_and_per_obstacle(harness):
    """The manager's own answers never count; two members: nothing; a third: numbers, except
    for the obstacles that fewer than three of them rated."""
    decimal = re.compile(r"\d[.,]\d")
    manager = await greeted(harness, 3000, "Maria")
    link, created = await team_of(manager, "Front office")
    await rate_until_done(manager, await start_assessment(harness, manager), lambda i: 1)

    # the first member finished an assessment before the last series existed: seeded as such
    early = await greeted(harness, 3001, "Early")
    older = await harness.storage.start_assessment(3001, harness.clock())
    for o in ITEMS:
        if o.series.id != "prejudices":
            assert await harness.storage.rate_obstacle(
                older.id, 3001, o.lesson.id, 5, older.started_at
            )
    assert await harness.storage.finish_assessment(older.id, 3001, harness.clock())
    await early.send(f"/start {link}")
    assert "already counts for the team" in (await early.next_message()).text

    second = await greeted(harness, 3002, "Second")
    await second.send(f"/start {link}")
    await second.press(await second.next_message(), "📋 Start the assessment")
    await rate_until_done(second, await second.next_edit(), lambda i: 4)

    await manager.press(created, "📊 Team results")
    waiting = await manager.next_message()
    assert "2 of the 3 answers needed so far, not counting yours" in waiting.text
    assert waiting.kind != "photo" and not decimal.search(waiting.text)
    await harness.settle()
    manager.assert_no_event()  # no chart either

    third = await greeted(harness, 3003, "Third")
    await third.send(f"/start {link}")
    await third.press(await third.next_message(), "📋 Start the assessment")
    await rate_until_done(third, await third.next_edit(), lambda i: 3)

    await manager.press(live(manager, created), "📊 Team results")
    chart = await manager.next_message()
    report = await manager.next_message()
    assert chart.kind == "photo" and "without your own answers" in chart.caption
    text = report.text
    assert "Front office: 3 members answered, not counting you" in text
    # (5 + 4 + 3) / 3: the manager's 1s are left out, or the mean would read 3.2
    assert "Why customer-centricity fails: 4.0/5" in text and "3.2" not in text
    assert "Prejudices about customer processes: not enough answers yet" in text
    missing = text.split("Not enough answers yet for:")[1]
    assert "Too big for personal service?" in missing and "Departments at war" not in missing
    assert "Each obstacle shows once 3 people other than you have rated it." in missing
    assert "±" not in text and "agree," not in text  # 3 others: a mean, never a spread


async def test_a_team_link_after_a_finished_assessment_and_a_second_team(harness):
    manager = await greeted(harness, 2100, "Maria")
    north, _ = await team_of(manager, "North")
    south, _ = await team_of(manager, "South")
    member = await greeted(harness, 2101)
    await rate_until_done(member, await start_assessment(harness, member), lambda i: 2)
    await member.send(f"/start {north}")
    joined = await member.next_message()
    assert "Your latest self-assessment (" in joined.text and "already counts" in joined.text
    assert labels(joined) == ["📋 Take it again", "🏠 Menu"]
    await member.send(f"/start {south}")
    second = await member.next_message()
    assert "counts for your other team too: North" in second.text
    await member.send(f"/start {south}")  # the same link again
    assert "You are already in the team South" in (await member.next_message()).text
    await member.press(second, "📋 Take it again")
    assert "Obstacle 1 of" in (await member.next_edit()).text


async def test_teams_refuse_a_duplicate_name_and_ask_before_deleting_or_leaving(harness):
    manager = await greeted(harness, 2200, "Maria")
    link, _ = await team_of(manager, "Front office")
    await manager.send("/team new front  OFFICE")
    refused = await manager.next_message()
    assert "You already have a team named Front office" in refused.text
    member = await greeted(harness, 2201)
    await member.send(f"/start {link}")
    await member.next_message()

    await member.send("/team")
    teams = await member.next_message()
    await member.press(teams, "🚪 Leave Front office")
    confirm = await member.next_edit()
    assert "Leave the team Front office?" in confirm.text
    await member.press(confirm, "✖️ Cancel")
    assert "Your teams" in (await member.next_edit()).text
    await member.press(live(member, teams), "🚪 Leave Front office")
    await member.press(await member.next_edit(), "🚪 Yes, leave")
    answer = await member.next_event(kinds=("callback_answer",))
    assert "You left the team" in answer.callback.answer["text"]
    left = await member.next_edit()
    assert left.message_id == teams.message_id
    assert "You left the team Front office" in left.text and labels(left) == ["🏠 Menu"]

    await manager.send("/team")
    listing = await manager.next_message()
    assert listing.text.count("Front office") == 1 and "1 member" in listing.text
    await manager.press(listing, "🗑 Delete")
    confirm = await manager.next_edit()
    assert "Delete the team Front office (1 member) for everyone?" in confirm.text
    assert labels(confirm) == ["🗑 Yes, delete", "✖️ Cancel"]
    await manager.press(confirm, "✖️ Cancel")
    assert "Your teams" in (await manager.next_edit()).text
    assert await harness.storage.teams_of(2200)  # nothing deleted
    await manager.press(live(manager, listing), "🗑 Delete")
    await manager.press(await manager.next_edit(), "🗑 Yes, delete")
    done = await manager.next_edit()
    assert "The team Front office is deleted" in done.text and "Create a team with" in done.text
    assert labels(done) == ["🏠 Menu"]
    assert await harness.storage.teams_of(2200) == []


async def test_mydata_reads_as_the_rest_of_the_bot_and_deletes_everything(harness):
    user = harness.user(3001, language="uk")
    await user.send("/start l_silos")
    greeting = await user.next_message()
    lesson = await user.next_message()
    await user.press_raw(greeting, "lang:uk")  # chooses Ukrainian (the language picker)
    await user.next_edit()
    await user.send("/settings")
    settings = (await user.next_message()).text
    await user.send("/mydata")
    data = await user.next_message()
    assert "• id: 3001" in data.text and lesson.text
    assert re.search(r"• мова: Українська\n", data.text)
    assert re.search(r"• мова в Telegram: Українська\n", data.text)
    zone = re.search(r"• часовий пояс: (.+)\n", data.text).group(1)
    clock = re.compile(r"\d{1,2}:\d{2}")  # a local time shown beside it may tick meanwhile
    assert zone != "UTC" and clock.sub("", zone) in clock.sub("", settings)  # as /settings
    assert "Київ" in zone or "Kyiv" in zone
    # dates as a person writes them, in the learner's zone: "1 груд. 2026, 23:41"
    assert re.search(r"\d{1,2} [а-яії]{3,5}\. \d{4}, \d{2}:\d{2}", data.text), data.text
    assert "+00:00" not in data.text and not re.search(r"\d{4}-\d{2}-\d{2}T", data.text)
    await user.press(data, "🗑 Видалити всі мої дані")
    confirm = await user.next_edit()
    assert labels(confirm)[-1] == "✖️ Скасувати"
    before = (await harness.storage.personal_data(3001))["counts"]
    assert before["lessons"] == 1  # the lesson the deep link opened
    await user.press(confirm, labels(confirm)[0])
    await user.next_edit()
    assert await harness.storage.get_user(3001) is None
    # back again: a new profile and nothing else (every kind of row counted, all 0)
    await harness.storage.touch_user(3001, "Again", "uk", harness.clock())
    after = (await harness.storage.personal_data(3001))["counts"]
    assert set(after) == set(before) and all(n == 0 for n in after.values()), after
