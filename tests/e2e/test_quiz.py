"""Quizzes end to end: a whole series answered right and wrong, options in each attempt's
own order, stale, forged and double-pressed buttons.
"""

from __future__ import annotations

from bot.i18n import translator
from bot.services.lessons import LESSONS_PER_PAGE
from tests.e2e.reading import button_for, letter_of, shown_options
from tests.e2e.steps import next_toast, plain


async def test_walk_a_whole_series_with_quizzes_right_and_wrong(harness):
    lang = "ru"
    user = harness.user(2003, "Ivan", lang)
    t = translator(lang)
    series = max(harness.catalog.series_list(lang), key=lambda s: len(s.lessons))
    assert len(series.lessons) <= LESSONS_PER_PAGE, "every shipped series fits one page"

    await user.send("/lessons")
    listing = await user.next_message()
    await user.press(listing, data=f"s:{series.id}:0")
    page = await user.next_edit()
    lesson_buttons = [d for _, d in page.buttons if d and d.startswith("l:")]
    assert lesson_buttons == [f"l:{x.id}" for x in series.lessons]  # all of them, one page
    labels = [label for label, _ in page.buttons]
    assert t._("Page {n} ➡️", n=2) not in labels and "Дальше ▶️" not in labels
    # one kind of back arrow on the screen: ⬅️ (no ◀️ next to it)
    assert not any("◀️" in label for label in labels)
    assert t._("⬅️ All series") in labels

    await user.press(page, data=f"l:{series.lessons[0].id}")
    expected_right = expected_total = 0
    for number, lesson in enumerate(series.lessons, start=1):
        shown = await user.next_message()
        assert shown.text.startswith(lesson.title)
        assert plain(lesson.key_idea) in shown.text
        source = harness.catalog.sources[lesson.source]
        publisher, title, _ = source.credit(lang)  # every lesson credits its article
        assert f"По материалам: {publisher}, «{title}»" in shown.text
        await user.press(shown, button_text=t._("📝 Take the quiz"))
        right = 0
        for index, question in enumerate(lesson.quiz):
            asked = await user.next_message()
            assert question.question in asked.text
            # every option in full in the message, short letter buttons
            assert sorted(text for _, text, _ in shown_options(asked)) == sorted(question.options)
            assert all(len(label) == 1 for label, _ in asked.buttons)
            answer_right = (number + index) % 2 == 0
            choice = (
                question.correct if answer_right else (question.correct + 1) % len(question.options)
            )
            chosen, key = question.options[choice], question.options[question.correct]
            right_line = f"{letter_of(asked, key)}. {key}"
            yours = f"{letter_of(asked, chosen)}. {chosen}"
            await user.press(asked, data=button_for(asked, chosen))
            toast = await next_toast(user)
            judged = await user.next_edit()
            assert judged.message_id == asked.message_id and not judged.buttons
            assert question.explanation in judged.text
            if answer_right:
                assert toast == t._("✅ Right!")
                assert plain(t._("✅ Right: {answer}", answer=right_line)) in judged.text
                right += 1
            else:
                assert toast == t._("❌ Not quite.")
                assert plain(t._("❌ Your answer: {answer}", answer=yours)) in judged.text
                assert plain(t._("✅ Right answer: {answer}", answer=right_line)) in judged.text
        result = await user.next_message()
        score = t.n_(
            "🏁 Quiz done: {correct} of {n} answer right.",
            "🏁 Quiz done: {correct} of {n} answers right.",
            len(lesson.quiz),
            correct=right,
        )
        assert result.text.startswith(score)
        rating = await user.next_message()  # then, one question: how useful was it?
        useful = t._("⭐ <b>How useful is “{title}” for your work?</b>", title=lesson.title)
        assert plain(useful) in rating.text
        expected_right += right
        expected_total += len(lesson.quiz)
        last = number == len(series.lessons)
        complete = plain(t._("🎓 <b>Series complete: {title}</b>", title=series.series.title))
        assert (complete in result.text) is last
        if last:
            assert plain(series.series.recap) in result.text
            assert t._("Next lesson ➡️") not in [text for text, _ in result.buttons]
            assert result.buttons[0] == (t._("📊 Re-rate these obstacles"), f"ls:{series.id}")
        else:
            await user.press(result, button_text=t._("Next lesson ➡️"))

    await user.send("/progress")
    progress = await user.next_message()
    done_line = t.n_(
        "{done} of {n} lesson completed",
        "{done} of {n} lessons completed",
        len(series.lessons),
        done=len(series.lessons),
    )
    percent = round(100 * expected_right / expected_total)
    assert f"{done_line} · {t._('quiz: {percent}% right', percent=percent)}" in progress.text
    completed = await harness.storage.completed_lessons(2003)
    assert completed == {x.id for x in series.lessons}


async def test_stale_forged_and_double_pressed_buttons(harness):
    t = translator("en")
    user = harness.user(2006, "Eve", "en")
    other = harness.user(2007, "Mallory", "en")
    lesson = harness.catalog.series_list("en")[0].lessons[0]
    await user.send("/lessons")
    listing = await user.next_message()

    # A button to a lesson that no longer exists.
    await user.press_raw(listing, "l:vanished-lesson")
    assert await next_toast(user) == t._("This lesson is no longer available.")
    stale = await user.next_message()
    assert stale.text == t._(
        "That button is out of date: what it pointed to has changed or is gone."
    )
    # Buttons to other things that are gone (a series, a quiz no longer in progress, a
    # subscription there is none of): each says what, and offers the menu.
    gone = {
        "s:vanished-series:0": t._("This series is no longer available."),
        "qs:vanished-lesson": t._("This lesson is no longer available."),
        "qr:999999": t._("This quiz is over or has changed since."),
        "sub:vanished-series": t._("This series is no longer available."),
        "sp:vanished-series": t._("This subscription no longer exists."),
        "spd:vanished-series": t._("This subscription no longer exists."),
        "rc:vanished-series": t._("This series is no longer available."),
        "rv:999999:0:0:1700000000": t._("That button is out of date."),  # no such card
    }
    for data, toast in gone.items():
        await user.press_raw(listing, data)
        assert await next_toast(user) == toast, data
        if toast != t._("That button is out of date."):
            assert (await user.next_message()).text == stale.text, data
    series = harness.catalog.series_list("en")[0]
    await user.press_raw(listing, f"sr:{series.id}")  # a real series, never subscribed to
    assert await next_toast(user) == t._("This subscription no longer exists.")
    assert (await user.next_message()).text == stale.text

    # Forged or malformed data: "out of date" in a toast, nothing stored; data no feature
    # knows at all also gets the menu (it may be a button of an older version of the bot).
    out_of_date = t._("That button is out of date.")
    for data in ("qa:999999:0:0", "zz:top", "l:../../etc/passwd", "qa:1:0", "s:x:-1"):
        await user.press_raw(listing, data)
        assert await next_toast(user) == out_of_date, data
        if data == "zz:top":
            assert (await user.next_message()).text == stale.text
        await harness.settle()
        user.assert_no_event()  # nothing else: no edit, no message
    assert await harness.storage.lesson_stats(2006) == {}  # nothing stored

    # Someone else's quiz attempt cannot be answered.
    await user.press_raw(listing, f"qs:{lesson.id}")
    question = await user.next_message()
    attempt_button = question.buttons[0][1]
    await other.send("/start")
    other_greeting = await other.next_message()
    await other.press_raw(other_greeting, attempt_button)
    assert await next_toast(other) == t._("That button is out of date.")
    assert await harness.storage.lesson_stats(2007) == {}

    # A double press is judged once.
    await user.press(question, data=attempt_button)
    await user.press(question, data=attempt_button)
    assert await next_toast(user) in (t._("✅ Right!"), t._("❌ Not quite."))
    assert await next_toast(user) == t._("You have already answered this question.")
    stats = (await harness.storage.lesson_stats(2006))[lesson.id]
    assert stats.answers == 1


async def test_every_attempt_shows_the_options_in_its_own_stored_order(harness):
    """Retakes reorder the options; the order shown is the one stored with the attempt, and
    every option reaches the learner in full with letter buttons of one character."""
    user = harness.user(2020, "Iryna", "uk")
    _, lesson = harness.catalog.lesson("uk", "silos")
    question = lesson.quiz[0]
    await user.send("/start l_silos")
    await user.next_message()
    shown = await user.next_message()
    orders = []
    for _ in range(8):
        await user.press(shown, data="qs:silos")
        asked = await user.next_message()
        texts = [text for _, text, _ in shown_options(asked)]
        assert sorted(texts) == sorted(question.options)
        assert max(len(label) for label, _ in asked.buttons) <= 1
        attempt_id = int(asked.buttons[0][1].split(":")[1])
        stored = await harness.storage.get_attempt(attempt_id)
        assert [question.options[i] for i in stored.option_orders[0]] == texts
        orders.append(tuple(texts))
        if len(set(orders)) > 1:
            break
    assert len(set(orders)) > 1, "eight attempts in a row showed the same order"
