"""No wasted Bot API calls: an edit that would change nothing is not made.

Pressing the same button twice (the second press before or after the first edit arrived), or a
button leading to the screen it is on: one editMessageText, every press answered, and never a
"message is not modified" refusal. Presses that do change the screen still edit every time.
"""

from __future__ import annotations

from tests.e2e.conftest import Harness


def calls(h: Harness, method: str) -> list:
    return h.standin.calls_of(method)


def refused_edits(h: Harness) -> list[str]:
    return [
        call.description or ""
        for call in h.standin.calls
        if call.method.lower().startswith("edit") and not call.ok
    ]


async def settings(h: Harness, user_id: int):
    user = h.user(user_id, "Olena", "en")
    await user.send("/settings")
    overview = await user.next_message()
    return user, overview


async def answered(h: Harness, user, n: int, edits: int) -> None:
    """Once every press has been handled: ``n`` answers and exactly ``edits`` edits."""
    await h.settle()
    user.skip_pending()
    assert len(calls(h, "answerCallbackQuery")) == n
    assert len(calls(h, "editMessageText")) == edits


async def test_a_double_press_edits_once_and_answers_both(h):
    user, overview = await settings(h, 5001)
    shown_before = (overview.text, list(overview.buttons))  # stand-in messages change in place
    # both presses reach Telegram before the bot's edit: both carry the overview as it was
    await user.press(overview, data="set:z")
    await user.press(overview, data="set:z")
    picker = await user.next_edit()
    await answered(h, user, 2, edits=1)
    assert refused_edits(h) == []
    assert (picker.text, picker.buttons) != shown_before


async def test_pressing_again_on_the_screen_it_leads_to_answers_only(h):
    user, overview = await settings(h, 5002)
    await user.press(overview, data="set:d")
    days = await user.next_edit()
    await answered(h, user, 1, edits=1)
    # the edit has arrived; the learner presses the button of this very screen again (as from
    # a copy of the keyboard that had it): the message already shows it
    await user.press_raw(days, "set:d")
    await answered(h, user, 2, edits=1)
    assert refused_edits(h) == []


async def test_the_menu_button_pressed_twice_edits_once(h):
    user, overview = await settings(h, 5003)
    menu = next(data for text, data in overview.buttons if "Menu" in text)
    await user.press(overview, data=menu)
    await user.press(overview, data=menu)
    menu_screen = await user.next_edit()
    assert menu_screen.text == "What would you like to do?"
    await answered(h, user, 2, edits=1)
    assert refused_edits(h) == []


async def test_the_same_day_twice_edits_once_and_other_presses_edit_every_time(h):
    user, overview = await settings(h, 5004)
    await user.press(overview, data="set:d")
    days = await user.next_edit()
    monday_off, every_day, weekdays = (
        next(data for text, data in days.buttons if text == label)
        for label in ("✅ Mon", "Every day", "Mon–Fri")
    )
    shown_before = (days.text, list(days.buttons))  # the stand-in's messages change in place
    # three quick presses on the same copy: Monday off, twice (one edit), then Mon–Fri, which
    # is what that copy shows but no longer what the message shows: it is edited back
    for data in (monday_off, monday_off, weekdays):
        await user.press(days, data=data)
    await answered(h, user, 4, edits=3)
    edits = calls(h, "editMessageText")
    assert "sd:31" in str(edits[1].params.get("reply_markup"))  # Monday off: "Mon" turns it on
    assert (days.text, days.buttons) == shown_before
    second = days
    # a fresh press that changes the screen still edits it
    await user.press(second, data=every_day)
    await user.next_edit()
    labels = [text for text, _ in second.buttons]
    assert "✅ Sat" in labels and "✅ Sun" in labels  # every day on now
    await answered(h, user, 5, edits=4)
    assert refused_edits(h) == []
