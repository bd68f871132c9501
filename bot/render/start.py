"""Screens of /start, the menu, "More", /help and /language, and dead deep links."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.i18n import Translator
from bot.render import certificates, lessons, subscriptions, teams
from bot.render.kit import WIDE_LABEL, Screen, button, language_row, markup, menu_rows, shorten
from bot.services import certificates as certificate_checks
from bot.services import lessons as lesson_views
from bot.services import subscriptions as subscription_changes
from bot.services import teams as team_views
from bot.services.start import Arrival, WhatNext
from content.model import SeriesContent

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
    return Screen(text, markup([language_row(t.lang), *menu_rows(t)]))


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
        rows.append([button(t._("▶️ Continue the quiz"), cb.ResumeQuiz(quiz.attempt.id))])
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
                t._(
                    "📖 Start with: <b>{title}</b> ({place}).",
                    title=lesson.lesson.title,
                    place=place,
                )
            )
            label = t._("▶️ Start: {title}", title=lesson.lesson.title)
        rows.append([button(shorten(label, WIDE_LABEL), cb.OpenLesson(lesson.lesson.id))])
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
    return Screen("\n".join(lines), markup([*rows, *menu_rows(t)]))


def menu_screen(t: Translator) -> Screen:
    return Screen(t._("What would you like to do?"), markup(menu_rows(t)))


def more_screen(t: Translator) -> Screen:
    """The menu's second page: the tools used now and then, each with what it is for."""
    text = "\n".join(
        [
            t._("<b>More</b>"),
            "",
            t._(
                "📋 <b>Self-assessment</b>: find which obstacles hold your company back "
                "most, and get a reading plan (about three minutes)."
            ),
            t._(
                "👥 <b>Teams</b>: the same diagnostic for a whole team through a shared link; "
                "the manager sees only the team’s averages."
            ),
            t._(
                "📓 <b>Journal</b>: the actions you took on after lessons, how they went and "
                "your notes; /plan turns them and your self-assessment into a 90-day plan, "
                "/templates sends ready-to-fill work templates."
            ),
            t._("🌐 <b>Language</b>: English, Русский or Українська."),
            t._("❓ <b>Help</b>: every command."),
            t._(
                "🔒 <b>Privacy</b>: what I store and who sees it (/privacy); /mydata shows "
                "and deletes what I store about you."
            ),
        ]
    )
    rows = [
        [
            button(t._("📋 Self-assessment"), cb.AssessIntro()),
            button(t._("👥 Teams"), cb.Teams()),
        ],
        [button(t._("📓 Journal"), cb.Journal()), button(t._("🌐 Language"), cb.Languages())],
        [button(t._("❓ Help"), cb.Help()), button(t._("🔒 Privacy"), cb.Privacy())],
        [button(t._("🏠 Menu"), cb.Menu())],
    ]
    return Screen(text, markup(rows))


def language_screen(t: Translator) -> Screen:
    """The language picker, the language in use marked."""
    return Screen(
        t._("Choose the language of the lessons and menus:"),
        markup([language_row(t.lang), [button(t._("🏠 Menu"), cb.Menu())]]),
    )


def language_set_screen(t: Translator) -> Screen:
    return Screen(t._("Done! From now on I’ll speak English with you."), markup(menu_rows(t)))


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
    rows = [[button(t._("📚 Lessons"), cb.SeriesList(0)), button(t._("🏠 Menu"), cb.Menu())]]
    return Screen(text, markup(rows))


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
            t._("/journal: the actions you tried at work, how they went, your notes"),
            t._("/assess: rate which obstacles hold your company back; get a plan"),
            t._("/plan: your 90-day plan from your self-assessment and actions (and as a PDF)"),
            t._("/templates: a journey map, a business case and other templates to fill in"),
            t._("/certificates: your certificates for finished series; /verify CODE checks one"),
            t._("/team: a team diagnostic with a shared link (/team new Name)"),
            t._("/mydata: see and delete what the bot stores about you"),
            t._("/privacy: what the bot stores and who sees it"),
            t._("/language: change the language"),
            t._("/help: this message"),
            "",
            t._("Tip: a lesson takes about a minute to read; its quiz, another minute."),
        ]
    )
    return Screen(text, markup(menu_rows(t)))


def arrival_screens(
    t: Translator, first_name: str, arrival: Arrival, now: datetime
) -> list[Screen]:
    """/start's messages: the greeting or the home; what a deep link opened (a lesson, a
    series, a subscription confirmed, a team joined), or that it led nowhere."""
    shown = []
    if arrival.greet:
        shown.append(start_screen(t, first_name))
    elif arrival.home is not None:
        shown.append(home_screen(t, first_name, arrival.home))
    target = arrival.target
    if isinstance(target, lesson_views.LessonView):
        shown.append(lessons.lesson_view_screen(t, target))
    elif isinstance(target, lesson_views.SeriesView):
        shown.append(
            lessons.series_screen(
                t, target.series, target.completed, 0, target.subscription, bonus=target.bonus
            )
        )
    elif isinstance(target, subscription_changes.SubscriptionChange):
        shown.append(subscriptions.change_screen(t, target, now))
    elif isinstance(target, team_views.Joined):
        shown.append(
            teams.joined_screen(
                t,
                target.team,
                target.new,
                target.unfinished,
                target.latest_at,
                target.total,
                target.others,
                target.tz,
                target.assigned,
            )
        )
    elif isinstance(target, certificate_checks.Verification):
        shown.append(certificates.verification_screen(t, target))
    elif arrival.missing is not None:
        shown.append(link_not_found_screen(t, arrival.missing))
    return shown
