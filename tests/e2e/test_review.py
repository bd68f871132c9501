"""/review end to end: cards come back, are judged by the order they showed, the day
says when the next ones come.
"""

from __future__ import annotations

import re

from bot.i18n import translator
from tests.e2e import clocked
from tests.e2e.clocked import at, newcomer, question_in, take_quiz
from tests.e2e.reading import button_for, letter_of, shown_options
from tests.e2e.steps import plain

START, HARNESS = clocked.START, clocked.HARNESS  # the clock and settings of the fixture h


async def test_review_cards_come_back_and_are_answered(h, clock):
    user = await newcomer(h)
    cards = await take_quiz(h, user, "all-is-fine")
    await user.send("/review")  # the cards exist but none is due yet
    # every answer was wrong: each card comes back the next day, said as a day, not an hour
    assert (
        await user.next_message()
    ).text == "✅ Nothing to review right now. Next card: tomorrow."

    # a week later, every card is due; late in the evening (quiet hours), so that the daily
    # slot's review nudge waits for the morning instead of landing among the cards
    clock.set(at(30, 23))
    await user.send("/review")
    card = await user.next_message()
    assert card.text.startswith("🔁 Review") and f"{cards} cards due" in card.text
    lesson = h.catalog.lesson("en", "all-is-fine")[1]
    assert lesson.title not in card.text  # the title would name the answer
    question = question_in(h, card, "all-is-fine")
    key = question.options[question.correct]
    letter = letter_of(card, key)
    first_buttons = list(card.buttons)
    await user.press(card, data=button_for(card, key))
    judged = await user.next_edit()
    assert f"Your answer: {letter}. {key}" in judged.text and "✅ Right!" in judged.text
    next_line = next(x for x in judged.text.splitlines() if x.startswith("Next review"))
    assert re.fullmatch(
        r"Next review of this card: [A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+\.", next_line
    )
    for left in range(cards - 1, 0, -1):
        card = await user.next_message()
        assert card.text.startswith("🔁 Review") and f"{left} card" in card.text
        question = question_in(h, card, "all-is-fine")
        wrong = question.options[(question.correct + 1) % len(question.options)]
        await user.press(card, data=button_for(card, wrong))
        judged_wrong = await user.next_edit()
        key = question.options[question.correct]
        assert "❌ Not quite." in judged_wrong.text and key in judged_wrong.text
        assert "Next review of this card: tomorrow." in judged_wrong.text
    done = (await user.next_message()).text
    assert done == "🎉 Done for now: no more cards are due. Next card: tomorrow."
    await user.press_raw(judged, first_buttons[1][1])  # the first card again (a double press)
    answer = await user.next_event(kinds=("callback_answer",))
    assert "already answered" in answer.callback.answer.get("text", "")


async def test_a_review_card_is_judged_by_the_order_it_showed_after_a_restart(h, clock):
    user = await newcomer(h)
    await take_quiz(h, user, "silos")
    clock.set(at(30, 23))
    await user.send("/review")
    card = await user.next_message()
    await user.send("/review")  # the same card twice: both messages show the same order
    again = await user.next_message()
    assert shown_options(again) == shown_options(card)
    await h.restart()
    question = question_in(h, card, "silos")
    await user.press(card, data=button_for(card, question.options[question.correct]))
    assert "✅ Right!" in (await user.next_edit()).text
    index = h.catalog.lesson("en", "silos")[1].quiz.index(question)
    stored = await h.storage.get_card(1001, "silos", index)  # its next review's own order
    assert stored is not None and sorted(stored.option_order) == list(range(4))


async def test_review_for_a_newcomer_says_what_it_is_and_when_cards_come(h):
    for lang, user_id in (("en", 1101), ("ru", 1102), ("uk", 1103)):
        t = translator(lang)
        user = h.user(user_id, language=lang)
        await user.send("/start")
        await user.next_message()
        await user.send("/review")
        shown = await user.next_message()
        assert "🎉" not in shown.text  # nothing was reviewed: nothing to celebrate
        assert (
            plain(
                t._(
                    "You have no cards yet. Take a lesson’s quiz: your first cards come a day "
                    "or two after it."
                )
            )
            in shown.text
        )
        assert (
            plain(
                t._(
                    "🔁 <b>Review</b> brings back the quiz questions you have answered, "
                    "each just before you would forget it."
                )
            )
            in shown.text
        )


async def test_review_day_is_in_the_learners_language(h, clock):
    user = await newcomer(h, 1104)
    await take_quiz(h, user, "all-is-fine", right=True)  # quick right answers: days away
    await user.send("/language")
    await user.press(await user.next_message(), "Русский")
    await user.next_edit()
    await user.send("/review")
    text = (await user.next_message()).text
    assert text.startswith("✅ Сейчас повторять нечего. Следующая карточка: ")
    assert not re.search(r"\d{1,2}:\d{2}", text)  # a day, never an hour
    assert re.search(
        r"(понедельник|вторник|среда|четверг|пятница|суббота|воскресенье), \d{1,2} "
        r"(ноября|декабря)",
        text,
    ), text
