"""/progress: per series, lessons completed and quiz accuracy."""

from __future__ import annotations

from bot.services import lessons, progress
from content.model import Catalog, SeriesContent
from domain.records import LessonStats
from tests import lessons as made


def series(series_id: str, *ids: str) -> SeriesContent:
    return made.series(series_id, 1, (made.lesson(i, n) for n, i in enumerate(ids, 1)))


def test_progress_report_counts_only_existing_lessons():
    catalog = Catalog(languages={"en": (series("aa", "one", "two"), series("bb", "three"))})
    stats = {
        "one": LessonStats("one", True, True, 4, 3, 2),
        "three": LessonStats("three", True, False, 1, 0, None),
        "removed": LessonStats("removed", True, True, 10, 10, 2),
    }
    report = progress.progress_report(catalog, "en", stats)
    a, b = report.series
    assert (a.done, a.total, a.accuracy) == (1, 2, 75)
    assert (b.done, b.total, b.accuracy) == (0, 1, 0)
    assert (report.done, report.total, report.answers, report.accuracy) == (1, 3, 5, 60)
    assert (a.opened, b.opened, report.opened) == (1, 1, 2)  # "three" opened, quiz unfinished
    assert report.counts == lessons.LessonCounts(2, 1, 3)
    empty = progress.progress_report(catalog, "en", {})
    assert empty.accuracy is None and empty.series[0].accuracy is None
