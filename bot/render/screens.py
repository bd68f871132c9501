"""What the learner sees: each screen's HTML text and inline keyboard.

Screens take already-decided data (from services) and a translator; they never touch
storage. Content fields written in Telegram HTML (lesson body, key idea, ...) are passed
through as :class:`~bot.i18n.Safe`; everything else is escaped by the translator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Safe, Translator, escape
from bot.services.journey import (
    LESSONS_PER_PAGE,
    SERIES_PER_PAGE,
    ProgressReport,
    paginate,
)
from content.model import Lesson, QuizQuestion, SeriesContent, Source
from storage.base import Attempt

DONE = "✅"
# Option labels as tests in each language letter them (ЗНО/ЕГЭ use А Б В Г).
OPTION_LETTERS = {"en": "ABCDEF", "ru": "АБВГДЕ", "uk": "АБВГДЕ"}


def option_letter(t: Translator, position: int) -> str:
    return OPTION_LETTERS.get(t.lang, OPTION_LETTERS["en"])[position]


def option_lines(t: Translator, question: QuizQuestion, order: Sequence[int]) -> list[str]:
    """The options in full, in the order shown, one line each: "A. text"."""
    return [
        f"{option_letter(t, position)}. {escape(question.options[option])}"
        for position, option in enumerate(order)
    ]


def shown_answer(t: Translator, question: QuizQuestion, order: Sequence[int], option: int) -> str:
    """An option as the learner saw it: its letter and its full text."""
    return f"{option_letter(t, list(order).index(option))}. {question.options[option]}"


@dataclass(frozen=True)
class Screen:
    text: str
    keyboard: InlineKeyboardMarkup | None = None


def _button(text: str, data: cb.Callback) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data.encode())


def _markup(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    """The keyboard of the non-empty rows; None when there are none (no keyboard at all)."""
    kept = [row for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None


def menu_rows(t: Translator) -> list[list[InlineKeyboardButton]]:
    return [
        [_button(t._("📚 Lessons"), cb.SeriesList(0)), _button(t._("📈 Progress"), cb.Progress())],
        [
            _button(t._("🔁 Review"), cb.StartReview()),
            _button(t._("🔔 Subscriptions"), cb.Subscriptions()),
        ],
    ]


def language_row() -> list[InlineKeyboardButton]:
    return [_button(LANGUAGE_NAMES[code], cb.Language(code)) for code in LANGUAGES]


def start_screen(t: Translator, first_name: str) -> Screen:
    text = "\n".join(
        [
            t._("Hi, {name}! I am CX Coach.", name=first_name)
            if first_name.strip()
            else t._("Hi! I am CX Coach."),
            t._(
                "I teach, one bite-sized lesson at a time, why customer-centricity fails "
                "in companies and what to do about each obstacle."
            ),
            t._("Read a lesson, take its short quiz, and watch your progress grow."),
            "",
            t._("Choose your language, or start with the lessons:"),
        ]
    )
    return Screen(text, _markup([language_row(), *menu_rows(t)]))


def menu_screen(t: Translator) -> Screen:
    return Screen(t._("What would you like to do?"), _markup(menu_rows(t)))


def language_screen(t: Translator) -> Screen:
    return Screen(t._("Choose the language of the lessons and menus:"), _markup([language_row()]))


def language_set_screen(t: Translator) -> Screen:
    return Screen(t._("Done: I will speak English with you now."), _markup(menu_rows(t)))


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
        rows.append([_button(f"{mark}{number}. {series.series.title}", cb.SeriesPage(series.id))])
    rows.append(_pager(t, shown, lambda p: cb.SeriesList(p)))
    rows.append([_button(t._("🏠 Menu"), cb.Menu())])
    return Screen("\n".join(lines), _markup(rows))


def series_screen(
    t: Translator,
    series: SeriesContent,
    completed: set[str],
    page: int,
    subscription: str | None = None,
) -> Screen:
    shown = paginate(series.lessons, page, LESSONS_PER_PAGE)
    done = sum(1 for lesson in series.lessons if lesson.id in completed)
    lines = [
        f"<b>{escape(series.series.title)}</b>",
        "",
        Safe(series.series.intro),
        "",
        t.n_(
            "{done} of {n} lesson done",
            "{done} of {n} lessons done",
            len(series.lessons),
            done=done,
        ),
    ]
    if shown.count > 1:
        lines.append(t._("Page {page} of {pages}", page=shown.number + 1, pages=shown.count))
    rows = []
    for number, lesson in enumerate(shown.items, start=shown.offset + 1):
        mark = f"{DONE} " if lesson.id in completed else ""
        rows.append([_button(f"{mark}{number}. {lesson.title}", cb.OpenLesson(lesson.id))])
    rows.append(_pager(t, shown, lambda p: cb.SeriesPage(series.id, p)))
    if subscription == "active":
        sub_button = _button(
            t._("⏸ Pause the daily lesson"), cb.SubscriptionAction("pause", series.id)
        )
    elif subscription == "paused":
        sub_button = _button(
            t._("▶️ Resume the daily lesson"), cb.SubscriptionAction("resume", series.id)
        )
    else:
        sub_button = _button(
            t._("🔔 Subscribe: a lesson a day"), cb.SubscriptionAction("subscribe", series.id)
        )
    rows.append([sub_button])
    rows.append(
        [_button(t._("⬅️ All series"), cb.SeriesList(0)), _button(t._("🏠 Menu"), cb.Menu())]
    )
    return Screen("\n".join(lines), _markup(rows))


def _pager(t: Translator, page, make) -> list[InlineKeyboardButton]:
    row = []
    if page.has_prev:
        row.append(_button(t._("◀️ Back"), make(page.number - 1)))
    if page.has_next:
        row.append(_button(t._("More ▶️"), make(page.number + 1)))
    return row


def source_line(t: Translator, source: Source | None) -> str:
    """The lesson's credit in the learner's language, saying the article's language."""
    if source is None:
        return ""
    publisher, title, other_language = source.credit(t.lang)
    shown = escape(title)
    if source.url:
        shown = f'<a href="{escape(source.url)}">{shown}</a>'
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


def lesson_screen(
    t: Translator,
    series: SeriesContent,
    lesson: Lesson,
    source: Source | None,
    completed: bool,
    next_lesson: Lesson | None,
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
    rows = [[_button(quiz_label, cb.StartQuiz(lesson.id))]]
    nav = []
    if next_lesson is not None:
        nav.append(_button(t._("Next lesson ➡️"), cb.OpenLesson(next_lesson.id)))
    nav.append(
        _button(t._("⬅️ Back to the series"), cb.SeriesPage(series.id, _page_of(series, lesson)))
    )
    rows.append(nav)
    return Screen("\n".join(lines), _markup(rows))


def _page_of(series: SeriesContent, lesson: Lesson) -> int:
    return [x.id for x in series.lessons].index(lesson.id) // LESSONS_PER_PAGE


def _question_header(t: Translator, lesson: Lesson, index: int) -> str:
    return t._(
        "📝 <b>{title}</b> · question {number} of {total}",
        title=lesson.title,
        number=index + 1,
        total=len(lesson.quiz),
    )


def question_screen(
    t: Translator, lesson: Lesson, attempt: Attempt, index: int, order: Sequence[int]
) -> Screen:
    """The question with every option in full (A–D, in this attempt's order), letter buttons."""
    question = lesson.quiz[index]
    lines = [_question_header(t, lesson, index), "", escape(question.question), ""]
    lines += option_lines(t, question, order)
    buttons = [
        _button(option_letter(t, position), cb.Answer(attempt.id, index, position))
        for position in range(len(order))
    ]
    return Screen("\n".join(lines), _markup([buttons]))


def judged_screen(
    t: Translator,
    lesson: Lesson,
    index: int,
    question: QuizQuestion,
    chosen: int,
    correct: bool,
    order: Sequence[int],
) -> Screen:
    lines = [_question_header(t, lesson, index), "", escape(question.question), ""]
    right = shown_answer(t, question, order, question.correct)
    if correct:
        lines.append(t._("✅ Right: {answer}", answer=right))
    else:
        lines.append(
            t._("❌ Your answer: {answer}", answer=shown_answer(t, question, order, chosen))
        )
        lines.append(t._("✅ Right answer: {answer}", answer=right))
    lines += ["", f"💬 <i>{escape(question.explanation)}</i>"]
    return Screen("\n".join(lines), None)


def result_screen(
    t: Translator,
    series: SeriesContent,
    lesson: Lesson,
    attempt: Attempt,
    next_lesson: Lesson | None,
    series_finished: bool,
) -> Screen:
    score = t.n_(
        "🏁 Quiz done: {correct} of {n} answer right.",
        "🏁 Quiz done: {correct} of {n} answers right.",
        attempt.total,
        correct=attempt.correct,
    )
    if attempt.correct == attempt.total:
        verdict = t._("Excellent, you have this one.")
    elif attempt.correct * 2 >= attempt.total:
        verdict = t._("Good. Re-read the explanations above to close the gap.")
    else:
        verdict = t._("Worth another look: re-read the lesson and try again.")
    lines = [score, verdict]
    if series_finished:
        lines += [
            "",
            t._("🎓 <b>Series complete: {title}</b>", title=series.series.title),
            "",
            Safe(series.series.recap),
        ]
    rows = [[_button(t._("🔁 Retake the quiz"), cb.StartQuiz(lesson.id))]]
    if next_lesson is not None:
        rows.append([_button(t._("Next lesson ➡️"), cb.OpenLesson(next_lesson.id))])
    rows.append(
        [
            _button(
                t._("⬅️ Back to the series"), cb.SeriesPage(series.id, _page_of(series, lesson))
            ),
            _button(t._("🏠 Menu"), cb.Menu()),
        ]
    )
    return Screen("\n".join(lines), _markup(rows))


def progress_screen(
    t: Translator,
    report: ProgressReport,
    streak: int = 0,
    best_streak: int = 0,
    reviews_due: int = 0,
) -> Screen:
    lines = [t._("<b>Your progress</b>"), ""]
    if streak or best_streak:
        lines.append(
            t.n_("🔥 Streak: {n} day in a row", "🔥 Streak: {n} days in a row", streak)
            + " · "
            + t.n_("best: {n} day", "best: {n} days", best_streak)
        )
    if reviews_due:
        lines.append(
            t.n_("🔁 {n} review card due: /review", "🔁 {n} review cards due: /review", reviews_due)
        )
    if streak or best_streak or reviews_due:
        lines.append("")
    for row in report.series:
        mark = f"{DONE} " if row.finished else ""
        lines.append(f"{mark}<b>{escape(row.series.series.title)}</b>")
        done = t.n_("{done} of {n} lesson", "{done} of {n} lessons", row.total, done=row.done)
        if row.accuracy is None:
            lines.append(f"  {done}")
        else:
            accuracy = t._("quiz: {percent}% right", percent=row.accuracy)
            lines.append(f"  {done} · {accuracy}")
    lines.append("")
    lines.append(
        t.n_(
            "In all: {done} of {n} lesson completed.",
            "In all: {done} of {n} lessons completed.",
            report.total,
            done=report.done,
        )
    )
    if report.answers:
        lines.append(
            t.n_(
                "{n} quiz answer given, {percent}% of them right.",
                "{n} quiz answers given, {percent}% of them right.",
                report.answers,
                percent=report.accuracy,
            )
        )
    else:
        lines.append(t._("No quiz answers yet: open a lesson and take its quiz."))
    return Screen("\n".join(lines), _markup(menu_rows(t)))


def help_screen(t: Translator) -> Screen:
    text = "\n".join(
        [
            t._("<b>CX Coach</b>: short lessons on customer-centricity, with quizzes."),
            "",
            t._("/lessons: series and lessons"),
            t._("/progress: what you have completed and how your quizzes went"),
            t._("/subscriptions: series that send you a lesson a day"),
            t._("/review: go over answered questions just before you would forget them"),
            t._("/settings: delivery time, days, time zone and quiet hours"),
            t._("/assess: rate which obstacles hold your company back; get a plan"),
            t._("/team: a team diagnostic with a shared link (/team new Name)"),
            t._("/mydata: see and delete what the bot stores about you"),
            t._("/language: change the language"),
            t._("/help: this message"),
            "",
            t._("Tip: a lesson takes about a minute to read; its quiz, another minute."),
        ]
    )
    return Screen(text, _markup(menu_rows(t)))


def unknown_screen(t: Translator) -> Screen:
    return Screen(
        t._("Sorry, I did not understand that. I work with commands and buttons: try the menu."),
        _markup(menu_rows(t)),
    )


def unsupported_screen(t: Translator) -> Screen:
    return Screen(
        t._("I can only read text messages and button presses. Here is the menu:"),
        _markup(menu_rows(t)),
    )


def stale_button_screen(t: Translator) -> Screen:
    return Screen(
        t._("That button is out of date: the lesson it pointed to has changed or is gone."),
        _markup(menu_rows(t)),
    )


def group_screen(t: Translator, bot_username: str | None) -> Screen:
    text = t._("I teach one person at a time. Please write to me in a private chat.")
    if not bot_username:
        return Screen(text, None)
    url = f"https://t.me/{bot_username}?start=group"
    return Screen(text, _markup([[InlineKeyboardButton(t._("Open a private chat"), url=url)]]))


def error_screen(t: Translator) -> Screen:
    return Screen(
        t._("Sorry, something went wrong on my side. Please try again in a moment."),
        _markup(menu_rows(t)),
    )
