"""Failures a learner would notice: a refused reply, a failing handler."""

from __future__ import annotations

from bot.i18n import translator


async def test_a_forbidden_reply_marks_the_user_without_retry(harness, standin):
    user = harness.user(2010, "Oleh", "en")
    await user.send("/start")
    await user.next_message()
    standin.faults.add(method="sendMessage", chat_id=2010, kind="forbidden", times=1)
    before = len(standin.calls_of("sendMessage"))
    await user.send("/help")

    async def blocked() -> bool:
        return (await harness.storage.get_user(2010)).blocked

    await harness.settle()
    assert await blocked()
    user.assert_no_event()
    assert len(standin.calls_of("sendMessage")) == before + 1  # the one refused attempt


async def test_a_failing_handler_apologises(harness, standin):
    t = translator("en")
    user = harness.user(2011, "Ann", "en")
    standin.faults.add(
        method="sendMessage",
        chat_id=2011,
        kind="bad_request",
        description="Bad Request: boom",
        times=1,
    )
    await user.send("/help")
    apology = await user.next_message()
    assert apology.text == t._(
        "Sorry, something went wrong on my side. Please try again in a moment."
    )
