"""The shared kit of every screen: a screen, buttons and keyboards, labels that fit a phone,
the main menu, and the few phrasings used on several screens.

Screens take already-decided data (from services) and a translator; they never touch
storage. Content fields written in Telegram HTML (lesson body, key idea, ...) are passed
through as :class:`~bot.i18n.Safe`; everything else is escaped by the translator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Safe, Translator
from bot.services.lessons import LessonCounts
from bot.services.schedule import Prefs

DONE = "✅"


@dataclass(frozen=True)
class Screen:
    text: str
    keyboard: InlineKeyboardMarkup | None = None


def button(text: str, data: cb.Callback) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data.encode())


def markup(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
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
        [button(t._("📚 Lessons"), cb.SeriesList(0)), button(t._("📈 Progress"), cb.Progress())],
        [
            button(t._("🔁 Review"), cb.StartReview()),
            button(t._("🔔 Subscriptions"), cb.Subscriptions()),
        ],
        [button(t._("⚙️ Schedule"), cb.Settings()), button(t._("➕ More"), cb.More())],
    ]


def language_row(current: str | None = None) -> list[InlineKeyboardButton]:
    """The three languages; the one in use is marked ✅."""
    return [
        button(f"{DONE} {LANGUAGE_NAMES[code]}" if code == current else LANGUAGE_NAMES[code],
                cb.Language(code))
        for code in LANGUAGES
    ]  # fmt: skip


def pager(t: Translator, page, make) -> list[InlineKeyboardButton]:
    row = []  # the same arrows as every other "back" and "next" button
    if page.has_prev:
        row.append(button(t._("⬅️ Page {n}", n=page.number), make(page.number - 1)))
    if page.has_next:
        row.append(button(t._("Page {n} ➡️", n=page.number + 2), make(page.number + 1)))
    return row


def next_delivery_label(t: Translator, moment: datetime | None, prefs: Prefs) -> str:
    if moment is None:
        return t._("not scheduled")
    local = moment.astimezone(prefs.tz)
    return format_datetime(local, "EEE d MMM, HH:mm", locale=t.lang)


def score(t: Translator, value: float) -> str:
    """A mean on the 1–5 scale with one decimal, in the learner's notation: 3.0 / 3,0."""
    return format_decimal(value, "0.0", locale=t.lang)


def change(t: Translator, delta: float) -> str:
    """A signed change of a score: +0.5 / -2,0."""
    return format_decimal(delta, "+0.0;-0.0", locale=t.lang)


def local_date(t: Translator, moment: datetime, tz: tzinfo) -> str:
    """A day as the learner reads it: 1 Dec 2026 / 1 дек. 2026."""
    return format_datetime(moment.astimezone(tz), "d MMM y", locale=t.lang)


def local_datetime(t: Translator, moment: datetime, tz: tzinfo) -> str:
    """A moment as the learner reads it: 1 Dec 2026, 21:41 / 1 груд. 2026, 21:41."""
    return format_datetime(moment.astimezone(tz), "d MMM y, HH:mm", locale=t.lang)


def day_name(t: Translator, day: date, today: date) -> str:
    """A day as the learner reads it, without the hour: "today", "tomorrow", else
    "Thursday, 3 December" (the year only when it is not this one), by CLDR via Babel."""
    if day <= today:
        return t._("today")
    if day == today + timedelta(days=1):
        return t._("tomorrow")
    pattern = "EEEE, d MMMM" if day.year == today.year else "EEEE, d MMMM y"
    # CLDR writes the Ukrainian apostrophe as ʼ (U+02BC); our copy uses ’ throughout
    return format_date(day, pattern, locale=t.lang).replace("ʼ", "’")


def short_day(t: Translator, day: date) -> str:
    """A calendar day in a line of figures: "Fri, 18 Dec" / "пт, 18 дек." (CLDR via Babel)."""
    return format_date(day, "EEE, d MMM", locale=t.lang).replace("ʼ", "’")


def percent(t: Translator, part: int, whole: int) -> str:
    """A share as a whole percentage in the reader's locale ("25%", "25 %")."""
    from babel.numbers import format_percent

    return format_percent(part / whole if whole else 0, locale=t.lang)


def menu_row(t: Translator) -> list:
    return [button(t._("🏠 Menu"), cb.Menu())]
