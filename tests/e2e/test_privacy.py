"""/privacy and /mydata end to end: the notice in three languages, reachable from ➕ More, and
/mydata listing (and deleting) review history, announcements received and managed teams.
"""

from __future__ import annotations

import pytest

from bot.i18n import translator


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
async def test_privacy_says_what_is_stored_who_sees_it_and_how_to_delete(harness, standin, lang):
    t = translator(lang)
    user = harness.user(1001, language=lang)
    await user.send("/privacy")
    notice = await user.next_message()
    heading = t._("<b>Privacy</b>").removeprefix("<b>").removesuffix("</b>")
    assert notice.text.startswith(heading)  # the bold heading, in their language
    assert "/mydata" in notice.text
    assert t.n_("• Teams: the manager sees only team figures — averages per obstacle, the "
                "share of members done, on track and behind with an assigned series, the "
                "week’s quiz accuracy and lesson ratings — each only once at least {n} other "
                "member is behind it; never one person’s answers.",
                "• Teams: the manager sees only team figures — averages per obstacle, the "
                "share of members done, on track and behind with an assigned series, the "
                "week’s quiz accuracy and lesson ratings — each only once at least {n} other "
                "members are behind it; never one person’s answers.",
                3) in notice.text  # fmt: skip
    assert t._("• A team’s co-managers see what its manager sees. Only if you choose to share "
               "your progress with a team (on its screen in /team) do its managers see your "
               "first name, how many lessons you completed and whether you are on track with "
               "an assigned series; you can stop at any time.") in notice.text  # fmt: skip
    if lang != "en":
        assert "Who sees what" not in notice.text  # translated, not English
    menu = {c["command"]: c["description"] for c in standin.get_commands(language_code=lang)}
    assert menu["privacy"] == t._("What is stored and who sees it")


async def test_privacy_is_one_tap_from_more_and_next_to_mydata(harness):
    user = harness.user(1002)
    await user.send("/menu")
    menu = await user.next_message()
    await user.press(menu, "➕ More")
    more = await user.next_edit()
    assert "/privacy" in more.text and "/mydata" in more.text
    await user.press(more, "🔒 Privacy")
    notice = await user.next_edit()
    assert notice.message_id == menu.message_id and notice.text.startswith("Privacy")
    await user.press(notice, "➕ More")
    assert "🔒 Privacy" in [text for text, _ in (await user.next_edit()).buttons]
    await user.send("/mydata")
    assert "Who sees what: /privacy." in (await user.next_message()).text
    await user.send("/help")
    assert "/privacy: what the bot stores and who sees it" in (await user.next_message()).text
