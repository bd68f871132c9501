"""What the learner sees: each screen's HTML text and inline keyboard.

Screens take already-decided data (from services) and a translator; they never touch
storage. Content fields written in Telegram HTML (lesson body, key idea, ...) are passed
through as :class:`~bot.i18n.Safe`; everything else is escaped by the translator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.dates import format_datetime
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Safe, Translator, escape
from bot.services.journey import (
    LESSONS_PER_PAGE,
    SERIES_PER_PAGE,
    LessonCounts,
    ProgressReport,
    QuizInProgress,
    WhatNext,
    lesson_counts,
    page_of,
    paginate,
)
from content.model import Lesson, QuizQuestion, SeriesContent, Source
from domain.records import Attempt

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


# Button widths. Telegram draws the buttons of a row equally wide and cuts a label that does
# not fit. On a 360-px phone (about 330 px of keyboard, ~8 px a character in the button font)
# a button alone on its row shows about 40 characters, one of two about 24, one of three 14.
# Titles on buttons are shortened to these with "…" (see :func:`shorten`).
ROW_LABEL_LIMITS = {1: 40, 2: 24, 3: 14, 4: 10}
WIDE_LABEL = ROW_LABEL_LIMITS[1]
HALF_LABEL = ROW_LABEL_LIMITS[2]


def label_limit(buttons_in_row: int) -> int:
    """The longest label (in characters, emoji included) a button keeps on a phone."""
    return ROW_LABEL_LIMITS.get(buttons_in_row, 7)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, ending with "…".

    A title that fits is returned as it is (spaces collapsed). It is cut inside a word only
    when the last word boundary would keep less than a third of the room (a single overlong
    word); buttons that share a row use a series' ``short_title`` so that does not happen.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space >= limit // 3:
        cut = cut[:space]
    return cut.rstrip(" ,.;:—–-·«“„(") + "…"


def lesson_counts_text(t: Translator, counts: LessonCounts) -> str:
    """ "2 of 5 lessons completed · opened: 3", the one wording of lesson counts everywhere
    (the opened part only when some lessons are opened but not completed)."""
    text = t.n_(
        "{done} of {n} lesson completed",
        "{done} of {n} lessons completed",
        counts.total,
        done=counts.completed,
    )
    if counts.opened > counts.completed:
        return Safe(text + " · " + t._("opened: {n}", n=counts.opened))
    return text


def sentence(text: str) -> Safe:
    """``text`` with a capital first letter, to start a line ("пройдено 1…" -> "Пройдено 1…")."""
    return Safe(text[:1].upper() + text[1:])


def done_rule(t: Translator) -> str:
    """What "completed" and "opened" mean, said where the learner reads the counts."""
    return t._(
        "A lesson counts as completed once you finish its quiz; "
        "“opened” counts the lessons you have seen."
    )


def menu_rows(t: Translator) -> list[list[InlineKeyboardButton]]:
    """The main menu: what a learner uses every week on two rows, then settings and "More"
    (the self-assessment, teams, language and help: used now and then, and each needs the
    line of explanation the More screen gives). Three rows of two keep every label whole on
    a phone (a third button per row would cut "📋 Самооцінювання") and the keyboard short
    under the many screens that end with it."""
    return [
        [_button(t._("📚 Lessons"), cb.SeriesList(0)), _button(t._("📈 Progress"), cb.Progress())],
        [
            _button(t._("🔁 Review"), cb.StartReview()),
            _button(t._("🔔 Subscriptions"), cb.Subscriptions()),
        ],
        [_button(t._("⚙️ Schedule"), cb.Settings()), _button(t._("➕ More"), cb.More())],
    ]


def language_row(current: str | None = None) -> list[InlineKeyboardButton]:
    """The three languages; the one in use is marked ✅."""
    return [
        _button(f"{DONE} {LANGUAGE_NAMES[code]}" if code == current else LANGUAGE_NAMES[code],
                cb.Language(code))
        for code in LANGUAGES
    ]  # fmt: skip


# Ukrainian addresses a person in the vocative (Олено, Тарасе), which no library forms
# reliably from a Telegram first name: Ukrainian greetings go without the name.
GREETS_BY_NAME = {"en": True, "ru": True, "uk": False}


def _greeting(t: Translator, first_name: str) -> str:
    if first_name.strip() and GREETS_BY_NAME.get(t.lang, False):
        return t._("Hi, {name}! I’m CX Coach.", name=first_name)
    return t._("Hi! I’m CX Coach.")


def start_screen(t: Translator, first_name: str) -> Screen:
    """The first-time greeting: what the bot does, the languages, the menu."""
    text = "\n".join(
        [
            _greeting(t, first_name),
            t._(
                "One short lesson at a time, I show why customer-centricity fails in "
                "companies and what to do about each obstacle."
            ),
            t._("Read a lesson, take its short quiz, and watch your progress grow."),
            "",
            t._("Choose your language, or start with the lessons:"),
        ]
    )
    return Screen(text, _markup([language_row(t.lang), *menu_rows(t)]))


def _lesson_place(t: Translator, series: SeriesContent, number: int) -> str:
    return t._(
        "{series} · lesson {number} of {total}",
        series=series.series.title,
        number=number,
        total=len(series.lessons),
    )


def home_screen(t: Translator, first_name: str, nxt: WhatNext) -> Screen:
    """A returning learner's /start: where they left off, what is due, the menu."""
    if first_name.strip() and GREETS_BY_NAME.get(t.lang, False):
        lines = [t._("Welcome back, {name}!", name=first_name), ""]
    else:
        lines = [t._("Welcome back!"), ""]
    rows: list[list[InlineKeyboardButton]] = []
    if nxt.quiz is not None:
        quiz = nxt.quiz
        lines.append(
            t._(
                "📝 A quiz in progress: <b>{title}</b>\nQuestion {number} of {total} is next.",
                title=quiz.lesson.title,
                number=quiz.index + 1,
                total=len(quiz.lesson.quiz),
            )
        )
        # the lesson is named above: a title on the button would be cut on a phone
        rows.append([_button(t._("▶️ Continue the quiz"), cb.ResumeQuiz(quiz.attempt.id))])
    elif nxt.lesson is not None:
        lesson = nxt.lesson
        place = _lesson_place(t, lesson.series, lesson.number)
        if lesson.started:
            lines.append(
                t._("📖 Next up: <b>{title}</b> ({place}).", title=lesson.lesson.title, place=place)
            )
            label = t._("▶️ Continue: {title}", title=lesson.lesson.title)
        else:
            lines.append(
                t._("📖 Start with: <b>{title}</b> ({place}).", title=lesson.lesson.title,
                    place=place)
            )  # fmt: skip
            label = t._("▶️ Start: {title}", title=lesson.lesson.title)
        rows.append([_button(shorten(label, WIDE_LABEL), cb.OpenLesson(lesson.lesson.id))])
    else:
        lines.append(t._("🎓 You have completed every lesson. Reviews keep them fresh."))
    if nxt.reviews_due:
        lines.append(
            t.n_(
                "🔁 {n} review card is due: tap 🔁 Review.",
                "🔁 {n} review cards are due: tap 🔁 Review.",
                nxt.reviews_due,
            )
        )
    if nxt.next_delivery is not None:
        when = format_datetime(nxt.next_delivery, "EEE d MMM, HH:mm", locale=t.lang)
        lines.append(t._("📬 Next lesson from your subscriptions: {when}.", when=when))
    return Screen("\n".join(lines), _markup([*rows, *menu_rows(t)]))


def menu_screen(t: Translator) -> Screen:
    return Screen(t._("What would you like to do?"), _markup(menu_rows(t)))


def more_screen(t: Translator) -> Screen:
    """The menu's second page: the tools used now and then, each with what it is for."""
    text = "\n".join(
        [
            t._("<b>More</b>"),
            "",
            t._("📋 <b>Self-assessment</b>: find which obstacles hold your company back "
                "most, and get a reading plan (about three minutes)."),
            t._("👥 <b>Teams</b>: the same diagnostic for a whole team through a shared link; "
                "the manager sees only the team’s averages."),
            t._("🌐 <b>Language</b>: English, Русский or Українська."),
            t._("❓ <b>Help</b>: every command."),
            t._("🔒 <b>Privacy</b>: what I store and who sees it (/privacy); /mydata shows "
                "and deletes what I store about you."),
        ]
    )  # fmt: skip
    rows = [
        [
            _button(t._("📋 Self-assessment"), cb.AssessIntro()),
            _button(t._("👥 Teams"), cb.Teams()),
        ],
        [_button(t._("🌐 Language"), cb.Languages()), _button(t._("❓ Help"), cb.Help())],
        [_button(t._("🔒 Privacy"), cb.Privacy()), _button(t._("🏠 Menu"), cb.Menu())],
    ]
    return Screen(text, _markup(rows))


def language_screen(t: Translator) -> Screen:
    """The language picker, the language in use marked."""
    return Screen(
        t._("Choose the language of the lessons and menus:"),
        _markup([language_row(t.lang), [_button(t._("🏠 Menu"), cb.Menu())]]),
    )


def language_set_screen(t: Translator) -> Screen:
    return Screen(t._("Done! From now on I’ll speak English with you."), _markup(menu_rows(t)))


def link_not_found_screen(t: Translator, kind: str) -> Screen:
    """A deep link to something that does not exist (any more): say so, offer the lessons."""
    if kind == "team":
        text = t._(
            "I could not find that team: the link may be old, or the team was deleted. "
            "Ask your manager for a new link."
        )
    elif kind == "lesson":
        text = t._(
            "I could not find that lesson: the link may be old or mistyped. "
            "Open the list of lessons instead:"
        )
    else:
        text = t._(
            "I could not find that series: the link may be old or mistyped. "
            "Open the list of lessons instead:"
        )
    rows = [[_button(t._("📚 Lessons"), cb.SeriesList(0)), _button(t._("🏠 Menu"), cb.Menu())]]
    return Screen(text, _markup(rows))


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
        rows.append([_button(label, cb.SeriesPage(series.id))])
    lines += [
        "",
        t._("In brackets: lessons completed. A lesson counts once you finish its quiz."),
    ]
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
        rows.append([_button(label, cb.OpenLesson(lesson.id))])
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
            t._("🔔 Subscribe to the series"), cb.SubscriptionAction("subscribe", series.id)
        )
    rows.append([sub_button])
    rows.append(
        [_button(t._("⬅️ All series"), cb.SeriesList(0)), _button(t._("🏠 Menu"), cb.Menu())]
    )
    return Screen("\n".join(lines), _markup(rows))


def _pager(t: Translator, page, make) -> list[InlineKeyboardButton]:
    row = []  # the same arrows as every other "back" and "next" button
    if page.has_prev:
        row.append(_button(t._("⬅️ Page {n}", n=page.number), make(page.number - 1)))
    if page.has_next:
        row.append(_button(t._("Page {n} ➡️", n=page.number + 2), make(page.number + 1)))
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
    if next_lesson is not None:
        rows.append([_button(t._("Next lesson ➡️"), cb.OpenLesson(next_lesson.id))])
    rows.append(  # the same way out as the quiz's result: the series, or home
        [
            _button(  # both as new messages: the lesson stays, to re-read
                t._("⬅️ Back to the series"),
                cb.SeriesPage(series.id, _page_of(series, lesson), new=True),
            ),
            _button(t._("🏠 Menu"), cb.Menu(new=True)),
        ]
    )
    return Screen("\n".join(lines), _markup(rows))


def _page_of(series: SeriesContent, lesson: Lesson) -> int:
    index = [x.id for x in series.lessons].index(lesson.id)
    return page_of(len(series.lessons), index, LESSONS_PER_PAGE)


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
    elif attempt.correct * 2 > attempt.total:  # more than half: 1 of 2 is not "good"
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
        done = lesson_counts_text(t, row.counts)
        if row.accuracy is None:
            lines.append(f"  {done}")
        else:
            accuracy = t._("quiz: {percent}% right", percent=row.accuracy)
            lines.append(f"  {done} · {accuracy}")
    lines.append("")
    lines.append(t._("In all: {counts}.", counts=lesson_counts_text(t, report.counts)))
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
    lines += ["", f"<i>{done_rule(t)}</i>"]
    return Screen("\n".join(lines), _markup(menu_rows(t)))


def help_screen(t: Translator) -> Screen:
    text = "\n".join(
        [
            t._("<b>CX Coach</b>: short lessons on customer-centricity, with quizzes."),
            "",
            t._("/start: go on where you left off"),
            t._("/menu: the main menu"),
            t._("/lessons: series and lessons"),
            t._("/progress: what you have completed and how your quizzes went"),
            t._(
                "/subscriptions: series that send you their next lesson on your delivery days "
                "(Monday to Friday unless you change them in /settings)"
            ),
            t._("/review: go over answered questions just before you would forget them"),
            t._("/settings: delivery time, days, time zone and quiet hours"),
            t._("/assess: rate which obstacles hold your company back; get a plan"),
            t._("/team: a team diagnostic with a shared link (/team new Name)"),
            t._("/mydata: see and delete what the bot stores about you"),
            t._("/privacy: what the bot stores and who sees it"),
            t._("/language: change the language"),
            t._("/help: this message"),
            "",
            t._("Tip: a lesson takes about a minute to read; its quiz, another minute."),
        ]
    )
    return Screen(text, _markup(menu_rows(t)))


def unknown_screen(t: Translator) -> Screen:
    """Free text the bot cannot answer: what it works with, and the menu."""
    return Screen(
        t._(
            "Sorry, I can’t answer typed messages: I work with buttons and commands. "
            "Choose from the menu below, or see /help."
        ),
        _markup(menu_rows(t)),
    )


def unknown_command_screen(t: Translator, word: str, suggestion: str | None) -> Screen:
    """A command we do not have: the one probably meant, else a pointer to /help."""
    if suggestion is not None:
        text = t._(
            "I don’t know the command /{word}. Did you mean /{suggestion}?",
            word=word,
            suggestion=suggestion,
        )
    else:
        text = t._("I don’t know the command /{word}. /help lists all my commands.", word=word)
    return Screen(text, _markup(menu_rows(t)))


def quiz_waiting_screen(t: Translator, quiz: QuizInProgress) -> Screen:
    """Text typed while a quiz question waits: answer with its buttons (shown again here)."""
    letters = f"{option_letter(t, 0)}–{option_letter(t, len(quiz.order) - 1)}"
    text = t._(
        "📝 A quiz in progress: <b>{title}</b>\nTo answer, tap one of the letter buttons "
        "({letters}) under the question.",
        title=quiz.lesson.title,
        letters=letters,
    )
    rows = [
        [_button(t._("🔁 Show the question again"), cb.ResumeQuiz(quiz.attempt.id))],
        [_button(t._("🏠 Menu"), cb.Menu())],
    ]
    return Screen(text, _markup(rows))


def unsupported_screen(t: Translator) -> Screen:
    return Screen(
        t._("I can only read text messages and button presses. Here is the menu:"),
        _markup(menu_rows(t)),
    )


def stale_button_screen(t: Translator) -> Screen:
    return Screen(
        t._("That button is out of date: what it pointed to has changed or is gone."),
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
