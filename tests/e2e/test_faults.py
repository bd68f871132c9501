"""Faults a learner would notice: a group's refusal, a former admin, the database down."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from bot.i18n import translator
from storage.sqlite import SQLiteStorage
from tests.e2e.conftest import FakeClock, Harness

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."


async def test_a_group_that_kicked_the_bot_does_not_mark_the_member_blocked(harness, standin):
    user = harness.user(1001)
    await user.send("/start")
    await user.next_message()
    await user.send("/subscriptions")  # a learner whose drips are planned
    await user.next_message()
    before = await harness.storage.get_user(1001)
    group = standin.group(-100500, "Team chat", members=[1001])
    standin.faults.add(
        "sendMessage",
        kind="forbidden",
        chat_id=-100500,
        times=None,
        description="Forbidden: bot was kicked from the group chat",
    )
    await user.send_in_group(group, "/start")  # the hint to write privately is refused
    await harness.settle()
    group.assert_no_event()
    assert [c.ok for c in standin.calls_of("sendMessage") if str(c.chat_id) == "-100500"] == [
        False
    ]  # tried once, refused, not retried
    after = await harness.storage.get_user(1001)
    assert after.blocked is False
    assert after.next_slot_at == before.next_slot_at
    await user.send("/progress")  # and the learner is answered as before
    assert (await user.next_message()).text.startswith("Your progress")


async def test_a_forbidden_in_the_private_chat_still_marks_blocked(harness, standin):
    user = harness.user(1002)
    await user.send("/start")
    await user.next_message()
    standin.faults.add("sendMessage", kind="forbidden", chat_id=1002)
    await user.send("/progress")
    await harness.settle()
    user.assert_no_event()
    assert (await harness.storage.get_user(1002)).blocked is True


async def test_a_former_admin_typing_text_gets_the_usual_answer(standin, tmp_path):
    clock = FakeClock(START)
    boss = Harness(standin, tmp_path / "cx.sqlite3", clock=clock, admin_ids=frozenset({500}))
    await boss.start()
    try:
        admin = boss.user(500, "Admin")
        await admin.send("/start")
        await admin.next_message()
        await admin.send("/broadcast")
        assert "Send me the message" in (await admin.next_message()).text
    finally:
        await boss.stop()
    # CXCOACH_ADMIN_IDS no longer names them; the message they were asked for is forgotten
    h = Harness(standin, tmp_path / "cx.sqlite3", clock=clock, admin_ids=frozenset())
    await h.start()
    try:
        await admin.send("hello there")
        reply = await admin.next_message()
        assert reply.text != APOLOGY
        assert reply.text.startswith("Sorry, I can’t answer typed messages")
        assert (await h.storage.get_user(500)).awaiting is None
    finally:
        await h.stop()


class DatabaseDown(SQLiteStorage):
    """The real SQLite storage, until ``down`` is set: then every read of a user fails."""

    down = False

    async def touch_user(self, *args, **kwargs):
        if DatabaseDown.down:
            raise sqlite3.OperationalError("unable to open database file")
        return await super().touch_user(*args, **kwargs)

    async def get_user(self, *args, **kwargs):
        if DatabaseDown.down:
            raise sqlite3.OperationalError("unable to open database file")
        return await super().get_user(*args, **kwargs)


async def test_the_apology_reaches_the_learner_when_the_database_is_down(standin, tmp_path):
    DatabaseDown.down = False
    h = Harness(standin, tmp_path / "cx.sqlite3", storage_class=DatabaseDown)
    await h.start()
    try:
        for user_id, language in ((1001, "ru"), (1002, "uk"), (1003, "de")):
            user = h.user(user_id, language=language)
            DatabaseDown.down = True
            await user.send("/progress")
            reply = await user.next_message()
            t = translator(language if language in ("ru", "uk") else "en")
            assert reply.text == t._(APOLOGY)
            assert reply.text != APOLOGY or language == "de"  # ru/uk: in their language
    finally:
        DatabaseDown.down = False
        await h.stop()
