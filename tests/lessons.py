"""Building lessons and catalogs for tests that need content of their own."""

from __future__ import annotations

from collections.abc import Iterable

from content.model import Catalog, Lesson, QuizQuestion, Series, SeriesContent


def question(options: Iterable[str] = ("a", "b"), correct: int = 0, text: str = "Q?") -> dict:
    return dict(question=text, options=list(options), correct=correct, explanation="Because.")


def lesson(
    lesson_id: str, order: int = 1, body: str = "Body", quiz: Iterable[dict] | None = None
) -> Lesson:
    return Lesson(
        id=lesson_id,
        order=order,
        title=lesson_id,
        body=body,
        key_idea="Idea",
        symptom="We do it.",
        action="Act",
        reflection="Think?",
        source="demo",
        quiz=[QuizQuestion(**q) for q in (quiz or [question(), question()])],
    )


def series(series_id: str, order: int, lessons: Iterable[Lesson]) -> SeriesContent:
    meta = Series(
        id=series_id, order=order, title="T", short_title="T", summary="S", intro="I", recap="R"
    )
    return SeriesContent(meta, tuple(lessons))


def catalog(lessons_by_language: dict[str, list[Lesson]]) -> Catalog:
    """Each lesson in a series of its own, per language."""
    return Catalog(
        languages={
            lang: tuple(series(f"series-{i}", i + 1, [x]) for i, x in enumerate(lessons))
            for lang, lessons in lessons_by_language.items()
        }
    )
