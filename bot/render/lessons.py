"""Screens of /lessons: the series list, a series, a lesson (with its credit line)."""

from __future__ import annotations

import html

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.kit import (
    DONE,
    WIDE_LABEL,
    Screen,
    button,
    lesson_counts_text,
    markup,
    pager,
    sentence,
    shorten,
)
from bot.services.lessons import (
    LESSONS_PER_PAGE,
    SERIES_PER_PAGE,
    LessonView,
    lesson_counts,
    page_of,
    paginate,
)
from content.model import Lesson, SeriesContent, Source
from domain.records import Bonus


def series_list_screen(
    t: Translator, all_series: tuple[SeriesContent, ...], done: dict[str, int], page: int
) -> Screen:
    if not all_series:
        return Screen(t._("There are no lessons yet. Please come back later."), None)
    shown = paginate(all_series, page, SERIES_PER_PAGE)
    lines = [t._("<b>Series</b>"), ""]
    rows = []
    for number, series in enumerate(shown.items, start=shown.offset + 1):
        total = len(series.lessons)
        count = done.get(series.id, 0)
        mark = f"{DONE} " if total and count >= total else ""
        lines.append(f"{number}. {mark}<b>{escape(series.series.title)}</b> ({count}/{total})")
        lines.append(f"<i>{escape(series.series.summary)}</i>")
        label = f"{mark}{number}. {series.series.title}"
        if len(label) > WIDE_LABEL:  # the whole short title rather than a cut long one
            label = shorten(f"{mark}{number}. {series.series.short_title}", WIDE_LABEL)
        rows.append([button(label, cb.SeriesPage(series.id))])
    lines += [
        "",
        t._("In brackets: lessons completed. A lesson counts once you finish its quiz."),
    ]
    rows.append(pager(t, shown, lambda p: cb.SeriesList(p)))
    rows.append([button(t._("🏠 Menu"), cb.Menu())])
    return Screen("\n".join(lines), markup(rows))


def series_screen(
    t: Translator,
    series: SeriesContent,
    completed: set[str],
    page: int,
    subscription: str | None = None,
    bonus: Bonus | None = None,
) -> Screen:
    shown = paginate(series.lessons, page, LESSONS_PER_PAGE)
    counts = lesson_counts(series.lessons, completed, completed)
    lines = [
        f"<b>{escape(series.series.title)}</b>",
        "",
        Safe(series.series.intro),
        "",
        (f"{DONE} " if counts.completed == counts.total else "")
        + sentence(lesson_counts_text(t, counts)),
        "<i>" + t._("A lesson counts as completed once you finish its quiz.") + "</i>",
    ]
    if shown.count > 1:
        lines.append(t._("Page {page} of {pages}", page=shown.number + 1, pages=shown.count))
    rows = []
    for number, lesson in enumerate(shown.items, start=shown.offset + 1):
        mark = f"{DONE} " if lesson.id in completed else ""
        label = shorten(f"{mark}{number}. {lesson.title}", WIDE_LABEL)
        rows.append([button(label, cb.OpenLesson(lesson.id))])
    rows.append(pager(t, shown, lambda p: cb.SeriesPage(series.id, p)))
    if subscription == "active":
        sub_button = button(
            t._("⏸ Pause the daily lesson"), cb.SubscriptionAction("pause", series.id)
        )
    elif subscription == "paused":
        sub_button = button(
            t._("▶️ Resume the daily lesson"), cb.SubscriptionAction("resume", series.id)
        )
    else:
        sub_button = button(
            t._("🔔 Subscribe to the series"), cb.SubscriptionAction("subscribe", series.id)
        )
    rows.append([sub_button])
    rows.append(bonus_row(t, bonus))
    rows.append([button(t._("⬅️ All series"), cb.SeriesList(0)), button(t._("🏠 Menu"), cb.Menu())])
    return Screen("\n".join(lines), markup(rows))


def source_line(t: Translator, source: Source | None) -> str:
    """The lesson's credit in the learner's language, saying the article's language."""
    if source is None:
        return ""
    publisher, title, other_language = source.credit(t.lang)
    shown = escape(title)
    if source.url:
        shown = f'<a href="{html.escape(source.url, quote=True)}">{shown}</a>'
    line = t._("Based on: {publisher}, “{title}”", publisher=publisher, title=Safe(shown))
    if other_language is not None:
        line += " " + ARTICLE_LANGUAGE[other_language](t)
    return line


# "(article in Russian)": the language of an article, said in the learner's language.
ARTICLE_LANGUAGE = {
    "en": lambda t: t._("(article in English)"),
    "ru": lambda t: t._("(article in Russian)"),
    "uk": lambda t: t._("(article in Ukrainian)"),
}


def lesson_view_screen(t: Translator, view: LessonView) -> Screen:
    """A lesson as :func:`bot.services.lessons.open_lesson` found it."""
    return lesson_screen(
        t, view.series, view.lesson, view.source, view.completed, view.next_lesson, view.bonus
    )


def bonus_row(t: Translator, bonus: Bonus | None) -> list:
    """The button of a bonus for channel members (none without one)."""
    if bonus is None:
        return []
    label = t._("🎁 Bonus: {title}", title=Safe(bonus.title))  # a label: never escaped
    return [button(shorten(label, WIDE_LABEL), cb.GetBonus(bonus.id))]


def lesson_screen(
    t: Translator,
    series: SeriesContent,
    lesson: Lesson,
    source: Source | None,
    completed: bool,
    next_lesson: Lesson | None,
    bonus: Bonus | None = None,
) -> Screen:
    position = [x.id for x in series.lessons].index(lesson.id) + 1
    header = t._(
        "{series} · lesson {number} of {total}",
        series=series.series.title,
        number=position,
        total=len(series.lessons),
    )
    lines = [
        f"<b>{escape(lesson.title)}</b>",
        f"<i>{header}</i>{' ' + DONE if completed else ''}",
        "",
        Safe(lesson.body.strip()),
        "",
        t._("💡 <b>Key idea:</b> {text}", text=Safe(lesson.key_idea)),
        "",
        t._("🛠 <b>Try this week:</b> {text}", text=Safe(lesson.action)),
        "",
        t._("🤔 <b>Think about it:</b> {text}", text=Safe(lesson.reflection)),
        "",
        f"<i>{source_line(t, source)}</i>",
    ]
    quiz_label = t._("🔁 Retake the quiz") if completed else t._("📝 Take the quiz")
    rows = [[button(quiz_label, cb.StartQuiz(lesson.id))]]
    if next_lesson is not None:
        rows.append([button(t._("Next lesson ➡️"), cb.OpenLesson(next_lesson.id))])
    rows.append(bonus_row(t, bonus))  # for channel members
    rows.append(  # the same way out as the quiz's result: the series, or home
        [
            button(  # both as new messages: the lesson stays, to re-read
                t._("⬅️ Back to the series"),
                cb.SeriesPage(series.id, page_of_lesson(series, lesson), new=True),
            ),
            button(t._("🏠 Menu"), cb.Menu(new=True)),
        ]
    )
    return Screen("\n".join(lines), markup(rows))


def page_of_lesson(series: SeriesContent, lesson: Lesson) -> int:
    index = [x.id for x in series.lessons].index(lesson.id)
    return page_of(len(series.lessons), index, LESSONS_PER_PAGE)
