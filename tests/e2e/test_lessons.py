"""/lessons end to end: series, lessons, their sources, and the way back from a lesson."""

from __future__ import annotations

import pytest

from bot.i18n import translator
from tests.e2e.steps import labels, lesson_by_link


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


async def test_a_lesson_has_a_way_home_that_keeps_the_lesson(h):
    t = translator("ru")
    user = h.user(3110, "Ivan", "ru")
    series = h.catalog.series_list("ru")[0]
    lesson = series.lessons[0]
    shown = await lesson_by_link(user, lesson)
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
    shown = await lesson_by_link(user, lesson)
    await user.press(shown, button_text=t._("⬅️ Back to the series"))
    page = await user.next_message()  # a new message, not an edit of the lesson
    assert page.text.startswith(series.series.title)
    assert shown.edits == 0 and shown.text.startswith(lesson.title)
