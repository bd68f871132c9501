"""A learner who blocks the bot is marked, and welcomed back with their data."""

from __future__ import annotations

from bot.i18n import translator
from tests.e2e.steps import wait_until


async def test_blocked_user_is_marked_and_welcomed_back_with_their_data(harness):
    user = harness.user(2009, "Iryna", "en")
    await user.send("/language")
    await user.press(await user.next_message(), button_text="Українська")
    await user.next_edit()
    await user.block()  # Telegram sends my_chat_member (member -> kicked)

    async def blocked() -> bool:
        return (await harness.storage.get_user(2009)).blocked

    await wait_until(blocked)
    await user.unblock()
    await user.send("/start")
    welcome = await user.next_message()
    assert welcome.text.startswith(translator("uk")._("Welcome back!"))  # in their language
    assert not await blocked()
