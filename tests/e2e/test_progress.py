"""/progress end to end: kept in the database file and across a restart."""

from __future__ import annotations

from bot.i18n import translator
from bot.render.kit import lesson_counts_text
from bot.services.lessons import LessonCounts
from storage.sqlite import SQLiteStorage
from tests.e2e.reading import button_for
from tests.e2e.steps import lesson_by_link, plain


async def test_progress_and_old_buttons_survive_a_restart(harness):
    user = harness.user(2005, "Petro", "uk")
    series = harness.catalog.series_list("uk")[0]
    lesson = series.lessons[0]
    shown = await lesson_by_link(user, lesson)
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
    await user.next_message()  # how useful was it?

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
