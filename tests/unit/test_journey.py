"""The journey's plain rules: languages, deep links, pagination, next lesson, progress."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import journey
from content.model import Catalog, SeriesContent
from domain.records import LessonStats, User
from tests import lessons

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def series(series_id: str, *ids: str) -> SeriesContent:
    return lessons.series(series_id, 1, (lessons.lesson(i, n) for n, i in enumerate(ids, 1)))


def user(language: str | None, tg: str | None = None) -> User:
    return User(1, language, tg, "A", "UTC", NOW, NOW, False)


def test_language_choice_order():
    assert journey.language_of(user("ru", "uk"), "uk", "en") == "ru"  # chosen wins
    assert journey.language_of(user(None), "uk-UA", "en") == "uk"  # then Telegram's
    assert journey.language_of(user(None), "de", "en") == "en"  # unknown -> default
    assert journey.language_of(user(None, "ru"), None, "en") == "ru"  # remembered Telegram's
    assert journey.language_of(None, None, "uk") == "uk"


def test_deep_links():
    assert journey.parse_deep_link("s_why-cx-fails") == journey.DeepLink("series", "why-cx-fails")
    assert journey.parse_deep_link("l_silos") == journey.DeepLink("lesson", "silos")
    for bad in (None, "", "x_silos", "l_", "l_Silos", "l_silos;drop", "s_" + "a" * 30):
        assert journey.parse_deep_link(bad) is None
    payload = journey.deep_link_payload("lesson", "not-my-job")
    assert journey.parse_deep_link(payload) == journey.DeepLink("lesson", "not-my-job")


def test_paginate_clamps_old_pages_and_splits_evenly():
    items = list(range(12))
    page = journey.paginate(items, 1, 5)  # 12 at most 5 a page: 4 + 4 + 4, not 5 + 5 + 2
    assert page.items == (4, 5, 6, 7) and page.has_prev and page.has_next
    last = journey.paginate(items, 99, 5)
    assert last.number == 2 and last.items == (8, 9, 10, 11) and not last.has_next
    assert journey.paginate([], 0, 5).count == 1
    six = [len(journey.paginate(range(6), p, 5).items) for p in (0, 1)]
    assert six == [3, 3]  # never 5 + 1
    assert journey.paginate(range(7), 0, 8).count == 1
    for total in range(1, 30):
        for index in range(total):
            page = journey.paginate(range(total), journey.page_of(total, index, 5), 5)
            assert index in page.items
            assert len(page.items) <= 5


def test_every_shipped_series_fits_one_page():
    from content.loader import load

    catalog = load().catalog
    for lang in ("en", "ru", "uk"):
        for s in catalog.series_list(lang):
            assert journey.paginate(s.lessons, 0, journey.LESSONS_PER_PAGE).count == 1, s.id


def test_lesson_states_are_defined_once():
    s = series("demo", "one", "two", "three")
    opened, completed = {"one", "two"}, {"one"}
    assert journey.lesson_state("one", opened, completed) is journey.LessonState.COMPLETED
    assert journey.lesson_state("two", opened, completed) is journey.LessonState.OPENED
    assert journey.lesson_state("three", opened, completed) is journey.LessonState.NEW
    # a completed lesson counts as opened even if no "opened" mark says so
    assert journey.lesson_counts(s.lessons, {"two"}, {"one"}) == journey.LessonCounts(2, 1, 3)
    assert journey.lesson_counts(s.lessons, opened, completed) == journey.LessonCounts(2, 1, 3)
    done = journey.lesson_counts(s.lessons, set(), {"one", "two", "three"})
    assert done.finished and done.opened == 3


def test_next_lesson_and_last():
    s = series("demo", "one", "two", "three")
    assert journey.next_lesson(s, "one").id == "two"
    assert journey.next_lesson(s, "three") is None
    assert journey.next_lesson(s, "gone") is None
    assert journey.is_last_lesson(s, "three") and not journey.is_last_lesson(s, "two")
    assert journey.first_unfinished(s, {"one"}).id == "two"


def test_progress_report_counts_only_existing_lessons():
    catalog = Catalog(languages={"en": (series("aa", "one", "two"), series("bb", "three"))})
    stats = {
        "one": LessonStats("one", True, True, 4, 3, 2),
        "three": LessonStats("three", True, False, 1, 0, None),
        "removed": LessonStats("removed", True, True, 10, 10, 2),
    }
    report = journey.progress_report(catalog, "en", stats)
    a, b = report.series
    assert (a.done, a.total, a.accuracy) == (1, 2, 75)
    assert (b.done, b.total, b.accuracy) == (0, 1, 0)
    assert (report.done, report.total, report.answers, report.accuracy) == (1, 3, 5, 60)
    assert (a.opened, b.opened, report.opened) == (1, 1, 2)  # "three" opened, quiz unfinished
    assert report.counts == journey.LessonCounts(2, 1, 3)
    empty = journey.progress_report(catalog, "en", {})
    assert empty.accuracy is None and empty.series[0].accuracy is None


def test_a_long_series_is_paged_evenly_with_one_kind_of_arrow():
    from bot.i18n import translator
    from bot.render.screens import series_screen

    long = lessons.series(
        "long", 1, (lessons.lesson(f"lesson-{n}", n) for n in range(1, 10))
    )  # 9 lessons: 5 + 4
    t = translator("en")
    pages = [series_screen(t, long, set(), p) for p in (0, 1)]
    shown = [
        [
            b.callback_data
            for row in p.keyboard.inline_keyboard
            for b in row
            if b.callback_data.startswith("l:")
        ]
        for p in pages
    ]
    assert [len(x) for x in shown] == [5, 4]
    labels = [[b.text for row in p.keyboard.inline_keyboard for b in row] for p in pages]
    assert "Page 2 ➡️" in labels[0] and "⬅️ Page 1" in labels[1]
    assert not any("◀️" in label or "▶️" in label for page in labels for label in page)
    assert "Page 2 of 2" in pages[1].text


# What next (a returning learner's /start) --------------------------------------------------
def _catalog() -> Catalog:
    return Catalog(languages={"en": (series("aa", "a1", "a2", "a3"), series("bb", "b1", "b2"))})


def _attempt(lesson_id: str, current: int, total: int = 2, finished: bool = False, **kw):
    from domain.records import Attempt

    return Attempt(
        id=7, user_id=1, lesson_id=lesson_id, total=total, current=current, correct=0,
        started_at=NOW, finished_at=NOW if finished else None, **kw,
    )  # fmt: skip


def test_next_to_read_goes_on_after_the_latest_quiz():
    cat = _catalog()
    nxt = journey.next_to_read
    # Nothing done: the very first lesson, as a start (not a "continue").
    first = nxt(cat, "en", set(), set())
    assert (first.lesson.id, first.started) == ("a1", False)
    # After a1's quiz: a2. A lesson read without its quiz is still to complete: a2 again.
    assert nxt(cat, "en", {"a1"}, {"a1"}, "a1").lesson.id == "a2"
    assert nxt(cat, "en", {"a1", "a2"}, {"a1"}, "a1").lesson.id == "a2"
    # Jumped ahead to a3's quiz: the skipped a2 next, then the next series.
    assert nxt(cat, "en", {"a1", "a3"}, {"a1", "a3"}, "a3").lesson.id == "a2"
    done_a = {"a1", "a2", "a3"}
    went_on = nxt(cat, "en", done_a, done_a, "a3")
    assert (went_on.series.id, went_on.lesson.id, went_on.started) == ("bb", "b1", True)
    # The latest quiz in the last series, the first one unfinished: wraps round to it.
    assert nxt(cat, "en", {"b1", "b2"}, {"b1", "b2"}, "b2").lesson.id == "a1"
    # No quiz yet, lessons opened (by a drip): the first one of that series not completed.
    assert nxt(cat, "en", {"b1"}, set()).lesson.id == "b1"
    # The latest quiz's lesson is gone from the content: still a sensible next lesson.
    assert nxt(cat, "en", {"a1"}, {"a1"}, "removed").lesson.id == "a2"
    everything = done_a | {"b1", "b2"}
    assert nxt(cat, "en", everything, everything, "b2") is None


def test_a_quiz_in_progress_is_one_that_can_go_on():
    cat = _catalog()
    quiz = journey.quiz_in_progress(cat, "en", _attempt("a2", 1, option_orders=((1, 0), (1, 0))))
    assert quiz is not None and (quiz.lesson.id, quiz.index, quiz.order) == ("a2", 1, (1, 0))
    assert quiz.waiting(NOW + journey.QUIZ_WAIT) and not quiz.waiting(
        NOW + journey.QUIZ_WAIT + journey.timedelta(seconds=1)
    )
    assert journey.quiz_in_progress(cat, "en", None) is None
    assert journey.quiz_in_progress(cat, "en", _attempt("a2", 2, finished=True)) is None
    assert journey.quiz_in_progress(cat, "en", _attempt("gone", 0)) is None  # lesson removed
    assert journey.quiz_in_progress(cat, "en", _attempt("a2", 0, total=3)) is None  # quiz changed


async def test_what_next_reads_the_quiz_in_progress_and_the_latest_quiz(db):
    cat = _catalog()
    me, _ = await db.touch_user(1, "A", "en", NOW)
    empty = await journey.what_next(db, cat, me, "en", NOW)
    assert empty.quiz is None and not empty.reviews_due and empty.next_delivery is None
    assert (empty.lesson.lesson.id, empty.lesson.started) == ("a1", False)

    attempt = await db.start_attempt(1, "a1", 2, NOW)
    await db.record_answer(attempt.id, 1, 0, 0, True, NOW)
    midway = await journey.what_next(db, cat, me, "en", NOW)
    assert midway.quiz.attempt.id == attempt.id and midway.quiz.index == 1
    assert await journey.resumable_quiz(db, cat, 1, "en", attempt.id) is not None
    assert await journey.resumable_quiz(db, cat, 2, "en", attempt.id) is None  # not theirs
    assert await journey.waiting_quiz(db, cat, 1, "en", NOW) is not None
    later = NOW + journey.QUIZ_WAIT * 2
    assert await journey.waiting_quiz(db, cat, 1, "en", later) is None  # left long ago

    await db.record_answer(attempt.id, 1, 1, 0, True, NOW)
    after = await journey.what_next(db, cat, me, "en", NOW)
    assert after.quiz is None and after.lesson.lesson.id == "a2" and after.lesson.started
    assert await journey.resumable_quiz(db, cat, 1, "en", attempt.id) is None  # finished


def test_broken_deep_links_say_what_they_were_for():
    assert journey.broken_link_kind("l_Bad-Link") == "lesson"
    assert journey.broken_link_kind("sub_" + "x" * 40) == "subscribe"
    assert journey.broken_link_kind("t_") == "team"
    assert journey.broken_link_kind("l_silos") is None  # a valid link is not broken
    assert journey.broken_link_kind("group") is None  # not one of our links
    assert journey.broken_link_kind(None) is None


def test_did_you_mean_a_command():
    known = ("lessons", "progress", "review", "subscriptions", "settings", "assess", "team",
             "mydata", "language", "help", "start", "menu")  # fmt: skip
    suggest = journey.suggest_command
    assert suggest("lesson", known) == "lessons"
    assert suggest("setings", known) == "settings"
    assert suggest("reveiw", known) == "review"
    assert suggest("ыуеештпы", known) == "settings"  # the Russian keyboard layout
    assert suggest("дфтпгфпу", known) == "language"
    assert suggest("іуеештпі", known) == "settings"  # the Ukrainian one (і for s)
    assert suggest("старт", known) == "start"  # a Cyrillic name
    assert suggest("помошь", known) == "help"  # a misspelt one
    assert suggest("subs", known) == "subscriptions"  # a unique beginning
    assert suggest("foobar", known) is None
    assert suggest("stats", known, hidden={"stats"}) is None  # admins' commands stay hidden
    assert journey.command_word("/Lesson@cx_bot tomorrow") == "lesson"
    assert journey.command_word("hello") is None and journey.command_word("/") is None


def test_a_command_for_another_bot_is_not_ours():
    assert journey.addressed_elsewhere("/start@other_bot", "cx_bot")
    assert journey.addressed_elsewhere("/lessons@Someone_Else_bot now", "cx_bot")
    assert not journey.addressed_elsewhere("/start@CX_Bot", "cx_bot")  # ours, any case
    assert not journey.addressed_elsewhere("/start", "cx_bot")
    assert not journey.addressed_elsewhere("write to me@home", "cx_bot")
    assert not journey.addressed_elsewhere("/", "cx_bot")
