"""One truth per number: /progress, the series screens, /subscriptions and /mydata agree.

The learner of the UX review: one lesson read with its quiz, the next read without it. Every
screen must then say 1 completed and 2 opened, with the same words, in every language.
"""

from __future__ import annotations

import pytest

from bot.i18n import translator
from bot.render.kit import lesson_counts_text, sentence
from bot.services.lessons import LessonCounts
from tests.e2e.steps import plain


def t_useful(lang: str, title: str) -> str:
    return translator(lang)._("⭐ <b>How useful is “{title}” for your work?</b>", title=title)


async def read_two_lessons(harness, user, series_id: str, lang: str):
    """Subscribe, read lesson 1 and finish its quiz, read lesson 2 without its quiz."""
    series = harness.catalog.series(lang, series_id)
    first, second = series.lessons[0], series.lessons[1]
    await user.send("/lessons")
    listing = await user.next_message()
    await user.press(listing, data=f"s:{series_id}:0")
    page = await user.next_edit()
    await user.press(page, data=f"sub:{series_id}")
    await user.next_message()  # the confirmation
    await user.press(page, data=f"l:{first.id}")
    lesson = await user.next_message()
    await user.press(lesson, data=f"qs:{first.id}")
    for _ in first.quiz:
        asked = await user.next_message()
        await user.press(asked, data=asked.buttons[0][1])  # any answer finishes the quiz
        await user.next_edit()
    result = await user.next_message()
    rating = (await user.next_message()).text  # asked right after the score
    assert plain(t_useful(lang, first.title)) in rating
    await user.press(result, data=f"l:{second.id}")  # "Next lesson"
    await user.next_message()  # read, quiz not taken
    return series


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
async def test_progress_subscriptions_and_mydata_count_the_same(harness, lang):
    t = translator(lang)
    user = harness.user(4100 + ["en", "ru", "uk"].index(lang), "Olena", lang)
    await user.send("/start")
    await user.next_message()
    series = await read_two_lessons(harness, user, "org-blockers", lang)
    n = len(series.lessons)
    this_series = plain(lesson_counts_text(t, LessonCounts(opened=2, completed=1, total=n)))
    assert (
        this_series
        == {
            "en": f"1 of {n} lessons completed · opened: 2",
            "ru": f"пройдено 1 из {n} уроков · открыто: 2",
            "uk": f"пройдено 1 з {n} уроків · відкрито: 2",
        }[lang]
    )
    rule = plain(t._("A lesson counts as completed once you finish its quiz."))

    await user.send("/progress")
    progress = (await user.next_message()).text
    assert this_series in progress
    total = sum(len(s.lessons) for s in harness.catalog.series_list(lang))
    all_lessons = plain(lesson_counts_text(t, LessonCounts(2, 1, total)))
    assert plain(t._("In all: {counts}.", counts=all_lessons)) in progress
    assert rule.rstrip(".") in progress  # /progress says what "completed" means

    await user.send("/subscriptions")
    subscriptions = (await user.next_message()).text
    assert this_series in subscriptions
    assert "read" not in subscriptions.split("\n")[2]  # no third word for the same thing

    await user.send("/mydata")
    mydata = (await user.next_message()).text
    assert f"• {t._('lessons opened (completed ones included)')}: 2" in mydata

    await user.send("/lessons")
    listing = await user.next_message()
    assert f"{series.series.title} (1/{n})" in listing.text  # (completed/all)
    await user.press(listing, data=f"s:{series.id}:0")
    page = await user.next_edit()
    completed_only = plain(sentence(lesson_counts_text(t, LessonCounts(1, 1, n))))
    assert completed_only in page.text and rule in page.text
    done_buttons = [label for label, _ in page.buttons if label.startswith("✅")]
    assert len(done_buttons) == 1 and series.lessons[0].title in done_buttons[0]
