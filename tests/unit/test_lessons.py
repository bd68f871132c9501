"""/lessons' plain rules: pages, lesson states and counts, the next lesson."""

from __future__ import annotations

from bot.services import lessons
from content.model import SeriesContent
from tests import lessons as made


def series(series_id: str, *ids: str) -> SeriesContent:
    return made.series(series_id, 1, (made.lesson(i, n) for n, i in enumerate(ids, 1)))


def test_paginate_clamps_old_pages_and_splits_evenly():
    items = list(range(12))
    page = lessons.paginate(items, 1, 5)  # 12 at most 5 a page: 4 + 4 + 4, not 5 + 5 + 2
    assert page.items == (4, 5, 6, 7) and page.has_prev and page.has_next
    last = lessons.paginate(items, 99, 5)
    assert last.number == 2 and last.items == (8, 9, 10, 11) and not last.has_next
    assert lessons.paginate([], 0, 5).count == 1
    six = [len(lessons.paginate(range(6), p, 5).items) for p in (0, 1)]
    assert six == [3, 3]  # never 5 + 1
    assert lessons.paginate(range(7), 0, 8).count == 1
    for total in range(1, 30):
        for index in range(total):
            page = lessons.paginate(range(total), lessons.page_of(total, index, 5), 5)
            assert index in page.items
            assert len(page.items) <= 5


def test_every_shipped_series_fits_one_page():
    from content.loader import load

    catalog = load().catalog
    for lang in ("en", "ru", "uk"):
        for s in catalog.series_list(lang):
            assert lessons.paginate(s.lessons, 0, lessons.LESSONS_PER_PAGE).count == 1, s.id


def test_lesson_states_are_defined_once():
    s = series("demo", "one", "two", "three")
    opened, completed = {"one", "two"}, {"one"}
    assert lessons.lesson_state("one", opened, completed) is lessons.LessonState.COMPLETED
    assert lessons.lesson_state("two", opened, completed) is lessons.LessonState.OPENED
    assert lessons.lesson_state("three", opened, completed) is lessons.LessonState.NEW
    # a completed lesson counts as opened even if no "opened" mark says so
    assert lessons.lesson_counts(s.lessons, {"two"}, {"one"}) == lessons.LessonCounts(2, 1, 3)
    assert lessons.lesson_counts(s.lessons, opened, completed) == lessons.LessonCounts(2, 1, 3)
    done = lessons.lesson_counts(s.lessons, set(), {"one", "two", "three"})
    assert done.finished and done.opened == 3


def test_next_lesson_and_last():
    s = series("demo", "one", "two", "three")
    assert lessons.next_lesson(s, "one").id == "two"
    assert lessons.next_lesson(s, "three") is None
    assert lessons.next_lesson(s, "gone") is None
    assert lessons.is_last_lesson(s, "three") and not lessons.is_last_lesson(s, "two")
    assert lessons.first_unfinished(s, {"one"}).id == "two"


def test_a_long_series_is_paged_evenly_with_one_kind_of_arrow():
    from bot.i18n import translator
    from bot.render.lessons import series_screen

    long = made.series(
        "long", 1, (made.lesson(f"lesson-{n}", n) for n in range(1, 10))
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
