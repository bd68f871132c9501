"""Everything no feature claimed, end to end: unknown commands and text, did-you-mean,
typing during a quiz.
"""

from __future__ import annotations

import pytest

from bot.i18n import translator
from tests.e2e.reading import shown_options
from tests.e2e.steps import answer_right, labels, lesson_by_link, plain


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
    shown = await lesson_by_link(user, lesson)
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
