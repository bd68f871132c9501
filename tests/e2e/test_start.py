"""/start, the menu, ➕ More, /help and /language, deep links, end to end."""

from __future__ import annotations

import pytest

from bot.i18n import LANGUAGE_NAMES, translator
from bot.render.kit import WIDE_LABEL, shorten
from tests.e2e.reading import shown_options
from tests.e2e.steps import answer_right, labels, plain, take_quiz


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
    assert "How useful is" in (await user.next_message()).text

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
