"""Companies learning together, end to end on an injected clock: a manager assigns a series
to a team of four; members get it in their slots with its due date; the one behind gets one
reminder (in their slot, so never in quiet hours); the manager's weekly digest comes on its
day with shares and without names but of the member who chose to share; a member who
finishes gets a certificate that /verify confirms; deleting a member's data takes them out
of every figure; a co-manager assigns too, and after a hand-over the old owner may not.
The manager speaks each of en, ru and uk in turn; so does the member who falls behind."""

from __future__ import annotations

import re

import pytest

from bot.i18n import translator
from tests.e2e.clocked import HARNESS, START, at, quiz_then_rating, set_kyiv  # noqa: F401
from tests.e2e.steps import labels, next_toast

SERIES = "prejudices"  # three lessons
TEAM = "Front office"

# what the manager reads, in their language (CLDR writes "25 %" in Russian, with a no-break
# space: the texts are compared with plain spaces; "25%" in Ukrainian and English)
SAYS = {
    "en": {
        "digest": "Your weekly digest",
        "shares": ("✅ 25% done", "🟢 50% on track", "⚠️ 25% behind", "(of 4 members)"),
        "named": "Member4: 1 of 3, on pace",
        "accuracy": "Quiz answers right: 100%",
        "hidden": "Shares are hidden",
        "too_few": "Quiz answers right: not enough yet",
    },
    "ru": {
        "digest": "Ваш дайджест за неделю",
        "shares": (
            "✅ 25 % завершили", "🟢 50 % идут по плану", "⚠️ 25 % отстают", "(из 4 участников)"
        ),
        "named": "Member4: 1 из 3, в графике",
        "accuracy": "Верных ответов в тестах: 100 %",
        "hidden": "Доли скрыты",
        "too_few": "Верных ответов в тестах: пока мало данных",
    },
    "uk": {
        "digest": "Ваш дайджест за тиждень",
        "shares": (
            "✅ 25% завершили", "🟢 50% ідуть за планом", "⚠️ 25% відстають", "(з 4 учасників)"
        ),
        "named": "Member4: 1 з 3, у графіку",
        "accuracy": "Правильних відповідей у тестах: 100%",
        "hidden": "Частки приховано",
        "too_few": "Правильних відповідей у тестах: поки замало даних",
    },
}  # fmt: skip
# the member who falls behind: a language other than the manager's
BEHIND_LANGUAGE = {"en": "ru", "ru": "uk", "uk": "en"}
DUE_WORD = {"en": "due", "ru": "срок", "uk": "термін"}


def text(message) -> str:
    return message.text.replace("\xa0", " ")


async def person(h, user_id: int, name: str, language: str):
    """A new user (Kyiv: ru/uk guess it; an English speaker chooses it)."""
    user = h.user(user_id, name, language=language)
    await user.send("/start")
    await user.next_message()
    if language == "en":
        await set_kyiv(user)
    return user


async def team_screen(user, team_id: int):
    user.skip_pending()
    await user.send("/team")
    listing = await user.next_message()
    await user.press(listing, data=f"tmo:{team_id}")
    return await user.next_edit()


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
async def test_a_team_learns_together(h, clock, lang):
    t = translator(lang)
    manager = await person(h, 5000, "Maria", lang)
    await manager.send(f"/team new {TEAM}")
    link = re.search(r"start=(t_[a-z0-9]{10})", (await manager.next_message()).text).group(1)
    (team,) = await h.storage.teams_of(5000)
    behind_lang = BEHIND_LANGUAGE[lang]
    members = {
        5001: await person(h, 5001, "Member1", "en"),
        5002: await person(h, 5002, "Member2", "en"),
        5003: await person(h, 5003, "Member3", behind_lang),
        5004: await person(h, 5004, "Member4", "en"),
    }
    for member in members.values():
        await member.send(f"/start {link}")
        await member.next_message()  # joined (and invited to the self-assessment)
    sharer = members[5004]
    screen = await team_screen(sharer, team.id)
    await sharer.press(screen, data=f"tsh:{team.id}:1")
    assert "now shared" in (await sharer.next_edit()).text

    # the manager assigns the series, due in a week (Monday 30 November), and picks Friday
    screen = await team_screen(manager, team.id)
    assert t._("📌 Assignments") in labels(screen)
    await manager.press(screen, data=f"agm:{team.id}")
    menu = await manager.next_edit()
    await manager.press(menu, data=f"ags:{team.id}:{SERIES}")
    dates = await manager.next_edit()
    assert len(labels(dates)) == 5  # four due dates and Cancel
    await manager.press(dates, data=f"agd:{team.id}:{SERIES}:1")
    assert await next_toast(manager) == t._("Assigned.")
    assigned = await manager.next_edit()
    assert "4" in text(assigned).split("\n")[0] and "30" in text(assigned).split("\n")[0]
    await manager.press(assigned, data=f"tmo:{team.id}")
    screen = await manager.next_edit()
    await manager.press(screen, data=f"dgd:{team.id}")
    picker = await manager.next_edit()
    await manager.press(picker, data=f"dgd:{team.id}:4")
    assert await next_toast(manager) is not None
    await manager.next_edit()
    await h.settle()
    manager.skip_pending()

    # the one who will fall behind keeps 09:00-12:00 quiet (Kyiv): their lessons come at noon
    await h.storage.set_prefs(5003, at(24, 10, 0), quiet_start=9 * 60, quiet_end=12 * 60)

    async def morning(day: int) -> dict:
        """09:00 in Kyiv: everyone's lesson but the quiet one's, which comes at 12:00."""
        clock.set(at(day, 7, 0))
        got = {i: await m.next_message() for i, m in members.items() if i != 5003}
        await h.settle()
        members[5003].assert_no_event()  # their quiet hours: nothing, not even a reminder
        clock.set(at(day, 10, 0))
        got[5003] = await members[5003].next_message()
        await h.settle()
        for member in members.values():
            member.assert_no_event()  # one message a day each
        return got

    # Tuesday: every member's lesson says who assigned it and when it is due
    for user_id, drip in (await morning(24)).items():
        member = members[user_id]
        assert TEAM in drip.text and DUE_WORD[member.language_code] in drip.text
        assert "⏰" not in drip.text
    for user_id in (5001, 5002, 5004):
        await quiz_then_rating(h, members[user_id], "too-big", right=True)
    manager.assert_no_event()  # the manager takes no assignment

    # the member sees the assignment in /subscriptions, in their language
    behind = members[5003]
    await behind.send("/subscriptions")
    listing = await behind.next_message()
    said = translator(behind_lang)._(
        "📌 assigned by your team <b>{team}</b>, due <b>{day}</b>", team=TEAM, day="DAY"
    )
    assert said.split("DAY")[0].replace("<b>", "").replace("</b>", "") in listing.text

    # Wednesday: not behind yet (an even pace asks for 0 of 3 by now)
    assert all("⏰" not in drip.text for drip in (await morning(25)).values())
    for user_id in (5001, 5002):
        await quiz_then_rating(h, members[user_id], "too-expensive", right=True)

    # Thursday, two working days left: the one behind is reminded, inside that day's lesson
    for user_id, drip in (await morning(26)).items():
        assert ("⏰" in drip.text) is (user_id == 5003), (user_id, drip.text)
    result, _ = await quiz_then_rating(h, members[5001], "managed-without", right=True)
    assert "🎓 Get your certificate" in labels(result)

    # Friday 09:00 in Kyiv: the digest, shares without names but of the member who shares
    clock.set(at(27, 7, 0))
    digest = await manager.next_message()
    said = SAYS[lang]
    assert said["digest"] in text(digest)
    for share in said["shares"]:
        assert share in text(digest), text(digest)
    assert said["named"] in text(digest) and said["accuracy"] in text(digest)
    for name in ("Member1", "Member2", "Member3"):
        assert name not in digest.text
    await h.settle()
    manager.assert_no_event()
    clock.set(at(27, 10, 0))
    friday = await members[5003].next_message()  # the recap: no second reminder
    assert "⏰" not in friday.text

    # the finisher's certificate, confirmed by anyone
    finisher = members[5001]
    finisher.skip_pending()  # Friday's recap
    await finisher.press(result, "🎓 Get your certificate")
    await finisher.next_message()  # the name to print
    await finisher.send("Member One")
    assert (await finisher.next_message()).kind == "document"  # PNG
    assert (await finisher.next_message()).kind == "document"  # PDF
    code = re.search(r"Code: ([A-Z2-9]{10})", (await finisher.next_message()).text).group(1)
    stranger = h.user(5009, "Taras", language="en")
    await stranger.send(f"/verify {code}")
    assert "✅ Valid: Member One" in (await stranger.next_message()).text

    # the finisher deletes their data: out of every figure (3 others, 2 of them unnamed:
    # the shares would give those two away; two people answered quizzes: too few)
    finisher.skip_pending()
    await finisher.send("/mydata")
    await finisher.press(await finisher.next_message(), "🗑 Delete all my data")
    await finisher.press(await finisher.next_edit(), "🗑 Yes, delete everything")
    await finisher.next_edit()
    screen = await team_screen(manager, team.id)
    assert said["hidden"] in text(screen) and said["too_few"] in text(screen)
    assert said["named"] in text(screen)

    # a co-manager assigns too; after the hand-over the old owner may not
    await manager.press(screen, data=f"tmc:m:{team.id}:0")
    await manager.press(await manager.next_edit(), data=f"tmc:a:{team.id}:5002")
    chosen = await manager.next_edit()
    co = members[5002]
    co_screen = await team_screen(co, team.id)
    await co.press(co_screen, data=f"agm:{team.id}")
    co_menu = await co.next_edit()
    assert "✖️ Withdraw: Prejudices" in labels(co_menu)  # the assignment, theirs to manage
    await manager.press(chosen, data=f"tmc:h:{team.id}:5002")
    await manager.press(await manager.next_edit(), data=f"tmc:hl:{team.id}:5002")
    await manager.next_edit()
    await manager.press_raw(screen, f"agm:{team.id}")  # its button, pressed before the edit
    assert await next_toast(manager) == t._("Only the team’s manager can do that.")
    assert (await h.storage.get_team(team.id)).manager_id == 5002
