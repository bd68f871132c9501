"""A lesson's usefulness, its week's action taken on, the follow-up in a later daily slot
(never in quiet hours, never a second message that day), the answer with a note, and the
journal — end to end on the stand-in with an injected clock. Kyiv is UTC+2 in November."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import translator
from tests.e2e import clocked
from tests.e2e.clocked import at, labels, newcomer, quiz_then_rating, subscribe
from tests.e2e.steps import answer_right, next_toast, plain

START, HARNESS = clocked.START, clocked.HARNESS  # Monday 23 November, 12:00 in Kyiv


async def _committed(
    h, user, lesson_id: str = "too-big", title: str = "Too big for personal service?"
) -> None:
    """Rate the lesson 4, say what was unclear, take on its action."""
    _, rating = await quiz_then_rating(h, user, lesson_id)
    assert f"How useful is “{title}” for your work?" in rating.text
    assert [text for text, _ in labels(rating)] == ["1", "2", "3", "4", "5", "Skip ➡️"]
    await user.press(rating, "4")
    asked = await user.next_edit()
    assert "Thank you: 4 of 5." in asked.text and "Was anything unclear" in asked.text
    await user.send("<b>The example</b> & the numbers")
    offer = await user.next_message()
    assert offer.text.startswith("🙏 Thank you, noted.")
    assert "Try this week:" in offer.text and "Will you try it at work?" in offer.text
    await user.press(offer, "✅ I’ll try it")
    noted = await user.next_edit()
    assert "I will ask how it went on Thursday, 26 November" in noted.text


async def test_rate_commit_follow_up_in_a_later_slot_note_and_journal(h, clock):
    user = await newcomer(h)
    await subscribe(user, "why-cx-fails")  # lessons at 09:00 Monday to Friday
    await _committed(h, user, "all-is-fine", "“Everything is fine as it is”")
    feedback = await h.storage.feedback(user.user_id, "all-is-fine")
    assert (feedback.usefulness, feedback.unclear) == (4, "<b>The example</b> & the numbers")

    clock.set(at(24, 7, 1))  # Tuesday 09:00: the day's lesson as usual
    assert "A leader in name only" in (await user.next_message()).text
    clock.set(at(25, 7, 1))  # Wednesday
    assert "“We know better”" in (await user.next_message()).text

    clock.set(at(26, 5, 0))  # Thursday 07:00: the follow-up is due, but in quiet hours
    await h.settle()
    user.assert_no_event()
    clock.set(at(26, 7, 1))  # Thursday 09:00: the slot asks, instead of the day's lesson
    asked = await user.next_message()
    assert asked.text.startswith("🎯 How did it go?")
    assert "(from ““Everything is fine as it is””)" in asked.text
    assert [text for text, _ in labels(asked)] == ["✅ Done", "⏳ Not yet", "❌ It didn’t work"]
    clock.set(at(26, 15))  # later that day: no second message
    await h.settle()
    user.assert_no_event()

    await user.press(asked, "✅ Done")
    what = await user.next_edit()
    assert "What happened?" in what.text
    await user.send("Called three clients <i>myself</i>")
    saved = await user.next_message()
    assert "Saved to your /journal." in saved.text
    commitment = (await h.storage.commitments(user.user_id))[0]
    await user.press_raw(asked, f"cf:{commitment.id}:f")  # an old button: answered already
    assert await next_toast(user) == "Already answered: see /journal."

    clock.set(at(27, 7, 1))  # Friday: the lessons go on where they stopped, none skipped
    assert "Departments at war" in (await user.next_message()).text

    await user.send("/journal")
    journal = await user.next_message()
    assert journal.text.startswith("📓 Your journal: 1 commitment, newest first.")
    assert "“Everything is fine as it is”" in journal.text and "✅ done" in journal.text
    assert "📝 Called three clients <i>myself</i>" in journal.text  # shown as typed
    assert ("📖 “Everything is fine as it is”", "l:all-is-fine") in labels(journal)


async def test_not_yet_is_asked_again_once_and_not_now_is_never_followed_up(h, clock):
    user = await newcomer(h)
    await _committed(h, user)
    _, rating = await quiz_then_rating(h, user, "too-expensive")
    await user.press(rating, "Skip ➡️")
    offer = await user.next_edit()
    await user.press(offer, "Not now")
    assert "The action stays in the lesson" in (await user.next_edit()).text

    clock.set(at(26, 7, 1))  # Thursday 09:00 (a learner with progress has a daily slot)
    asked = await user.next_message()
    assert "Too big for personal service?" in asked.text
    await user.press(asked, "⏳ Not yet")
    assert "I will ask again on Tuesday, 1 December" in (await user.next_edit()).text
    clock.set(at(30, 7, 1))  # Monday: not asked yet (the slot has review cards to mention)
    assert "review cards are due today" in (await user.next_message()).text
    clock.set(datetime(2026, 12, 1, 7, 1, tzinfo=UTC))  # Tuesday 09:00
    again = await user.next_message()
    assert again.text.startswith("🎯 How did it go?")
    await user.press(again, "⏳ Not yet")
    closed = await user.next_edit()
    assert "Noted as not yet" in closed.text
    assert ("📖 Re-read the lesson", "l:too-big") in labels(closed)
    assert [c.status for c in await h.storage.commitments(user.user_id)] == ["not_yet"]


async def test_an_empty_journal_says_how_it_fills(h):
    user = await newcomer(h)
    await user.send("/journal")
    empty = await user.next_message()
    assert "It is empty for now" in empty.text
    assert ("📚 Lessons", "ser:0") in labels(empty)


async def test_in_ukrainian_from_the_rating_to_the_journal_and_mydata_deleting_it(h, clock):
    t = translator("uk")
    user = h.user(1002, language="uk")  # in Kyiv, as the language suggests
    await user.send("/start l_silos")
    await user.next_message()
    lesson = await user.next_message()
    silos = h.catalog.lesson("uk", "silos")[1]
    title = silos.title
    await user.press(lesson, data="qs:silos")
    for question in silos.quiz:
        await answer_right(user, await user.next_message(), question)
    await user.next_message()  # the score
    rating = await user.next_message()
    assert (
        plain(t._("⭐ <b>How useful is “{title}” for your work?</b>", title=title)) in rating.text
    )
    await user.press(rating, "5")
    await user.next_edit()
    await user.send("Приклад із кур’єрами — чудовий")
    offer = await user.next_message()
    await user.press(offer, t._("✅ I’ll try it"))
    assert "четвер, 26 листопада" in (await user.next_edit()).text  # Monday + 3 working days

    clock.set(at(26, 7, 1))
    asked = await user.next_message()
    assert asked.text.startswith(plain(t._("🎯 <b>How did it go?</b>")))
    await user.press(asked, t._("❌ It didn’t work"))
    assert (
        plain(t._("Thank you for saying so: not every try works the first time."))
        in (await user.next_edit()).text
    )
    await user.send("Відділи знову сперечалися про бонуси")
    await user.next_message()
    await user.send("/journal")
    journal = (await user.next_message()).text
    assert title in journal and t._("❌ did not work") in journal
    assert "📝 Відділи знову сперечалися про бонуси" in journal

    commitment_id = (await h.storage.commitments(1002))[0].id
    before = (await h.storage.personal_data(1002))["counts"]
    assert (before["lesson_feedback"], before["commitments"]) == (1, 1)
    await user.send("/mydata")
    data = await user.next_message()
    assert f"• {t._('actions taken on, with your notes (/journal)')}: 1" in data.text
    await user.press(data, "🗑 Видалити всі мої дані")
    confirm = await user.next_edit()
    await user.press(confirm, labels(confirm)[0][0])
    await user.next_edit()
    assert (
        await h.storage.commitments(1002) == [] and await h.storage.feedback(1002, "silos") is None
    )
    await user.press_raw(asked, f"cf:{commitment_id}:d")  # an old button after the deletion
    assert await next_toast(user) == t._("This commitment is no longer in your journal.")
