"""The learner's journey end to end: real PTB Application <-> stand-in over loopback HTTP."""

from __future__ import annotations

import asyncio

import pytest

from bot.i18n import LANGUAGE_NAMES, translator
from bot.render.screens import lesson_counts_text
from bot.services.journey import LESSONS_PER_PAGE, LessonCounts
from storage.sqlite import SQLiteStorage
from tests.e2e.reading import button_for, letter_of, shown_options


async def next_toast(user) -> str | None:
    """The text of the bot's next callback answer in the user's chat (None: no text)."""
    event = await user.next_event(kinds=("callback_answer",))
    return event.callback.answer.get("text")


def plain(html: str) -> str:
    """What Telegram shows for one of our HTML strings (for comparing with transcripts)."""
    from content.telegram_html import parse_html

    return parse_html(html).text


@pytest.mark.parametrize(
    ("tg_language", "lang"), [("en", "en"), ("ru", "ru"), ("uk", "uk"), ("de", "en"), (None, "en")]
)
async def test_new_user_is_greeted_in_their_telegram_language(harness, tg_language, lang):
    user = harness.user(2000, "Taras", tg_language)
    await user.send("/start")
    greeting = await user.next_message()
    t = translator(lang)
    greets = (
        t._("Hi, {name}! I’m CX Coach.", name="Taras") if lang != "uk" else t._("Hi! I’m CX Coach.")
    )
    assert plain(greets) in greeting.text  # Ukrainian: no name (it would need the vocative)
    assert plain(t._("Choose your language, or start with the lessons:")) in greeting.text
    labels = [text for text, _ in greeting.buttons]
    assert labels[:3] == [
        (f"✅ {LANGUAGE_NAMES[c]}" if c == lang else LANGUAGE_NAMES[c]) for c in ("en", "ru", "uk")
    ]
    assert t._("📚 Lessons") in labels and t._("📈 Progress") in labels
    stored = await harness.storage.get_user(2000)
    assert stored is not None and stored.tg_language == tg_language


async def test_names_with_markup_cannot_break_a_reply(harness):
    user = harness.user(2001, "<b>Bob & </i>", "en")
    await user.send("/start")
    greeting = await user.next_message()
    assert "Hi, <b>Bob & </i>! I’m CX Coach." in greeting.text


async def test_language_switch_changes_every_reply_and_the_chat_menu(harness):
    user = harness.user(2002, "Olena", "en")
    await user.send("/language")
    picker = await user.next_message()
    await user.press(picker, button_text="Українська")
    done = await user.next_edit()
    assert done.text == translator("uk")._("Done! From now on I’ll speak English with you.")
    await user.send("/lessons")
    series_list = await user.next_message()
    assert series_list.text.startswith("Серії уроків")
    first = harness.catalog.series_list("uk")[0]
    assert first.series.title in series_list.text
    chat_menu = harness.standin.get_commands({"type": "chat", "chat_id": 2002})
    assert [c["command"] for c in chat_menu][:2] == ["lessons", "progress"]
    assert chat_menu[0]["description"] == "Серії та уроки"
    assert (await harness.storage.get_user(2002)).language == "uk"


async def test_command_menus_are_registered_per_language(harness):
    for lang, lessons_label in (("en", "Series and lessons"), ("ru", "Серии и уроки")):
        commands = harness.standin.get_commands(None, lang)
        assert {"command": "lessons", "description": lessons_label} in commands
    # the default menu, for languages we do not speak, is the English one
    default = harness.standin.get_commands(None, "")
    assert default == harness.standin.get_commands(None, "en")
    assert {"command": "lessons", "description": "Series and lessons"} in default


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
        expected_right += right
        expected_total += len(lesson.quiz)
        last = number == len(series.lessons)
        complete = plain(t._("🎓 <b>Series complete: {title}</b>", title=series.series.title))
        assert (complete in result.text) is last
        if last:
            assert plain(series.series.recap) in result.text
            assert t._("Next lesson ➡️") not in [text for text, _ in result.buttons]
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


async def test_deep_links_open_a_lesson_or_a_series(harness):
    series = harness.catalog.series_list("en")[1]
    lesson = series.lessons[2]
    newcomer = harness.user(2004, "Nadia", "en")
    await newcomer.send(f"/start l_{lesson.id}")
    greeting = await newcomer.next_message()
    assert "I’m CX Coach" in greeting.text
    opened = await newcomer.next_message()
    assert opened.text.startswith(lesson.title)

    await newcomer.send(f"/start s_{series.id}")
    series_screen = await newcomer.next_message()  # a known user goes straight there
    assert series_screen.text.startswith(series.series.title)

    await newcomer.send("/start l_no-such-lesson")
    fallback = await newcomer.next_message()  # said so, with the lessons offered
    assert fallback.text.startswith("I could not find that lesson")
    assert "📚 Lessons" in [text for text, _ in fallback.buttons]


async def test_progress_and_old_buttons_survive_a_restart(harness):
    user = harness.user(2005, "Petro", "uk")
    series = harness.catalog.series_list("uk")[0]
    lesson = series.lessons[0]
    await user.send(f"/start l_{lesson.id}")
    await user.next_message()
    shown = await user.next_message()
    await user.press(shown, data=f"qs:{lesson.id}")
    first_question = await user.next_message()

    await harness.restart()  # same SQLite file, new Application

    # The question sent before the restart still works, judged by the order it showed.
    key = lesson.quiz[0].options[lesson.quiz[0].correct]
    await user.press(first_question, data=button_for(first_question, key))
    assert "✅" in (await user.next_edit()).text
    for question in lesson.quiz[1:]:
        asked = await user.next_message()
        await user.press(asked, data=button_for(asked, question.options[question.correct]))
        await user.next_edit()
    await user.next_message()  # the score

    await harness.restart()
    await user.send("/progress")
    report = await user.next_message()
    t = translator("uk")
    total = sum(len(s.lessons) for s in harness.catalog.series_list("uk"))
    assert (
        plain(
            t._(
                "In all: {counts}.",
                counts=lesson_counts_text(t, LessonCounts(opened=1, completed=1, total=total)),
            )
        )
        in report.text
    )
    assert "100%" in report.text


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


async def test_unknown_input_gets_a_hint_or_silence(harness, standin):
    t = translator("en")
    user = harness.user(2008, "Sam", "en")
    for text in ("/frobnicate", "hello there", "x" * 4096):
        await user.send(text)
        reply = await user.next_message()
        if text.startswith("/"):
            assert reply.text.startswith(f"I don’t know the command {text}.")
            assert "/help" in reply.text
        else:
            assert reply.text.startswith(t._("Sorry, I can’t answer typed messages")), text
    # a command addressed to another bot is not ours: no reply at all
    await user.send("/start@other_bot")
    await harness.settle()
    user.assert_no_event()
    assert await harness.storage.get_user(2008) is not None  # (the visit is still recorded)
    only_text = t._("I can only read text messages")
    await user.send_sticker()
    assert (await user.next_message()).text.startswith(only_text)
    await user.send_photo()
    assert (await user.next_message()).text.startswith(only_text)
    sent = await user.send("/help")
    assert (await user.next_message()).text.startswith(
        plain(t._("<b>CX Coach</b>: short lessons on customer-centricity, with quizzes."))
    )
    await user.edit(sent.message_id, "/progress")  # edited messages are ignored
    await harness.settle()
    user.assert_no_event()

    group = standin.group(-100500, "Team chat", members=[2008])
    await user.send_in_group(group, "/start@other_bot")  # another bot's: silence there too
    await user.send_in_group(group, "/start")
    hint = await group.next_message()
    assert hint.text == t._("I teach one person at a time. Please write to me in a private chat.")
    assert hint.buttons[0][1] == "https://t.me/cxcoach_test_bot?start=group"
    await user.send_in_group(group, "just chatting")
    await harness.settle()
    group.assert_no_event()

    channel = standin.channel(-100900, "cx_news")
    standin.channel_post(channel, "News!")
    await harness.settle()
    channel.assert_no_event()


async def wait_until(predicate, within: float = 3.0) -> None:
    """Poll an async predicate (a DB flag written by a handler) until it holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


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


async def test_progress_is_kept_in_the_database_file(harness):
    user = harness.user(2012, "Lina", "en")
    await user.send("/progress")
    report = await user.next_message()
    assert (
        translator("en")._("No quiz answers yet: open a lesson and take its quiz.") in report.text
    )
    check = SQLiteStorage(harness.db_path)
    await check.open()
    try:
        assert (await check.get_user(2012)).first_name == "Lina"
    finally:
        await check.close()


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


@pytest.mark.parametrize(
    ("lang", "lesson_id", "credit"),
    [
        ("uk", "approach-not-process", "За матеріалами: Forbes (російське видання, за підтримки "
         "програми Executive MBA), «Клієнтоорієнтованість — підхід, а не процес» (стаття "
         "російською)"),
        ("uk", "fear-of-change", "За матеріалами: Роби Бізнес, «6 причин опору при впровадженні "
         "клієнтського досвіду в компанії»"),
        ("en", "too-big", "Based on: blog.anvil.com.ua, “Prejudices on the way to sound customer "
         "processes” (article in Russian)"),
        ("ru", "culture", "По материалам: Роби Бізнес, «Шесть причин сопротивления при внедрении "
         "клиентского опыта в компании» (статья на украинском)"),
    ],
)  # fmt: skip
async def test_every_lesson_credits_its_article_in_the_learners_language(
    harness, lang, lesson_id, credit
):
    user = harness.user(2030, "Oksana", lang)
    await user.send(f"/start l_{lesson_id}")
    await user.next_message()
    lesson = await user.next_message()
    assert lesson.text.rstrip().endswith(credit)
    assert "русский текст" not in lesson.text or lang == "ru"
