"""Team diagnostics end to end: links, the manager's view under the privacy rule,
leaving and deleting.
"""

from __future__ import annotations

import re

from tests.e2e.assessing import ITEMS, TOTAL, greeted, rate_until_done, start_assessment, team_of
from tests.e2e.steps import labels, live


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
    assert "M0" not in report.text
    assert labels(report) == ["📚 Lessons", "👥 My teams", "🏠 Menu"]


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
    await member.press(teams, "👥 Front office")
    await member.press(await member.next_edit(), "🚪 Leave")
    confirm = await member.next_edit()
    assert "Leave the team Front office?" in confirm.text
    await member.press(confirm, "✖️ Cancel")
    assert "Your teams" in (await member.next_edit()).text
    await member.press(live(member, teams), "👥 Front office")
    await member.press(await member.next_edit(), "🚪 Leave")
    await member.press(await member.next_edit(), "🚪 Yes, leave")
    answer = await member.next_event(kinds=("callback_answer",))
    assert "You left the team" in answer.callback.answer["text"]
    left = await member.next_edit()
    assert left.message_id == teams.message_id
    assert "You left the team Front office" in left.text and labels(left) == ["🏠 Menu"]

    await manager.send("/team")
    listing = await manager.next_message()
    assert listing.text.count("Front office") == 1 and "1 member" in listing.text
    await manager.press(listing, "👥 Front office")
    await manager.press(await manager.next_edit(), "🗑 Delete")
    confirm = await manager.next_edit()
    assert "Delete the team Front office (1 member) for everyone?" in confirm.text
    assert labels(confirm) == ["🗑 Yes, delete", "✖️ Cancel"]
    await manager.press(confirm, "✖️ Cancel")
    assert "Your teams" in (await manager.next_edit()).text
    assert await harness.storage.teams_of(2200)  # nothing deleted
    await manager.press(live(manager, listing), "👥 Front office")
    await manager.press(await manager.next_edit(), "🗑 Delete")
    await manager.press(await manager.next_edit(), "🗑 Yes, delete")
    done = await manager.next_edit()
    assert "The team Front office is deleted" in done.text and "Create a team with" in done.text
    assert labels(done) == ["🏠 Menu"]
    assert await harness.storage.teams_of(2200) == []


async def _learned(harness, user_id: int, rating: int, comment: str) -> None:
    """Through the real storage: the learner read silos, took its quiz, rated it and wrote
    what was unclear."""
    storage, now = harness.storage, harness.clock()
    attempt = await storage.start_attempt(user_id, "silos", 2, now)
    await storage.record_answer(attempt.id, user_id, 0, 0, True, now)
    await storage.record_answer(attempt.id, user_id, 1, 0, True, now)
    assert await storage.rate_lesson(user_id, "silos", attempt.id, rating, now)
    assert await storage.note_unclear(user_id, "silos", comment, now)


async def test_a_managers_lessons_show_figures_only_from_three_others(harness):
    title = harness.catalog.lesson("en", "silos")[1].title
    manager = await greeted(harness, 2300, "Maria")
    link, created = await team_of(manager, "Front office")
    await _learned(harness, 2300, 1, "the manager's own words")  # never counted
    for user_id in (2301, 2302):
        member = await greeted(harness, user_id, f"M{user_id}")
        await member.send(f"/start {link}")
        await member.next_message()
        await _learned(harness, user_id, 4, f"member {user_id} <i>asks</i>")

    await manager.press(created, "📊 Team results")
    waiting = await manager.next_message()
    assert "📚 Lessons" in labels(waiting)
    await manager.press(waiting, "📚 Lessons")
    listing = await manager.next_message()
    assert "Front office: lessons, members other than you" in listing.text
    lines = listing.text.splitlines()
    assert lines[lines.index(title) + 1] == "👁 — · 🏁 — · ⭐ — · 🎯 — · 🤝 —"
    assert "—: not enough answers yet" in listing.text
    await manager.press(listing, f"📖 {title}")
    detail = await manager.next_edit()
    assert "Opened: not enough answers yet" in detail.text
    assert "Usefulness: not enough answers yet" in detail.text
    assert "asks" not in detail.text and "own words" not in detail.text

    third = await greeted(harness, 2303, "Third")
    await third.send(f"/start {link}")
    await third.next_message()
    await _learned(harness, 2303, 5, "= a formula? no, plain text")
    await manager.press(detail, "⬅️ Lessons")
    listing = await manager.next_edit()
    lines = listing.text.splitlines()
    assert lines[lines.index(title) + 1] == "👁 3 · 🏁 3 · ⭐ 4.3 (3) · 🎯 100% · 🤝 —"
    await manager.press(listing, f"📖 {title}")
    text = (await manager.next_edit()).text
    # (4 + 4 + 5) / 3 = 4.3: the manager's own 1 is left out (it would read 3.5)
    assert "Usefulness: 4.3 of 5, from 3 ratings" in text and "3.5" not in text
    assert "Opened: 3 · 🏁 completed: 3 (100%)" in text
    assert "Commitments: not enough answers yet" in text  # nobody took it on
    # what the members wrote as unclear is theirs and the admins': never the manager's
    assert "What was unclear" not in text and "a formula" not in text and "asks" not in text


async def test_a_member_pressing_a_teams_lessons_button_sees_no_figures(harness):
    manager = await greeted(harness, 2400, "Maria")
    link, _ = await team_of(manager, "Front office")
    member = await greeted(harness, 2401)
    await member.send(f"/start {link}")
    joined = await member.next_message()
    team_id = (await harness.storage.teams_of(2400))[0].id
    for data in (f"tml:{team_id}:0:n", f"tmd:{team_id}:silos:0"):
        await member.press_raw(joined, data)
        refused = await member.next_message()
        assert refused.text == "Only the team’s manager can see its results.", data


async def _member(harness, link: str, user_id: int, name: str, rating: int):
    member = await greeted(harness, user_id, name)
    await member.send(f"/start {link}")
    await member.press(await member.next_message(), "📋 Start the assessment")
    await rate_until_done(member, await member.next_edit(), lambda i: rating)
    return member


async def _team_screen(user, name: str = "Front office"):
    await user.send("/team")
    await user.press(await user.next_message(), f"👥 {name}")
    return await user.next_edit()


async def test_co_managers_hand_over_and_progress_shared_by_name(harness):
    manager = await greeted(harness, 4000, "Maria")
    link, _ = await team_of(manager, "Front office")
    anna = await _member(harness, link, 4001, "Anna", 2)
    boris = await _member(harness, link, 4002, "Boris", 3)
    await _member(harness, link, 4003, "Carl", 4)
    await _member(harness, link, 4004, "Dana", 5)
    team_id = (await harness.storage.teams_of(4000))[0].id

    # a member sees no results and no names
    screen = await _team_screen(anna)
    assert "You are a member of this team." in screen.text and "Boris" not in screen.text
    assert "📊 Team results" not in labels(screen)

    # the owner makes Anna a co-manager, from the members listed by first name
    screen = await _team_screen(manager)
    assert "You manage this team." in screen.text and "5 members" in screen.text
    await manager.press(screen, "👥 Co-managers")
    listing = await manager.next_edit()
    assert {"➕ Anna", "➕ Boris", "➕ Carl", "➕ Dana"} <= set(labels(listing))
    await manager.press(listing, "➕ Anna")
    added = await manager.next_edit()
    assert "Co-manager added." in added.text
    assert {"➖ Anna", "🤝 Anna", "➕ Boris"} <= set(labels(added))

    # Anna now sees the team's results as the owner does, without her own answers
    screen = await _team_screen(anna)
    assert "You co-manage this team" in screen.text
    await anna.press(screen, "📊 Team results")
    chart = await anna.next_message()
    report = await anna.next_message()
    assert chart.kind == "photo"
    assert "Front office: 3 members answered, not counting you" in report.text
    # the owner's answers are none, Anna's 2s are left out: (3 + 4 + 5) / 3
    assert ": 4.0/5" in report.text

    # progress shared by name: Boris opts in, Carl does not
    screen = await _team_screen(boris)
    assert "Your progress is not shared by name" in screen.text
    await boris.press(screen, "🙋 Share my progress")
    shared = await boris.next_edit()
    assert "now shared" in shared.text and "🙈 Stop sharing my progress" in labels(shared)
    screen = await _team_screen(anna)
    assert "Boris: 0 lessons completed" in screen.text
    assert "Carl" not in screen.text and "Dana" not in screen.text

    # the hand-over: asked first, then Anna owns the team; Maria stays a co-manager
    screen = await _team_screen(manager)
    await manager.press(screen, "👥 Co-managers")
    await manager.press(await manager.next_edit(), "🤝 Anna")
    asked = await manager.next_edit()
    assert "Hand the team Front office over to Anna?" in asked.text
    assert (await harness.storage.get_team(team_id)).manager_id == 4000
    await manager.press(asked, "🤝 Hand over, stay co-manager")
    handed = await manager.next_edit()
    assert "The team is handed over." in handed.text
    assert "You co-manage this team" in handed.text
    assert (await harness.storage.get_team(team_id)).manager_id == 4001
    assert "You manage this team." in (await _team_screen(anna)).text

    # revoking removes the name
    await boris.press(live(boris, shared), "🙈 Stop sharing my progress")
    assert "no longer shared" in (await boris.next_edit()).text
    screen = await _team_screen(manager)
    assert "Boris" not in screen.text and "nobody yet" in screen.text


async def test_a_strangers_forged_team_buttons_get_nothing(harness):
    manager = await greeted(harness, 4100, "Maria")
    link, _ = await team_of(manager, "Front office")
    member = await greeted(harness, 4101, "Anna")
    await member.send(f"/start {link}")
    await member.next_message()
    stranger = await greeted(harness, 4102, "Eve")
    await stranger.send("/team")
    mine = await stranger.next_message()
    team_id = (await harness.storage.teams_of(4100))[0].id
    for data in (
        f"tmo:{team_id}",
        f"tmc:m:{team_id}:0",
        f"tmc:a:{team_id}:4102",
        f"tmc:a:{team_id}:4101",
        f"tmc:hs:{team_id}:4101",
        f"tsh:{team_id}:1",
        f"tm:dd:{team_id}",
    ):
        await stranger.press_raw(mine, data)
        answer = await stranger.next_event(kinds=("callback_answer",))
        assert answer.callback.answer.get("text") in (
            "You are not in this team.",
            "Only the team’s manager can do that.",
        ), data
    await stranger.press_raw(mine, f"tm:r:{team_id}")
    assert (await stranger.next_message()).text == "Only the team’s manager can see its results."
    # a member's forged owner buttons get nothing either
    await member.press_raw(mine_of := await _team_screen(member), f"tmc:a:{team_id}:4101")
    answer = await member.next_event(kinds=("callback_answer",))
    assert answer.callback.answer.get("text") == "Only the team’s manager can do that."
    assert "Anna" not in mine_of.text
    storage = harness.storage
    assert not await storage.is_manager(team_id, 4101) and not await storage.is_manager(
        team_id, 4102
    )
    assert (await storage.get_team(team_id)).manager_id == 4100
    assert await storage.shared_progress(team_id) == []
    assert await storage.teams_of(4100)
