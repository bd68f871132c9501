"""No dead ends: a returning learner's /start, the menu, "did you mean", typing during a quiz,
dead deep links and the lesson's way home — the real Application against the stand-in."""

from __future__ import annotations

import pytest

from bot.i18n import LANGUAGE_NAMES, translator
from bot.render.screens import WIDE_LABEL, shorten
from tests.e2e.reading import button_for, shown_options
from tests.e2e.test_journey import next_toast, plain


def labels(message) -> list[str]:
    return [text for text, _ in message.buttons]


def data_of(message, label: str) -> str:
    for text, data in message.buttons:
        if text == label:
            return data
    raise AssertionError(f"no button {label!r} in {labels(message)}")


async def answer_right(user, asked, question) -> None:
    await user.press(asked, data=button_for(asked, question.options[question.correct]))
    await next_toast(user)
    await user.next_edit()


async def take_quiz(user, lesson_message, lesson) -> None:
    """Take a lesson's whole quiz from its lesson message, every answer right."""
    await user.press(lesson_message, data=f"qs:{lesson.id}")
    for question in lesson.quiz:
        await answer_right(user, await user.next_message(), question)
    await user.next_message()  # the score


async def test_a_returning_learner_goes_on_where_they_left_off(h, clock):
    t = translator("en")
    user = h.user(3101, "Olena", "en")
    series = h.catalog.series_list("en")[0]
    first, second = series.lessons[0], series.lessons[1]

    # First visit: the greeting with the languages, the one in use marked.
    await user.send("/start")
    greeting = await user.next_message()
    assert plain(t._("Hi, {name}! I’m CX Coach.", name="Olena")) in greeting.text
    assert labels(greeting)[:3] == ["✅ English", "Русский", "Українська"]
    # Back before reading anything: not the greeting again, but the first lesson offered.
    await user.send("/start")
    home = await user.next_message()
    assert home.text.startswith("Welcome back, Olena!") and "English" not in labels(home)
    assert f"Start with: {plain(first.title)}" in home.text
    assert home.buttons[0] == (shorten(f"▶️ Start: {first.title}", WIDE_LABEL), f"l:{first.id}")

    await user.send("/lessons")
    listing = await user.next_message()
    await user.press_raw(listing, f"l:{first.id}")
    await take_quiz(user, await user.next_message(), first)

    clock.advance(hours=5)
    await user.send("/start")
    home = await user.next_message()
    assert home.text.startswith(t._("Welcome back, {name}!", name="Olena"))
    assert "CX Coach" not in home.text and "English" not in labels(home)  # no re-introduction
    assert f"Next up: {second.title}" in home.text
    assert labels(home)[0] == shorten(f"▶️ Continue: {second.title}", WIDE_LABEL)
    assert home.buttons[0][1] == f"l:{second.id}"
    assert t._("📚 Lessons") in labels(home)  # and the menu under it

    # Go on: the next lesson opens; start its quiz and leave it after one answer.
    await user.press(home, button_text=labels(home)[0])
    lesson_message = await user.next_message()
    assert lesson_message.text.startswith(second.title)
    await user.press(lesson_message, data=f"qs:{second.id}")
    await answer_right(user, await user.next_message(), second.quiz[0])
    interrupted = await user.next_message()  # question 2, left unanswered
    clock.advance(days=1)

    await user.send("/start")
    home = await user.next_message()
    assert f"A quiz in progress: {second.title}" in home.text and "Question 2 of" in home.text
    assert labels(home)[0] == "▶️ Continue the quiz"
    assert home.buttons[0][1].startswith("qr:")
    await user.press(home, data=home.buttons[0][1])
    again = await user.next_message()
    assert second.quiz[1].question in again.text
    # shown in the same order as the first time, and answering it goes on as usual
    assert shown_options(again) == shown_options(interrupted)
    await answer_right(user, again, second.quiz[1])
    for question in second.quiz[2:]:
        await answer_right(user, await user.next_message(), question)
    assert (await user.next_message()).text.startswith("🏁")

    # A review card falls due (the answers above made cards): /start says so.
    clock.advance(days=30)
    await user.send("/start")
    home = await user.next_message()
    assert "review cards are due" in home.text or "review card is due" in home.text
    assert labels(home)[0] == shorten(f"▶️ Continue: {series.lessons[2].title}", WIDE_LABEL)

    # Subscribed: home says when the next lesson comes.
    assert "from your subscriptions" not in home.text
    await user.send(f"/start sub_{series.id}")
    await user.next_message()
    await user.send("/start")
    home = await user.next_message()
    assert "📬 Next lesson from your subscriptions: " in home.text


async def test_ukrainian_and_russian_home_need_no_vocative_or_gender(h):
    for user_id, lang, name in ((3102, "uk", "Олена"), (3103, "ru", "Олена")):
        t = translator(lang)
        user = h.user(user_id, name, lang)
        lesson = h.catalog.series_list(lang)[0].lessons[0]
        await user.send(f"/start l_{lesson.id}")
        greeting = await user.next_message()
        await user.next_message()  # the lesson
        await user.send("/start")
        home = await user.next_message()
        if lang == "uk":
            assert greeting.text.startswith("Вітаю! Я CX Coach.")
            assert home.text.startswith("З поверненням!") and name not in home.text
        else:
            assert greeting.text.startswith("Здравствуйте, Олена! Я CX Coach.")
            assert home.text.startswith("С возвращением, Олена!")
        # the lesson was opened but its quiz not taken: go on with that lesson
        assert labels(home)[0] == shorten(
            t._("▶️ Continue: {title}", title=lesson.title), WIDE_LABEL
        )


async def test_the_menu_reaches_settings_assessment_teams_language_and_help(h):
    t = translator("en")
    user = h.user(3104, "Sam", "en")
    await user.send("/menu")
    menu = await user.next_message()
    assert labels(menu) == [
        "📚 Lessons",
        "📈 Progress",
        "🔁 Review",
        "🔔 Subscriptions",
        "⚙️ Schedule",
        "➕ More",
    ]
    assert [len(row) for row in menu.inline_keyboard] == [2, 2, 2]
    await user.press(menu, button_text="⚙️ Schedule")
    assert (await user.next_edit()).text.startswith("Lesson schedule")

    await user.send("/menu")
    menu = await user.next_message()
    await user.press(menu, button_text="➕ More")
    more = await user.next_edit()
    assert more.message_id == menu.message_id  # in place
    assert "Self-assessment" in more.text and "Teams" in more.text
    for label, expected in (
        ("📋 Self-assessment", "Self-assessment"),
        ("👥 Teams", "/team new"),
        ("🌐 Language", t._("Choose the language of the lessons and menus:")),
        ("❓ Help", "/lessons: series and lessons"),
    ):
        await user.send("/menu")
        await user.press(await user.next_message(), button_text="➕ More")
        more = await user.next_edit()
        await user.press(more, button_text=label)
        shown = await user.next_edit()
        assert expected in shown.text, label
        if label == "🌐 Language":
            assert labels(shown)[:3] == ["✅ English", "Русский", "Українська"]


async def test_the_language_in_use_is_marked(h):
    user = h.user(3105, "Taras", "en")
    await user.send("/language")
    picker = await user.next_message()
    assert labels(picker)[:3] == ["✅ English", "Русский", "Українська"]
    await user.press(picker, button_text="Українська")
    done = await user.next_edit()
    assert done.text == translator("uk")._("Done! From now on I’ll speak English with you.")
    await user.send("/language")
    picker = await user.next_message()
    assert labels(picker)[:3] == ["English", "Русский", "✅ Українська"]
    assert LANGUAGE_NAMES["uk"] == "Українська"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("/lesson", "lessons"),
        ("/setings", "settings"),
        ("/reveiw", "review"),
        ("/ыуеештпы", "settings"),  # /settings typed in the Russian keyboard layout
        ("/старт", "start"),
        ("/Progres extra words", "progress"),
    ],
)
async def test_a_mistyped_command_gets_did_you_mean(h, typed, meant):
    t = translator("en")
    user = h.user(3106, "Ann", "en")
    await user.send(typed)
    reply = await user.next_message()
    word = typed[1:].split()[0].lower()
    assert reply.text == t._(
        "I don’t know the command /{word}. Did you mean /{suggestion}?", word=word, suggestion=meant
    )
    assert "📚 Lessons" in labels(reply)  # and the menu


async def test_unknown_commands_point_to_help_and_admin_ones_stay_hidden(h):
    user = h.user(3107, "Ann", "uk")
    t = translator("uk")
    for typed in ("/foobar", "/stats", "/broadcast"):
        await user.send(typed)
        reply = await user.next_message()
        assert reply.text == t._(
            "I don’t know the command /{word}. /help lists all my commands.", word=typed[1:]
        )
    await user.send("/setings")
    assert "/settings" in (await user.next_message()).text  # in Ukrainian too
    await user.send("Доброго дня! Що ви вмієте?")
    reply = await user.next_message()
    assert reply.text == t._(
        "Sorry, I can’t answer typed messages: I work with buttons and commands. "
        "Choose from the menu below, or see /help."
    )


@pytest.mark.parametrize(("lang", "letters"), [("en", "A–D"), ("ru", "А–Г")])
async def test_typing_during_a_quiz_points_to_the_answer_buttons(h, clock, lang, letters):
    t = translator(lang)
    user = h.user(3108, "Ivan", lang)
    lesson = h.catalog.series_list(lang)[0].lessons[0]
    await user.send(f"/start l_{lesson.id}")
    await user.next_message()
    shown = await user.next_message()
    await user.press(shown, data=f"qs:{lesson.id}")
    asked = await user.next_message()
    assert len(asked.buttons) == 4

    await user.send("B")
    hint = await user.next_message()
    assert f"({letters})" in hint.text and lesson.title in hint.text
    assert plain(t._("🔁 Show the question again")) in labels(hint)
    await user.press(hint, button_text=t._("🔁 Show the question again"))
    again = await user.next_message()
    assert shown_options(again) == shown_options(asked)
    await answer_right(user, again, lesson.quiz[0])  # the question shown again takes answers

    # An hour and more later the quiz counts as left: free text gets the usual reply.
    clock.advance(hours=2)
    await user.next_message()  # question 2 (sent before the clock moved)
    await user.send("B")
    assert (await user.next_message()).text == t._(
        "Sorry, I can’t answer typed messages: I work with buttons and commands. "
        "Choose from the menu below, or see /help."
    )


async def test_dead_deep_links_say_not_found_and_offer_the_lessons(h):
    t = translator("en")
    newcomer = h.user(3109, "Nadia", "en")
    await newcomer.send("/start l_nonexistent")
    greeting = await newcomer.next_message()
    assert "I’m CX Coach" in greeting.text  # a first visit is still greeted
    missing = await newcomer.next_message()
    assert missing.text.startswith("I could not find that lesson")
    assert labels(missing) == [t._("📚 Lessons"), t._("🏠 Menu")]
    await newcomer.press(missing, button_text=t._("📚 Lessons"))
    assert (await newcomer.next_edit()).text.startswith("Series")

    for payload, start in (
        ("s_no-such-series", "I could not find that series"),
        ("sub_no-such-series", "I could not find that series"),
        ("l_Bad-Link", "I could not find that lesson"),  # refused by the link format
        ("t_nosuchteam", "I could not find that team"),
    ):
        await newcomer.send(f"/start {payload}")
        reply = await newcomer.next_message()
        assert reply.text.startswith(start), payload
        assert "Welcome back" not in reply.text
    assert not await h.storage.subscriptions(3109)


async def test_a_lesson_has_a_way_home_that_keeps_the_lesson(h):
    t = translator("ru")
    user = h.user(3110, "Ivan", "ru")
    series = h.catalog.series_list("ru")[0]
    lesson = series.lessons[0]
    await user.send(f"/start l_{lesson.id}")
    await user.next_message()
    shown = await user.next_message()
    rows = [[b["text"] for b in row] for row in shown.inline_keyboard]
    assert rows[-1] == [t._("⬅️ Back to the series"), t._("🏠 Menu")]
    assert t._("Next lesson ➡️") in labels(shown)
    await user.press(shown, button_text=t._("🏠 Menu"))
    menu = await user.next_message()  # a new message: the lesson stays to re-read
    assert menu.text == t._("What would you like to do?")
    assert user.bot_messages()[-2].text.startswith(lesson.title)


async def test_back_to_the_series_from_a_lesson_keeps_the_lesson(h):
    t = translator("uk")
    user = h.user(3111, "Oksana", "uk")
    series = h.catalog.series_list("uk")[1]
    lesson = series.lessons[2]
    await user.send(f"/start l_{lesson.id}")
    await user.next_message()
    shown = await user.next_message()
    await user.press(shown, button_text=t._("⬅️ Back to the series"))
    page = await user.next_message()  # a new message, not an edit of the lesson
    assert page.text.startswith(series.series.title)
    assert shown.edits == 0 and shown.text.startswith(lesson.title)
