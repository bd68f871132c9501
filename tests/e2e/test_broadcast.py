"""Broadcasts end to end: to segments and to the channel, control, restart."""

from __future__ import annotations

from storage.sqlite import SQLiteStorage
from tests.e2e import admins
from tests.e2e.admins import (
    ADMIN,
    BOLD_NEWS,
    CHANNEL_ID,
    LockedOnce,
    admin,
    broadcast_running,
    broadcast_to,
    copies,
    draft,
    learners,
    make,
    until,
)
from tests.e2e.steps import live

START, HARNESS = admins.START, admins.HARNESS  # the clock and settings of the fixture h


async def test_non_admins_see_nothing_of_the_admin_side(h):
    [learner] = await learners(h, ["en"])
    for command in ("/broadcast", "/stats", "/export", "/broadcasts", "/announce"):
        await learner.send(command)
        reply = await learner.next_message()  # exactly what any unknown command gets
        assert reply.text == (
            f"I don’t know the command {command}. /help lists all my commands."
        ), command
    menu = learner.bot_messages()[-1]
    await learner.press_raw(menu, "ab:go:1")
    answer = await learner.next_event(kinds=("callback_answer",))
    assert not answer.callback.answer.get("text")  # silence
    await h.settle()
    learner.assert_no_event()


async def test_broadcast_to_a_segment_with_preview_count_and_one_copy_each(h):
    en, uk, ru = await learners(h, ["en", "uk", "ru"])
    boss = await admin(h)
    controls = await draft(boss)
    assert "4 recipients" in controls.text  # everyone active, the admin included
    await boss.press(controls, "uk")
    controls = await boss.next_edit()
    assert "Languages: uk" in controls.text and "1 recipient" in controls.text
    await boss.press(controls, "ru")
    controls = await boss.next_edit()
    assert "Languages: ru, uk" in controls.text and "2 recipients" in controls.text
    go = next(data for text, data in controls.buttons if text == "✅ Send now")
    await boss.press(controls, "✅ Send now")
    await boss.press_raw(controls, go)  # a double press must not send twice
    answers = [await boss.next_event(kinds=("callback_answer",)) for _ in range(2)]
    assert "already confirmed" in answers[1].callback.answer.get("text", "")
    await until(lambda: "finished" in live(boss, controls).text)
    assert "Sent: 2" in live(boss, controls).text
    assert [m.entities[0]["type"] for m in copies(uk)] == ["bold"]
    assert len(copies(ru)) == 1 and copies(en) == []
    await boss.send("/broadcasts")
    assert "2 sent, 0 failed, 0 blocked of 2" in (await boss.next_message()).text


async def test_blocked_and_failing_recipients_are_recorded_and_excluded_later(h, standin):
    a, b, c = await learners(h, ["en", "en", "en"])
    await b.block()
    standin.faults.add("copyMessage", kind="bad_request", chat_id=c.chat_id, times=None)
    boss = await admin(h)
    controls = await draft(boss)
    assert "3 recipients" in controls.text  # b blocked already (my_chat_member)
    await boss.press(controls, "✅ Send now")
    await until(lambda: "finished" in live(boss, controls).text)
    report = live(boss, controls)
    assert "Sent: 2" in report.text and "failed: 1" in report.text  # a and the admin
    assert any(text == "🔁 Retry the failed" for text, _ in report.buttons)
    standin.faults.clear()
    await boss.press(controls, "🔁 Retry the failed")
    await until(lambda: len(copies(c)) == 1)
    assert len(copies(a)) == 1 and copies(b) == []


async def test_an_audience_of_nobody_and_unsupported_messages_are_refused(h):
    boss = await admin(h)
    await boss.send("/broadcast")
    await boss.next_message()
    await boss.send_sticker()
    assert "cannot broadcast this kind" in (await boss.next_message()).text
    controls_text = "New series is out!"
    await boss.send(controls_text)
    await boss.next_message()
    controls = await boss.next_message()
    await boss.press(controls, "💤 Activity filter")
    controls = await boss.next_edit()
    assert "0 recipients" in controls.text
    await boss.press(controls, "✅ Send now")
    answer = await boss.next_event(kinds=("callback_answer",))
    assert "Nobody matches" in answer.callback.answer.get("text", "")


async def test_pause_resume_and_a_queued_second_broadcast(standin, tmp_path, clock):
    h = make(standin, tmp_path, clock, bulk_rate=10)
    await h.start()
    try:
        users, boss, controls = await broadcast_running(h, 30, 5, "⏸ Pause")
        await boss.press(controls, "⏸ Pause")
        await until(lambda: "paused" in live(boss, controls).text)
        await h.settle()  # the sends in flight at the pause have ended; nothing follows

        def sent() -> int:  # the learners' copies (the admin is the 31st recipient)
            return sum(len(copies(u)) for u in users)

        paused_at = sent()
        # the pacer's burst (10 at bulk_rate 10) went at once; the rest waited their turn
        # and were dropped by the pause, not sent "in flight" one by one
        assert 5 <= paused_at <= 12, paused_at
        clock.advance(hours=1)
        await h.settle()
        assert sent() == paused_at  # nothing while paused
        boss.skip_pending()  # the admin's own copy of the first broadcast
        second = await draft(boss, "Second news")
        await boss.press(second, "✅ Send now")
        await boss.press(controls, "▶️ Resume")
        await until(
            lambda: (
                "finished" in live(boss, controls).text and "finished" in live(boss, second).text
            ),
            10,
        )
        assert [len(copies(u)) for u in users] == [1] * 30  # the rest after Resume
        assert all(len(copies(u, "Second news")) == 1 for u in users)
    finally:
        await h.stop()


async def test_a_restart_mid_broadcast_resumes_without_duplicates(standin, tmp_path, clock):
    h = make(standin, tmp_path, clock, bulk_rate=25)
    await h.start()
    users, boss, controls = await broadcast_to(h, 40)
    await until(lambda: sum(len(copies(u)) for u in users) >= 10)
    await h.stop()  # graceful: the sends in flight finish and are recorded
    sent = sum(len(copies(u)) for u in users)
    assert sent < 41
    await h.start()
    try:
        await until(lambda: "finished" in live(boss, controls).text, 10)
        assert [len(copies(u)) for u in users] == [1] * 40
        assert len(copies(boss)) == 2  # the preview and the admin's own copy
    finally:
        await h.stop()


async def test_sends_in_doubt_after_a_crash_are_resent_only_if_the_admin_says_so(
    standin, tmp_path, clock
):
    h = make(standin, tmp_path, clock)
    await h.start()
    users = await learners(h, ["en"] * 3)
    boss = await admin(h)
    controls = await draft(boss)
    await h.stop()
    # another process confirmed it, sent to two and died while sending to the first learner
    dead = SQLiteStorage(h.db_path)
    await dead.open()
    [bid] = {int(data.split(":")[2]) for _, data in controls.buttons if data.startswith("ab:")}
    broadcast = await dead.get_broadcast(bid)
    await dead.update_broadcast(
        broadcast.id, progress_chat_id=ADMIN, progress_message_id=controls.message_id
    )
    await dead.set_blocked(ADMIN, True, clock())  # (the admin is not among these recipients)
    await dead.confirm_broadcast(broadcast.id, None, clock(), "en")
    claimed = await dead.claim_recipients(broadcast.id, "dead", 10, clock(), clock())
    assert await dead.mark_sending(broadcast.id, users[0].chat_id, "dead", clock())
    others = [(chat, "sent", None) for chat in claimed if chat != users[0].chat_id]
    await dead.record_results(broadcast.id, others, clock())
    await dead.close()
    await h.start()
    try:
        await until(lambda: "finished" in live(boss, controls).text)
        report = live(boss, controls)
        assert "1 send(s) were in flight" in report.text
        boss.skip_pending()  # the runner's progress edits
        await boss.press(report, "📨 Resend to the unconfirmed…")
        ask = await boss.next_edit()
        assert "may have delivered it" in ask.text and "gets the message twice" in ask.text
        await boss.press(ask, "↩️ No, keep the report")  # changes nothing
        kept = await boss.next_edit()
        assert "finished" in kept.text
        await h.settle()
        users[0].assert_no_event()
        await boss.press(kept, "📨 Resend to the unconfirmed…")
        ask = await boss.next_edit()
        await boss.press(ask, "📨 Yes, resend")
        await until(lambda: len(copies(users[0])) == 1)
        await until(lambda: "Sent: 3 · failed: 0" in live(boss, controls).text)
        final = live(boss, controls)
        assert all(text != "📨 Resend to the unconfirmed…" for text, _ in final.buttons)
        boss.skip_pending()
        users[0].skip_pending()
        await boss.press_raw(controls, f"ab:unc:{bid}:ok")  # a stale press sends nothing
        answer = await boss.next_event(kinds=("callback_answer",))
        assert "out of date" in answer.callback.answer.get("text", "")
        await h.settle()
        users[0].assert_no_event()
        assert len(copies(users[0])) == 1 and copies(users[1]) == []  # 1 and 2: "dead" sent
    finally:
        await h.stop()


async def test_a_database_error_mid_broadcast_loses_and_repeats_nobody(standin, tmp_path, clock):
    LockedOnce.failures = 1
    h = make(standin, tmp_path, clock, storage_class=LockedOnce)
    await h.start()
    try:
        users, boss, controls = await broadcast_to(h, 30)
        await until(lambda: "finished" in live(boss, controls).text, 20)
        assert LockedOnce.failures == 0  # the fault did happen
        assert "Sent: 31 · failed: 0" in live(boss, controls).text  # 30 learners + the admin
        await h.settle()
        assert [len(copies(u)) for u in users] == [1] * 30
    finally:
        await h.stop()


async def test_scheduled_broadcast_waits_for_its_time(h, clock):
    [learner] = await learners(h, ["en"])
    boss = await admin(h)
    controls = await draft(boss)
    await boss.press(controls, "🕐 In 1 hour")
    await until(lambda: "scheduled" in live(boss, controls).text)
    await h.settle()  # a whole broadcast run now: not yet its time
    assert copies(learner) == []
    clock.advance(minutes=61)
    await until(lambda: len(copies(learner)) == 1)


async def test_channel_announcement_with_a_deep_link_button(h, standin):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    controls = await draft(boss, "Announcing a series", command="/announce")
    assert "Announcement for @cxcoach_news" in controls.text
    await boss.press(controls, "🔗 Change the button")
    controls = await boss.next_edit()
    assert "Button: Why customer-centricity fails" in controls.text
    await boss.press(controls, "✅ Send now")
    await until(lambda: "finished" in live(boss, controls).text)
    [post] = [m for m in channel.transcript() if m.text == "Announcing a series"]
    button = post.reply_markup["inline_keyboard"][0][0]
    assert button["url"] == "https://t.me/cxcoach_test_bot?start=s_why-cx-fails"


async def test_channel_where_the_bot_is_not_admin_is_reported(h, standin):
    standin.channel(CHANNEL_ID, username="cxcoach_news", bot_is_admin=False, bot_is_member=False)
    boss = await admin(h)
    controls = await draft(boss, "Announcing a series", command="/announce")
    await boss.press(controls, "✅ Send now")
    await until(lambda: "finished" in live(boss, controls).text)
    assert "is its admin" in live(boss, controls).text


async def test_no_channel_configured(standin, tmp_path, clock):
    h = make(standin, tmp_path, clock, channel=None)
    await h.start()
    try:
        boss = await admin(h)
        await boss.send("/announce")
        assert "No channel is configured" in (await boss.next_message()).text
    finally:
        await h.stop()


async def test_cancel_a_draft_and_cancel_while_the_message_is_awaited(h):
    [learner] = await learners(h, ["en"])
    boss = await admin(h)
    await boss.send("/broadcast")
    assert "Send me the message" in (await boss.next_message()).text
    await boss.send("/cancel")  # before sending the message
    assert (await boss.next_message()).text == "Cancelled."
    await boss.send("Not a broadcast any more")  # plain text again: no draft, no preview
    assert (await boss.next_message()).text.startswith("Sorry, I can’t answer typed messages")
    assert await h.storage.broadcasts(10) == []

    controls = await draft(boss)
    toggle = controls.buttons[0][1]  # (the message changes in place when edited)
    await boss.press(controls, "✖️ Cancel")  # the draft's own Cancel
    assert (await boss.next_event(kinds=("callback_answer",))).callback.answer["text"] == (
        "Cancelled."
    )
    assert (await boss.next_edit()).text == "The draft is dropped."
    await boss.press_raw(controls, toggle)  # an old audience toggle: said so, nothing else
    answer = await boss.next_event(kinds=("callback_answer",))
    assert answer.callback.answer["text"] == "That draft was dropped."
    await h.settle()
    [(dropped, counts)] = await h.storage.broadcasts(10)
    assert dropped.status == "cancelled" and counts == {}
    assert copies(learner) == []


async def test_cancel_a_scheduled_broadcast_before_its_time(h, clock):
    [learner] = await learners(h, ["en"])
    boss = await admin(h)
    controls = await draft(boss)
    await boss.press(controls, "🕐 In 1 hour")
    await until(lambda: "scheduled" in live(boss, controls).text)
    await boss.press(live(boss, controls), "✖️ Cancel")
    await until(lambda: "was cancelled" in live(boss, controls).text)
    clock.advance(minutes=61)  # its time comes: nothing is sent
    await h.settle()
    assert copies(learner) == []
    [(cancelled, _)] = await h.storage.broadcasts(10)
    assert cancelled.status == "cancelled"


async def test_cancel_a_running_broadcast_stops_it_after_the_sends_in_flight(
    standin, tmp_path, clock
):
    h = make(standin, tmp_path, clock, bulk_rate=10)
    await h.start()
    try:
        users, boss, controls = await broadcast_running(h, 30, 3, "✖️ Cancel")
        await boss.press(live(boss, controls), "✖️ Cancel")
        await until(lambda: "was cancelled" in live(boss, controls).text)
        await h.settle()  # the sends in flight have ended; nothing follows
        sent = sum(len(copies(u)) for u in users)  # (the admin is the 31st recipient)
        assert 3 <= sent <= 12, sent  # the pacer's burst of 10, not all 30
        assert all(len(copies(u)) <= 1 for u in users)
        [(cancelled, counts)] = await h.storage.broadcasts(10)
        assert cancelled.status == "cancelled"
        assert counts.get("sent", 0) in (sent, sent + 1)  # (+1: the admin's own copy)
        clock.advance(hours=2)
        await h.settle()  # nothing resumes it later
        assert sum(len(copies(u)) for u in users) == sent
    finally:
        await h.stop()


async def test_a_scheduled_announcement_whose_channel_setting_is_gone_is_not_sent(
    standin, tmp_path, clock
):
    """Stored for "@cxcoach_news" (as chat 0), then the bot restarts without a channel: the
    announcement fails, saying why, and nothing is sent anywhere."""
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    h = make(standin, tmp_path, clock)
    await h.start()
    try:
        boss = await admin(h)
        controls = await draft(boss, "Announcing a series", command="/announce")
        await boss.press(controls, "🕐 In 1 hour")
        await until(lambda: "scheduled" in live(boss, controls).text)
    finally:
        await h.stop()
    h = make(standin, tmp_path, clock, channel=None)
    await h.start()
    try:
        clock.advance(minutes=61)
        await h.settle()
        [(broadcast, counts)] = await h.storage.broadcasts(1)
        assert counts == {"failed": 1} and broadcast.status == "done"
        assert [m.text for m in channel.transcript()] == []
    finally:
        await h.stop()


async def test_the_series_button_speaks_the_language_of_who_wrote_it(h, standin):
    """An announcement's button is in its author's language (the channel serves every
    language here), not the bot's default."""
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = h.user(ADMIN, "Admin", language="ru")
    await boss.send("/start")
    await boss.next_message()
    await boss.send("/announce")
    await boss.next_message()  # send me the message
    await boss.send("Анонс серии", entities=BOLD_NEWS)
    await boss.next_message()  # the preview
    controls = await boss.next_message()
    await boss.press(controls, data=data_of(controls, "ab:btn:"))
    controls = await boss.next_edit()
    await boss.press(controls, data=data_of(controls, "ab:go:"))
    await until(lambda: any(m.text == "Анонс серии" for m in channel.transcript()))
    [post] = [m for m in channel.transcript() if m.text == "Анонс серии"]
    assert post.reply_markup["inline_keyboard"][0][0]["text"] == "📚 Открыть серию"


def data_of(message, prefix: str) -> str:
    return next(data for _, data in message.buttons if data.startswith(prefix))
