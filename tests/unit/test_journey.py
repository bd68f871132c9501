"""The journey's plain rules: languages, deep links, pagination, next lesson, progress."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import journey
from content.model import Catalog, SeriesContent
from storage.base import LessonStats, User
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


def test_paginate_clamps_old_pages():
    items = list(range(12))
    page = journey.paginate(items, 1, 5)
    assert page.items == (5, 6, 7, 8, 9) and page.has_prev and page.has_next
    last = journey.paginate(items, 99, 5)
    assert last.number == 2 and last.items == (10, 11) and not last.has_next
    assert journey.paginate([], 0, 5).count == 1


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
    empty = journey.progress_report(catalog, "en", {})
    assert empty.accuracy is None and empty.series[0].accuracy is None
