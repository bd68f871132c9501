"""/mydata end to end: what is stored, read as the rest of the bot, and deleted."""

from __future__ import annotations

import re

from tests.e2e import admins
from tests.e2e.admins import admin, draft, learners, until
from tests.e2e.steps import labels, live

START, HARNESS = admins.START, admins.HARNESS  # the clock and settings of the fixture h


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


async def test_mydata_lists_announcements_and_managed_teams_and_deletes_them(h):
    [learner] = await learners(h, ["en"])
    boss = await admin(h)
    await boss.send("/team new Front office")
    await boss.next_message()
    controls = await draft(boss)
    await boss.press(controls, "✅ Send now")
    await until(lambda: "finished" in live(boss, controls).text)
    learner.skip_pending()
    await learner.send("/mydata")
    mine = (await learner.next_message()).text
    assert "• announcements delivered to you: 1" in mine
    assert "• review answers (history): 0" in mine
    boss.skip_pending()
    await boss.send("/mydata")
    theirs = await boss.next_message()
    assert "• teams you manage: 1" in theirs.text
    assert "• broadcasts you created: 1" in theirs.text
    await boss.press(theirs, "🗑 Delete all my data")
    await boss.press(await boss.next_edit(), "🗑 Yes, delete everything")
    assert "everything about you is deleted" in (await boss.next_edit()).text
    await boss.send("/mydata")  # back as a new user: nothing of before
    after = (await boss.next_message()).text
    for line in ("teams you manage", "broadcasts you created", "announcements delivered to you"):
        assert f"• {line}: 0" in after
    assert await h.storage.broadcasts(10) == []  # the admin's broadcast rows are gone too
