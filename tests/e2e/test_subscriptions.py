"""Subscriptions end to end: unsubscribe (undo), pause from a drip, the drip stopping."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e import clocked
from tests.e2e.clocked import at, labels, newcomer, subscribe, subscriber
from tests.e2e.steps import next_toast

START, HARNESS = clocked.START, clocked.HARNESS  # the clock and settings of the fixture h


async def test_unsubscribe_can_be_undone_and_pause_from_a_drip_keeps_the_lesson(h, clock):
    user = await newcomer(h, 1105)
    await subscribe(user, "outside-in")
    await user.send("/subscriptions")
    overview = await user.next_message()
    await user.press(overview, data="su:outside-in")
    assert await next_toast(user) == "Unsubscribed. Your progress stays."
    after = await user.next_edit()
    assert "You have unsubscribed from Outside-in, not inside-out." in after.text
    undo = next(label for label, data in labels(after) if data == "sub:outside-in")
    assert undo.startswith("↩️ Subscribe again: ")
    await user.press(after, data="sub:outside-in")
    assert "You are subscribed to" in (await user.next_message()).text
    assert (await h.storage.subscriptions(1105))[0].status == "active"

    clock.set(at(24, 7, 1))  # Tuesday 09:01 Kyiv: the drip
    drip = await user.next_message()
    await user.press(drip, "⏸ Pause this series")
    assert await next_toast(user) == "Paused. Resume whenever you like."
    notice = await user.next_message()
    assert "is paused" in notice.text and ("▶️ Resume", "sr:outside-in") in labels(notice)
    assert user.transcript()[-2].text == drip.text  # the lesson is still there to read
    assert (await h.storage.subscriptions(1105))[0].status == "paused"
    await user.press(drip, data="subs:n")
    listing = await user.next_message()  # a new message: the lesson is not replaced
    assert "paused" in listing.text


async def test_unsubscribing_stops_the_drip(h, clock):
    user = await subscriber(h, 1201)
    clock.set(at(24, 7, 1))  # Tuesday 09:01 Kyiv: the first lesson
    assert "Everything is fine as it is" in (await user.next_message()).text
    await user.send("/subscriptions")
    overview = await user.next_message()
    await user.press(overview, data="su:why-cx-fails")
    assert await next_toast(user) == "Unsubscribed. Your progress stays."
    await user.next_edit()
    assert await h.storage.subscriptions(1201) == []
    # Wednesday to a week later at 09:01: no lesson, and no "it has been a few days" either
    # (it would push the very series they left)
    for day in (25, 26, 27, 30):
        clock.set(at(day, 7, 1))
        await h.settle()
        user.assert_no_event()
    clock.set(datetime(2026, 12, 1, 7, 1, tzinfo=UTC))
    await h.settle()
    user.assert_no_event()
