"""Subscriptions, the daily drip, reviews, reminders and settings, end to end.

The real Application runs against the stand-in with an injected clock (the tests move it)
and a fast tick, so "tomorrow at 09:00" takes milliseconds. Kyiv is UTC+2 in November.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.sqlite import SQLiteStorage
from tests.e2e import clocked
from tests.e2e.clocked import (
    FREE_TEXT_HINT,
    at,
    blocked,
    labels,
    newcomer,
    quiet_hours_picker,
    restart_at,
    subscribe,
    subscriber,
    take_quiz,
)
from tests.e2e.steps import wait_until

START, HARNESS = clocked.START, clocked.HARNESS  # the clock and settings of the fixture h


async def test_drip_arrives_at_local_time_one_lesson_a_day_then_the_recap(h, clock):
    user = await newcomer(h)
    confirmation = await subscribe(user, "prejudices")
    assert "At 09:00, Monday to Friday, you get the next lesson" in confirmation
    assert "Time zone: Kyiv, now " in confirmation
    assert "Next delivery: Tue 24 Nov, 09:00" in confirmation
    await h.settle()
    user.assert_no_event()  # nothing before the slot

    clock.set(at(24, 7, 0))  # Tuesday 09:00 Kyiv
    drip = await user.next_message()
    assert drip.text.startswith("📬 Your lesson for today")
    assert "Too big for personal service?" in drip.text
    assert any(text == "📝 Take the quiz" for text, _ in labels(drip))
    # the drip says how to stop it: pause this series, or manage every subscription
    assert ("⏸ Pause this series", "spd:prejudices") in labels(drip)
    assert ("🔔 Subscriptions", "subs:n") in labels(drip)

    clock.set(at(24, 15))  # later the same day: nothing more
    await h.settle()
    user.assert_no_event()

    clock.set(at(25, 7, 1))
    assert "Customer processes cost too much?" in (await user.next_message()).text

    await user.send("/subscriptions")
    overview = await user.next_message()
    assert (
        "Prejudices about customer processes" in overview.text
        and "0 of 3 lessons completed · opened: 2" in overview.text
    )
    # titles, never ids, on the buttons
    assert ("✖️ Prejudices", "su:prejudices") in labels(overview)  # its short title
    await user.press(overview, "⏸ Pause")
    assert "paused" in (await user.next_edit()).text
    clock.set(at(26, 7, 1))
    await h.settle()
    user.assert_no_event()  # paused: Thursday passes quietly

    await user.press(overview, "▶️ Resume")
    await user.next_edit()
    clock.set(at(27, 7, 1))
    assert "We’ve always managed without" in (await user.next_message()).text

    clock.set(at(30, 7, 1))  # Saturday and Sunday are off; Monday: the series is over
    recap = await user.next_message()
    # every lesson delivered, no quiz taken: not "complete", and it says what is left
    assert "Series complete" not in recap.text
    assert "You have received every lesson of Prejudices about customer processes" in recap.text
    assert "0 of 3 lessons completed · opened: 3. Finish the remaining quizzes" in recap.text
    assert "What to take next:" in recap.text
    assert any(text.startswith("🔔 ") for text, _ in labels(recap))
    await user.send("/subscriptions")
    assert "all lessons sent, 0 of 3 lessons completed" in (await user.next_message()).text


async def test_several_series_come_as_one_message(h, clock):
    user = await subscriber(h)
    await subscribe(user, "outside-in")
    clock.set(at(24, 7, 1))
    digest = await user.next_message()
    assert digest.text.startswith("📬 Your lessons for today")
    assert "Everything is fine as it is" in digest.text
    assert "An approach, not a process" in digest.text
    await h.settle()
    user.assert_no_event()


async def test_restart_after_downtime_delivers_a_missed_slot_once(h, clock):
    user = await subscriber(h)
    await restart_at(h, clock, at(27, 12))  # down from Monday to Friday noon: three slots missed

    catch_up = await user.next_message()
    assert "Everything is fine as it is" in catch_up.text
    await h.settle()
    user.assert_no_event()  # once, not once per missed day
    clock.set(at(30, 7, 1))  # next Monday
    assert "A leader in name only" in (await user.next_message()).text


async def test_a_crash_between_claim_and_send_loses_nothing(h, clock):
    user = await subscriber(h)
    await h.stop()
    clock.set(at(24, 7, 1))
    crashed = SQLiteStorage(h.db_path)  # another process claims the slot, then dies
    await crashed.open()
    claims = await crashed.claim_due(clock(), 10)
    assert [c.user.id for c in claims] == [1001]
    await crashed.close()
    await h.start()  # recovery makes the slot due again
    assert "Everything is fine as it is" in (await user.next_message()).text
    await h.settle()
    user.assert_no_event()


async def test_a_crash_during_the_send_never_sends_it_twice(h, clock):
    user = await subscriber(h)
    await h.stop()
    clock.set(at(24, 7, 1))
    crashed = SQLiteStorage(h.db_path)  # another process claims the slot, starts the send,
    await crashed.open()  # and dies before it knows whether Telegram has the message
    [claim] = await crashed.claim_due(clock(), 10)
    assert await crashed.mark_delivery_sending(1001, claim.slot_at, claim.claimed_at, clock())
    await crashed.close()
    await h.start()
    await h.settle()
    user.assert_no_event()  # it may have arrived: not sent again
    clock.set(at(25, 7, 1))  # the next slot comes as usual (the lesson, as it was unconfirmed)
    assert "Everything is fine as it is" in (await user.next_message()).text
    await h.settle()
    user.assert_no_event()


async def test_a_graceful_stop_finishes_the_delivery_it_started(h, clock, standin):
    user = await subscriber(h)
    standin.faults.add("sendMessage", kind="delay", seconds=0.6, chat_id=1001)
    sent_before = standin.call_counts["sendmessage"]
    clock.set(at(24, 7, 1))

    async def sending() -> bool:
        return standin.call_counts["sendmessage"] > sent_before

    await wait_until(sending)  # the drip is on its way (and slow)
    await h.stop()  # waits for it
    await h.start()
    message = await user.next_message()
    assert "Everything is fine as it is" in message.text
    await h.settle()
    user.assert_no_event()


async def test_flood_control_is_waited_out_and_the_drip_sent_once(h, clock, standin):
    user = await subscriber(h)
    standin.faults.add("sendMessage", kind="retry_after", retry_after=1, chat_id=1001)
    clock.set(at(24, 7, 1))
    assert "Everything is fine as it is" in (await user.next_message(timeout=5)).text
    await h.settle()
    user.assert_no_event()
    assert [c.ok for c in standin.calls_of("sendMessage") if c.params.get("chat_id") == 1001][
        -2:
    ] == [False, True]


async def test_blocked_user_stops_deliveries_and_returns_with_progress(h, clock, standin):
    user = await subscriber(h)
    clock.set(at(24, 7, 1))
    await user.next_message()  # Tuesday's lesson
    standin.faults.add("sendMessage", kind="forbidden", chat_id=1001, times=None)
    clock.set(at(25, 7, 1))
    await h.settle()
    assert await blocked(h, 1001)
    clock.set(at(26, 7, 1))
    await h.settle()
    user.assert_no_event()  # not retried: the user is marked blocked
    standin.faults.clear()
    await user.send("/start")  # back again
    await user.next_message()
    await user.send("/subscriptions")
    assert "0 of 7 lessons completed · opened: 1" in (await user.next_message()).text
    clock.set(at(27, 7, 1))
    assert "A leader in name only" in (await user.next_message()).text


async def test_quiet_hours_hold_a_late_catch_up_until_morning(h, clock):
    user = await subscriber(h)
    # 23:30 in Kyiv: the missed 09:00 slot is found in quiet hours
    await restart_at(h, clock, at(24, 21, 30))
    await h.settle()
    user.assert_no_event()
    clock.set(at(25, 6, 1))  # 08:01: quiet hours are over
    assert "Everything is fine as it is" in (await user.next_message()).text
    clock.set(at(25, 7, 1))  # Wednesday's own slot: already delivered today
    await h.settle()
    user.assert_no_event()


async def test_daily_nudge_tells_how_many_reviews_are_due(h, clock):
    user = await newcomer(h)
    cards = await take_quiz(h, user, "silos")
    clock.set(at(30, 7, 1))  # a week later the cards are due: the slot says so
    nudge = await user.next_message()
    assert f"{cards} review cards are due today" in nudge.text
    await user.press(nudge, "🔁 Review now")
    assert (await user.next_message()).text.startswith("🔁 Review")


async def test_settings_by_buttons_and_by_typing(h, clock):
    user = await newcomer(h)
    await user.send("/settings")
    overview = await user.next_message()
    await user.press(overview, "🕘 Time")
    picker = await user.next_edit()
    await user.press(picker, "08:00")  # 07:00 is within the default quiet hours
    assert "Time: 08:00" in (await user.next_edit()).text
    await user.press(overview, "🌍 Time zone")
    zones = await user.next_edit()
    await user.press(zones, "⌨️ Type a city or 📍 send location")
    await user.next_edit()
    await user.next_message()  # the offer to share a location
    await user.send("Qwertyland")  # (Atlantis is a town in South Africa)
    assert "do not know that place" in (await user.next_message()).text
    await user.send("berlin")
    assert "Berlin, now 11:00. Saved." in (await user.next_message()).text
    overview = await user.next_message()
    assert "Time zone: Berlin, now 11:00" in overview.text
    await user.send("hello")  # no longer awaited: the usual hint
    assert (await user.next_message()).text == FREE_TEXT_HINT
    await user.press(overview, "🌙 Quiet hours")
    quiet = await user.next_edit()
    await user.press(quiet, "⌨️ Type them")
    await user.next_edit()
    await user.send("/help")  # a command cancels typing
    assert (await user.next_message()).text.startswith("CX Coach: short lessons")
    await user.send("23-7")  # no longer awaited: not taken as quiet hours
    assert (await user.next_message()).text == FREE_TEXT_HINT
    stored = await h.storage.get_user(1001)
    assert (stored.quiet_start, stored.quiet_end) == (22 * 60, 8 * 60)  # the defaults, kept


async def test_an_evening_time_in_quiet_hours_brings_every_weekdays_lesson(h, clock):
    """A Kyiv learner who chose 22:30 before settings refused times inside the quiet hours
    (22:00-08:00): each weekday's lesson waits for the next morning, and none is skipped."""
    user = await subscriber(h)
    # stored directly, with the slot the old engine planned: Monday 22:30
    await h.storage.set_prefs(1001, at(23, 20, 30), delivery_time=22 * 60 + 30)
    titles = [lesson.title for lesson in h.catalog.series("en", "why-cx-fails").lessons]

    clock.set(at(23, 20, 31))  # Monday 22:31: quiet hours, nothing
    await h.settle()
    user.assert_no_event()
    received = []
    for day in (24, 25, 26, 27, 28):  # 08:01 on Tuesday to Saturday: Monday's to Friday's
        clock.set(at(day, 6, 1))
        received.append((await user.next_message()).text)
        if day == 24:
            await user.send("/settings")  # it says when the next lesson really comes
            overview = (await user.next_message()).text
            assert "Next delivery: Wed 25 Nov, 08:00" in overview
            clock.set(at(24, 20, 31))  # Tuesday 22:31: Tuesday's lesson waits for the morning
            await h.settle()
            user.assert_no_event()
    for text, title in zip(received, titles, strict=False):
        assert text.startswith("📬 Your lesson for today") and title.strip("“”") in text
    clock.set(at(29, 6, 1))  # Sunday and Monday mornings: Saturday and Sunday are not chosen
    await h.settle()
    user.assert_no_event()
    clock.set(at(30, 6, 1))
    await h.settle()
    user.assert_no_event()
    clock.set(datetime(2026, 12, 1, 6, 1, tzinfo=UTC))  # Tuesday 08:01: Monday's lesson
    assert titles[5].strip("“”") in (await user.next_message()).text
    await h.settle()
    user.assert_no_event()


async def test_a_message_telegram_refuses_is_not_resent_every_15_minutes(h, clock, standin):
    """A 400 (e.g. a message too long) would come back on every retry: the slot is given up
    and the next one planned as usual, instead of a retry every 15 minutes forever."""
    user = await subscriber(h)
    standin.faults.add(
        "sendMessage",
        kind="bad_request",
        chat_id=1001,
        times=None,
        description="Bad Request: message is too long",
    )
    tries_before = len(
        [c for c in standin.calls_of("sendMessage") if c.params.get("chat_id") == 1001]
    )

    async def tried() -> bool:
        calls = [c for c in standin.calls_of("sendMessage") if c.params.get("chat_id") == 1001]
        return len(calls) > tries_before

    clock.set(at(24, 7, 1))  # Tuesday's slot (09:00 in Kyiv)
    await h.settle()
    assert await tried()
    refused = len([c for c in standin.calls_of("sendMessage") if c.params.get("chat_id") == 1001])
    for minutes in (16, 31, 46, 61, 120):  # no retry of the same message during the day
        clock.set(at(24, 7, 1) + timedelta(minutes=minutes))
        await h.settle()
    calls = [c for c in standin.calls_of("sendMessage") if c.params.get("chat_id") == 1001]
    assert len(calls) == refused
    standin.faults.clear()
    clock.set(at(25, 7, 1))  # Wednesday's slot comes as usual
    assert "Everything is fine as it is" in (await user.next_message(timeout=5)).text


async def test_the_days_picker_moves_the_drip_to_the_chosen_days(h, clock):
    user = await subscriber(h, 1202)
    await user.send("/settings")
    overview = await user.next_message()
    await user.press(overview, "📅 Days")
    days = await user.next_edit()
    await user.press(days, "▫️ Sat")  # Saturday on ...
    days = await user.next_edit()
    for weekday in ("✅ Mon", "✅ Tue", "✅ Wed", "✅ Thu", "✅ Fri"):  # ... and weekdays off
        await user.press(days, weekday)
        days = await user.next_edit()
    assert "Now: Saturday." in days.text or "Now: Sat" in days.text, days.text
    assert (await h.storage.get_user(1202)).delivery_days == 0b0100000
    for day in (24, 25, 26, 27):  # Tuesday to Friday at 09:01 Kyiv: nothing
        clock.set(at(day, 7, 1))
        await h.settle()
        user.skip_pending()  # (the pickers' toasts and edits)
        assert not any("Your lesson" in m.text for m in user.bot_messages())
    clock.set(at(28, 7, 1))  # Saturday 09:01
    assert "Everything is fine as it is" in (await user.next_message()).text
    clock.set(at(29, 7, 1))  # Sunday: not chosen
    await h.settle()
    user.assert_no_event()
    await user.press(days, "Every day")  # the shortcut: every day from now on
    await user.next_edit()
    clock.set(at(30, 7, 1))  # Monday
    assert "A leader in name only" in (await user.next_message()).text


async def test_typed_quiet_hours_hold_a_catch_up_until_the_learners_own_morning(h, clock):
    user = await subscriber(h, 1203)
    quiet = await quiet_hours_picker(user)
    await user.press(quiet, "⌨️ Type them")
    await user.next_edit()
    await user.send("23:00-6:30")
    saved = await user.next_message()
    assert "Quiet hours: 23:00–06:30" in saved.text, saved.text
    stored = await h.storage.get_user(1203)
    assert (stored.quiet_start, stored.quiet_end) == (23 * 60, 6 * 60 + 30)

    # Tuesday 22:00 in Kyiv: the 09:00 slot was missed; awake
    await restart_at(h, clock, at(24, 20, 0))
    assert "Everything is fine as it is" in (await user.next_message()).text  # at once
    # Wednesday 23:30: missed again, now inside the quiet hours
    await restart_at(h, clock, at(25, 21, 30))
    await h.settle()
    user.assert_no_event()
    clock.set(at(26, 4, 31))  # Thursday 06:31 Kyiv: the learner's own morning, not 08:00
    assert "A leader in name only" in (await user.next_message()).text


async def test_quiet_hours_off_lets_a_catch_up_come_at_night(h, clock):
    user = await subscriber(h, 1204)
    quiet = await quiet_hours_picker(user)
    await user.press(quiet, "Off")
    assert "Quiet hours: off" in (await user.next_edit()).text
    assert (await h.storage.get_user(1204)).quiet_start is None
    # Wednesday 02:30 in Kyiv: a missed slot, no quiet hours
    await restart_at(h, clock, at(25, 0, 30))
    assert "Everything is fine as it is" in (await user.next_message()).text
