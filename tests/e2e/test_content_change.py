"""New lessons deployed while learners are in the middle of something.

A deploy restarts the bot with edited content. A quiz question sent before it must not be
judged against a key that moved; a review card whose question was removed must vanish from
the counts and the review, and its old buttons must say so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.i18n import translator
from content.model import Catalog, Lesson
from tests.e2e.conftest import Harness, shipped_catalog
from tests.e2e.reading import button_for
from tests.e2e.steps import next_toast

LESSON = "silos"


def edited(change) -> Catalog:
    """The shipped content with ``LESSON`` changed by ``change(lesson) -> lesson`` in every
    language (a deploy of new content)."""
    shipped = shipped_catalog()
    languages = {}
    for lang, all_series in shipped.languages.items():
        new_series = []
        for series in all_series:
            lessons = tuple(
                change(lesson) if lesson.id == LESSON else lesson for lesson in series.lessons
            )
            new_series.append(type(series)(series.series, lessons))
        languages[lang] = tuple(new_series)
    return Catalog(languages=languages, sources=shipped.sources)


def key_moved(lesson: Lesson) -> Lesson:
    """The first question's right answer is now another option (its text reworded)."""
    first = lesson.quiz[0]
    options = list(first.options)
    new_key = (first.correct + 1) % len(options)
    moved = first.model_copy(update={"options": options, "correct": new_key})
    return lesson.model_copy(update={"quiz": [moved, *lesson.quiz[1:]]})


def last_question_dropped(lesson: Lesson) -> Lesson:
    return lesson.model_copy(update={"quiz": lesson.quiz[:-1]})


async def deploy(h: Harness, catalog: Catalog) -> None:
    await h.stop()
    h.catalog = catalog
    await h.start()


async def test_a_question_sent_before_the_key_moved_is_not_judged_against_the_new_key(h):
    user = h.user(6001, "Olena", "en")
    _, lesson = h.catalog.lesson("en", LESSON)
    await user.send(f"/start l_{LESSON}")
    await user.next_message()
    shown = await user.next_message()
    await user.press(shown, "📝 Take the quiz")
    asked = await user.next_message()
    old_key = lesson.quiz[0].options[lesson.quiz[0].correct]
    answer = button_for(asked, old_key)  # right, as the learner saw it

    await deploy(h, edited(key_moved))
    await user.press(asked, data=answer)
    assert await next_toast(user) == "This quiz has changed since; please start it again."
    stale = await user.next_message()
    assert stale.text.startswith("That button is out of date")
    assert (await h.storage.lesson_stats(6001))[LESSON].answers == 0  # nothing recorded
    await user.send("/start")  # the home screen does not offer to continue that quiz
    home = await user.next_message()
    assert not any(data and data.startswith("qr:") for _, data in home.buttons)

    await user.press(shown, "📝 Take the quiz")  # a new attempt: judged by the new key
    again = await user.next_message()
    _, new_lesson = h.catalog.lesson("en", LESSON)
    new_key = new_lesson.quiz[0].options[new_lesson.quiz[0].correct]
    await user.press(again, data=button_for(again, new_key))
    assert await next_toast(user) == "✅ Right!"


async def test_a_question_removed_by_a_deploy_leaves_the_reviews(h, clock):
    user = h.user(6002, "Taras", "en")
    _, lesson = h.catalog.lesson("en", LESSON)
    await user.send(f"/start l_{LESSON}")
    await user.next_message()
    shown = await user.next_message()
    await user.press(shown, "📝 Take the quiz")
    for question in lesson.quiz:  # all wrong: every card is due again the next day
        asked = await user.next_message()
        wrong = question.options[(question.correct + 1) % len(question.options)]
        await user.press(asked, data=button_for(asked, wrong))
        await user.next_edit()
    await user.next_message()  # the score
    await user.next_message()  # how useful was it?
    count = len(lesson.quiz)
    clock.set(datetime(2026, 11, 30, 21, tzinfo=UTC))  # a week later (quiet hours: no nudge)
    await user.send("/review")
    card = await user.next_message()
    assert f"{count} cards due" in card.text
    last = lesson.quiz[-1]
    cards = await h.storage.due_cards(6002, clock(), 10)
    assert len(cards) == count
    removed = next(c for c in cards if c.question == count - 1)
    old_button = f"rv:{removed.id}:{removed.reviews}:0:{int(clock().timestamp())}"

    await deploy(h, edited(last_question_dropped))  # the last question is gone
    assert len(await h.storage.due_cards(6002, clock(), 10)) == count - 1
    await user.send("/review")
    first = await user.next_message()
    assert translator("en").n_("{n} card due", "{n} cards due", count - 1) in first.text
    assert last.question not in first.text
    await user.press_raw(card, old_button)  # a button of the removed card, from before
    assert await next_toast(user) == "That button is out of date."
    far = clock() + timedelta(days=3650)
    assert await h.storage.count_due_cards(6002, far) == count - 1
