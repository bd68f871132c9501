"""Lesson analytics for the admins: the flags' thresholds (plain rules), the figures per
lesson on both databases (first answers, not retakes; one commitment per learner), the
comments without their authors, and /export's lessons.csv and comments.csv."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from bot.services import stats
from bot.services.env import Env, Gone
from bot.services.stats import (
    Accuracy,
    Flag,
    LessonFigures,
    few_finishers,
    hard_question,
    lesson_figures,
    low_usefulness,
    underperformers_first,
)
from content.model import Catalog
from domain.records import LessonComment, LessonTally, QuestionStats
from tests import lessons
from tests.hermetic import HermeticSettings

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 30, 23, 59, tzinfo=UTC)


def _catalog() -> Catalog:
    """Two lessons in catalog order: silos (2 questions), culture (3 questions)."""
    three = [lessons.question(text=f"Question {i}?") for i in range(3)]
    return lessons.catalog({"en": [lessons.lesson("silos"), lessons.lesson("culture", quiz=three)]})


# The flags: plain thresholds ---------------------------------------------------------------
def test_low_usefulness_needs_a_mean_under_3_from_at_least_5_ratings():
    assert low_usefulness(5, 2.8)
    assert not low_usefulness(5, 3.0)  # 3.0 is not under 3.0
    assert not low_usefulness(4, 1.0)  # four people are not enough to flag a lesson
    assert not low_usefulness(None, None) and not low_usefulness(7, None)


def test_a_hard_question_is_right_for_under_40_percent_of_at_least_10_learners():
    assert hard_question(10, 3)
    assert not hard_question(10, 4)  # exactly 40%
    assert not hard_question(9, 0)  # too few answered
    assert hard_question(25, 9) and not hard_question(25, 10)


def test_few_finishers_is_under_30_percent_of_at_least_10_readers():
    assert few_finishers(10, 2)
    assert not few_finishers(10, 3)
    assert not few_finishers(9, 0)
    assert not few_finishers(None, None)  # held back: flags nothing


def _figures(catalog: Catalog, **tally: object) -> LessonFigures:
    return lesson_figures(catalog, "en", [LessonTally("silos", **tally)], only="silos")[0]


def test_flags_come_from_the_figures_and_flagged_lessons_are_listed_first():
    catalog = _catalog()
    useless = _figures(catalog, raters=5, usefulness_sum=12)  # mean 2.4
    assert useless.usefulness == pytest.approx(2.4) and useless.flags == (Flag.USEFULNESS,)
    hard = _figures(catalog, first_answers=(QuestionStats("silos", 1, 10, 2),))
    assert hard.flags == (Flag.QUESTION,) and hard.questions[1] == Accuracy(1, 10, 2)
    assert hard.questions[0] == Accuracy(0, 0, 0) and hard.first_try == pytest.approx(0.2)
    dropped = _figures(catalog, readers=20, finishers=5)
    assert dropped.flags == (Flag.FINISHERS,)
    fine = _figures(catalog, readers=20, finishers=15, raters=5, usefulness_sum=20)
    assert fine.flags == ()
    everything = lesson_figures(catalog, "en", [LessonTally("culture", readers=10, finishers=1)])
    assert [f.lesson.id for f in everything] == ["silos", "culture"]  # catalog order
    assert [f.lesson.id for f in underperformers_first(everything)] == ["culture", "silos"]


def test_a_figure_held_back_by_the_minimum_is_none_and_flags_nothing():
    catalog = _catalog()
    tally = LessonTally(
        "silos", readers=2, finishers=0, raters=2, usefulness_sum=2, committers=3, declined=3,
        first_answers=(QuestionStats("silos", 0, 3, 0), QuestionStats("silos", 5, 9, 9)),
    )  # fmt: skip
    seen = lesson_figures(catalog, "en", [tally], {}, minimum=3, only="silos")[0]
    assert (seen.readers, seen.finishers, seen.raters, seen.usefulness) == (None,) * 4
    assert seen.questions == (Accuracy(0, 3, 0), None)  # question 6 is no longer in the quiz
    assert seen.commitments is not None and seen.commitments.taken == 0
    assert seen.comments is None and seen.flags == ()  # no commenter: held back
    everyone = lesson_figures(catalog, "en", [tally], only="silos")[0]
    assert (everyone.readers, everyone.raters, everyone.usefulness) == (2, 2, 1.0)
    assert everyone.comments == ()  # not read for the list


def test_csv_cells_that_a_spreadsheet_would_run_are_made_text():
    assert [stats.cell(v) for v in ("=1+1", "+1", "-2 x", "@SUM(A1)", "\tx", "ok", 3)] == [
        "'=1+1", "'+1", "'-2 x", "'@SUM(A1)", "'\tx", "ok", 3,
    ]  # fmt: skip


# The figures on both databases ------------------------------------------------------------
async def _answer(db, user_id: int, lesson_id: str, rights: list[bool], at: datetime) -> int:
    attempt = await db.start_attempt(user_id, lesson_id, len(rights), at)
    for question, right in enumerate(rights):
        await db.record_answer(attempt.id, user_id, question, 0 if right else 1, right, at)
    return attempt.id


async def _commit(db, user_id: int, lesson_id: str, *statuses: str) -> None:
    """Commitments made in turn; an answered status answers the open one made before it."""
    made = None
    for status in statuses:
        if status in ("open", "declined"):
            made, _ = await db.commit(user_id, lesson_id, status, None, NOW)
        else:
            assert await db.answer_commitment(made.id, user_id, status, None, NOW)


async def seed(db) -> None:
    """silos: three readers, two finishers; learner 1 got question 1 wrong at first and right
    on the retake; two ratings (2 and 5) and a skip; two comments; commitments of six
    learners (one declined only, one declined and then took it on)."""
    for user_id in range(1, 8):
        await db.touch_user(user_id, f"L{user_id}", "en", NOW)
    first = await _answer(db, 1, "silos", [False, True], NOW - timedelta(days=2))
    retake = await _answer(db, 1, "silos", [True, True], NOW - timedelta(days=1))
    assert retake != first
    second = await _answer(db, 2, "silos", [True, True], NOW)
    await db.mark_opened(3, "silos", NOW)
    assert await db.rate_lesson(1, "silos", retake, 2, NOW)
    assert await db.rate_lesson(2, "silos", second, 5, OCTOBER)
    assert await db.rate_lesson(3, "silos", 0, None, NOW)  # skipped: not a rating
    assert await db.note_unclear(1, "silos", "<b>x</b> & y", NOW)
    assert await db.note_unclear(2, "silos", '=HYPERLINK("http://evil")', OCTOBER)
    await db.rate_lesson(7, "withdrawn", 0, 4, NOW)  # a lesson no longer in the catalog
    await db.note_unclear(7, "withdrawn", "old", NOW)
    await _commit(db, 1, "silos", "open", "done")
    await _commit(db, 2, "silos", "declined", "open")  # took it on after all: taken, open
    await _commit(db, 3, "silos", "open")
    await _commit(db, 4, "silos", "open", "failed")
    await _commit(db, 5, "silos", "declined")
    await _commit(db, 6, "silos", "open", "later", "not_yet")


async def test_lesson_tallies_count_first_answers_and_one_commitment_per_learner(db):
    await seed(db)
    tallies = {t.lesson_id: t for t in await db.lesson_tallies()}
    assert set(tallies) == {"silos", "withdrawn"}
    assert tallies["silos"] == LessonTally(
        "silos",
        readers=3,
        finishers=2,
        # question 1: learner 1's first answer was wrong (the retake's right one is not
        # counted); question 2: both right
        first_answers=(QuestionStats("silos", 0, 2, 1), QuestionStats("silos", 1, 2, 2)),
        raters=2,
        usefulness_sum=7,
        commenters=2,
        committers=6,
        declined=1,
        done=1,
        failed=1,
        not_yet=1,
        still_open=2,
    )
    assert tallies["withdrawn"].raters == 1 and tallies["withdrawn"].readers == 0
    assert await db.lesson_tallies("silos") == [tallies["silos"]]  # one lesson's, the same
    assert await db.lesson_tallies("culture") == []


async def test_comments_leave_storage_with_their_month_and_text_only(db):
    await seed(db)
    assert await db.lesson_comments() == [
        LessonComment("silos", "2026-11", "<b>x</b> & y"),
        LessonComment("withdrawn", "2026-11", "old"),
        LessonComment("silos", "2026-10", '=HYPERLINK("http://evil")'),
    ]
    assert await db.lesson_comments("silos", 1) == [
        LessonComment("silos", "2026-11", "<b>x</b> & y")
    ]
    assert await db.lesson_comments("culture") == []


def _env(db) -> Env:
    return Env(HermeticSettings(), db, _catalog(), lambda: NOW)


async def test_a_lessons_figures_for_the_admins(db):
    await seed(db)
    env = _env(db)
    every = await stats.lessons(env, "en")
    assert [f.lesson.id for f in every] == ["silos", "culture"]
    assert every[1].readers == 0 and every[1].usefulness is None
    silos = await stats.lesson(env, "en", "silos")
    assert (silos.readers, silos.finishers, silos.raters) == (3, 2, 2)
    assert silos.usefulness == pytest.approx(3.5)
    assert silos.questions == (Accuracy(0, 2, 1), Accuracy(1, 2, 2))
    assert silos.first_try == pytest.approx(0.75)
    c = silos.commitments
    assert c is not None and (c.taken, c.declined, c.done, c.failed, c.not_yet, c.still_open) == (
        5, 1, 1, 1, 1, 2,
    )  # fmt: skip
    assert [(x.text, x.month.isoformat()) for x in silos.comments or ()] == [
        ("<b>x</b> & y", "2026-11-01"),
        ('=HYPERLINK("http://evil")', "2026-10-01"),
    ]
    with pytest.raises(Gone):
        await stats.lesson(env, "en", "withdrawn")


async def test_export_sends_lessons_and_comments_as_csv(db):
    await seed(db)
    progress, lesson_file, comment_file, _funnel = await stats.exports(_env(db), "en")
    assert progress.kind == "progress" and progress.rows == 7
    assert (lesson_file.filename, comment_file.filename) == ("lessons.csv", "comments.csv")
    rows = list(csv.DictReader(io.StringIO(lesson_file.data.decode())))
    assert [row["lesson_id"] for row in rows] == ["silos", "culture"] and lesson_file.rows == 2
    silos = rows[0]
    assert {k: silos[k] for k in ("readers", "finishers", "ratings", "usefulness_mean")} == {
        "readers": "3", "finishers": "2", "ratings": "2", "usefulness_mean": "3.50",
    }  # fmt: skip
    assert (silos["q1_first_answers"], silos["q1_first_right"], silos["q1_first_accuracy"]) == (
        "2", "1", "0.500",
    )  # fmt: skip
    assert silos["q3_first_answers"] == "" and silos["first_try_accuracy"] == "0.750"
    assert (silos["commitments_taken"], silos["commitments_declined"]) == ("5", "1")
    assert (silos["commitments_done"], silos["commitments_open"]) == ("1", "2")
    assert silos["comments"] == "2" and silos["flags"] == ""
    comments = list(csv.DictReader(io.StringIO(comment_file.data.decode())))
    assert comments == [
        {"lesson_id": "silos", "lesson_title": "silos", "month": "2026-11",
         "comment": "<b>x</b> & y"},
        {"lesson_id": "withdrawn", "lesson_title": "", "month": "2026-11", "comment": "old"},
        {"lesson_id": "silos", "lesson_title": "silos", "month": "2026-10",
         "comment": "'=HYPERLINK(\"http://evil\")"},  # a formula is made text
    ]  # fmt: skip
    assert set(comments[0]) == {"lesson_id", "lesson_title", "month", "comment"}  # no author


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
def test_a_lessons_screen_shows_comments_as_plain_text_within_one_message(lang):
    from bot.i18n import translator
    from bot.render.stats import lesson_screen
    from content.telegram_html import parse_html

    catalog = _catalog()
    tally = LessonTally("silos", readers=3, commenters=40)
    long = [stats.Comment("<b>x</b> & y " * 100, OCTOBER.date().replace(day=1))] * 15
    figures = lesson_figures(catalog, "en", [tally], {"silos": long}, only="silos")[0]
    screen = lesson_screen(translator(lang), figures, 0)
    shown = parse_html(screen.text)  # valid Telegram HTML, as it will be parsed
    assert len(shown.text) <= 4096 and len(screen.text) <= 4096
    assert "<b>x</b> & y" in shown.text  # the learner's text, never markup
    assert not [e for e in shown.entities if e["type"] == "bold" and e["length"] == 1]
    assert shown.text.count("•") >= 2 and ("more" in shown.text or "ещё" in shown.text
                                           or "ще" in shown.text)  # fmt: skip
