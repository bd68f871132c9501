"""Screens of continuous training: subscriptions, settings, review, and the daily slot."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from babel.dates import format_datetime, get_day_names

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.screens import (
    Screen,
    _button,
    _markup,
    lesson_screen,
    option_letter,
    option_lines,
    shown_answer,
)
from bot.services.schedule import QUICK_ZONES, Prefs, SlotPlan, format_minutes
from content.model import Catalog, Lesson, QuizQuestion, SeriesContent
from storage.base import Card, SubscriptionRow


def _when(t: Translator, moment: datetime | None, prefs: Prefs) -> str:
    if moment is None:
        return t._("not scheduled")
    local = moment.astimezone(prefs.tz)
    return format_datetime(local, "EEE d MMM, HH:mm", locale=t.lang)


def days_label(t: Translator, mask: int) -> str:
    if mask == 0b1111111:
        return t._("every day")
    if mask == 0b0011111:
        return t._("Monday to Friday")
    names = get_day_names("abbreviated", locale=t.lang)  # 0 = Monday
    return ", ".join(names[i] for i in range(7) if mask >> i & 1)


def zone_label(t: Translator, prefs: Prefs, chosen: bool) -> str:
    label = prefs.timezone
    if not chosen:
        label = t._("{zone} (guessed; set yours)", zone=label)
    return label


def quiet_label(t: Translator, prefs: Prefs) -> str:
    if prefs.quiet_start is None or prefs.quiet_end is None:
        return t._("off")
    return f"{format_minutes(prefs.quiet_start)}–{format_minutes(prefs.quiet_end)}"


# Subscriptions --------------------------------------------------------------------------
STATUS_ICONS = {"active": "🔔", "paused": "⏸", "finished": "🎓"}


def subscribed_screen(
    t: Translator,
    series: SeriesContent,
    next_lesson: Lesson | None,
    next_slot: datetime | None,
    prefs: Prefs,
    tz_chosen: bool,
) -> Screen:
    lines = [
        t._("🔔 You are subscribed to <b>{title}</b>.", title=series.series.title),
        t._(
            "One lesson arrives at {time}, {days} (time zone: {zone}).",
            time=format_minutes(prefs.time),
            days=days_label(t, prefs.days),
            zone=zone_label(t, prefs, tz_chosen),
        ),
        t._("Next delivery: {when}.", when=_when(t, next_slot, prefs)),
    ]
    rows = []
    if next_lesson is not None:
        rows.append([_button(t._("📖 Read the next lesson now"), cb.OpenLesson(next_lesson.id))])
    rows.append(
        [
            _button(t._("⚙️ Delivery settings"), cb.Settings()),
            _button(t._("📋 My subscriptions"), cb.Subscriptions()),
        ]
    )
    return Screen("\n".join(lines), _markup(rows))


def subscriptions_screen(
    t: Translator,
    catalog: Catalog,
    language: str,
    subs: Sequence[SubscriptionRow],
    done: dict[str, int],
    next_slot: datetime | None,
    prefs: Prefs,
) -> Screen:
    if not subs:
        text = t._(
            "You have no subscriptions yet. Open a series and press “Subscribe”: I will send "
            "you one lesson at a time, at the hour you choose."
        )
        return Screen(text, _markup([[_button(t._("📚 Lessons"), cb.SeriesList(0))]]))
    lines = [t._("<b>Your subscriptions</b>"), ""]
    rows = []
    for sub in subs:
        series = catalog.series(language, sub.series_id)
        if series is None:
            continue
        status = {
            "active": t._("active"),
            "paused": t._("paused"),
            "finished": t._("finished"),
        }[sub.status]
        lines.append(
            f"{STATUS_ICONS[sub.status]} <b>{escape(series.series.title)}</b> — {escape(status)}, "
            + t.n_(
                "{done} of {n} lesson read",
                "{done} of {n} lessons read",
                len(series.lessons),
                done=done.get(series.id, 0),
            )
        )
        toggle = (
            _button(t._("⏸ Pause"), cb.SubscriptionAction("pause", series.id))
            if sub.status == "active"
            else _button(t._("▶️ Resume"), cb.SubscriptionAction("resume", series.id))
        )
        short = series.series.title if len(series.series.title) <= 24 else series.id
        rows.append(
            [
                toggle,
                _button(
                    t._("✖️ {title}", title=short),
                    cb.SubscriptionAction("unsubscribe", series.id),
                ),
            ]
        )
    lines += [
        "",
        t._(
            "Next delivery: {when}. ✖️ unsubscribes (your progress stays).",
            when=_when(t, next_slot, prefs),
        ),
    ]
    rows.append(
        [_button(t._("⚙️ Delivery settings"), cb.Settings()), _button(t._("🏠 Menu"), cb.Menu())]
    )
    return Screen("\n".join(lines), _markup(rows))


# Settings --------------------------------------------------------------------------------
def settings_screen(
    t: Translator, prefs: Prefs, tz_chosen: bool, next_slot: datetime | None
) -> Screen:
    lines = [
        t._("<b>Delivery settings</b>"),
        "",
        t._("🕘 Time: {time}", time=format_minutes(prefs.time)),
        t._("📅 Days: {days}", days=days_label(t, prefs.days)),
        t._("🌍 Time zone: {zone}", zone=zone_label(t, prefs, tz_chosen)),
        t._("🌙 Quiet hours: {quiet}", quiet=quiet_label(t, prefs)),
        "",
        t._("Next delivery: {when}.", when=_when(t, next_slot, prefs)),
    ]
    if prefs.time_is_quiet:
        lines.append(
            t._("⚠️ The delivery time is within your quiet hours: lessons wait until they end.")
        )
    rows = [
        [_button(t._("🕘 Time"), cb.Settings("t")), _button(t._("📅 Days"), cb.Settings("d"))],
        [
            _button(t._("🌍 Time zone"), cb.Settings("z")),
            _button(t._("🌙 Quiet hours"), cb.Settings("q")),
        ],
        [
            _button(t._("📋 My subscriptions"), cb.Subscriptions()),
            _button(t._("🏠 Menu"), cb.Menu()),
        ],
    ]
    return Screen("\n".join(lines), _markup(rows))


def time_picker(t: Translator, prefs: Prefs) -> Screen:
    hours = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]
    buttons = [_button(f"{h:02d}:00", cb.SetTime(h * 60)) for h in hours]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    rows.append([_button(t._("⌨️ Type another time"), cb.AskInput("t"))])
    rows.append([_button(t._("⬅️ Back"), cb.Settings())])
    text = t._("When should lessons arrive? Now: {time}.", time=format_minutes(prefs.time))
    return Screen(text, _markup(rows))


def days_picker(t: Translator, prefs: Prefs) -> Screen:
    names = get_day_names("abbreviated", locale=t.lang)
    toggles = [
        _button(
            ("✅ " if prefs.days >> i & 1 else "▫️ ") + names[i], cb.SetDays(_toggled(prefs.days, i))
        )
        for i in range(7)
    ]
    rows = [toggles[:4], toggles[4:]]
    rows.append(
        [
            _button(t._("Mon–Fri"), cb.SetDays(0b0011111)),
            _button(t._("Every day"), cb.SetDays(0b1111111)),
        ]
    )
    rows.append([_button(t._("⬅️ Back"), cb.Settings())])
    text = t._(
        "On which days? Tap a day to switch it on or off. Now: {days}.",
        days=days_label(t, prefs.days),
    )
    return Screen(text, _markup(rows))


def _toggled(mask: int, day: int) -> int:
    flipped = mask ^ (1 << day)
    return flipped if flipped else mask  # at least one day stays on


def zone_picker(t: Translator, prefs: Prefs, tz_chosen: bool) -> Screen:
    buttons = [
        _button(name.rsplit("/", 1)[-1].replace("_", " "), cb.SetZone(i))
        for i, name in enumerate(QUICK_ZONES)
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    rows.append([_button(t._("⌨️ Type a zone or UTC offset"), cb.AskInput("z"))])
    rows.append([_button(t._("⬅️ Back"), cb.Settings())])
    text = t._("Your time zone? Now: {zone}.", zone=zone_label(t, prefs, tz_chosen))
    return Screen(text, _markup(rows))


def quiet_picker(t: Translator, prefs: Prefs) -> Screen:
    presets = [(22 * 60, 8 * 60), (21 * 60, 9 * 60), (23 * 60, 7 * 60), (20 * 60, 8 * 60)]
    rows = [
        [
            _button(f"{format_minutes(a)}–{format_minutes(b)}", cb.SetQuiet(a, b))
            for a, b in presets[:2]
        ],
        [
            _button(f"{format_minutes(a)}–{format_minutes(b)}", cb.SetQuiet(a, b))
            for a, b in presets[2:]
        ],
        [_button(t._("Off"), cb.SetQuiet(None)), _button(t._("⌨️ Type them"), cb.AskInput("q"))],
        [_button(t._("⬅️ Back"), cb.Settings())],
    ]
    text = t._(
        "Quiet hours: I never write first during them. Now: {quiet}.", quiet=quiet_label(t, prefs)
    )
    return Screen(text, _markup(rows))


def ask_screen(t: Translator, what: str) -> Screen:
    text = {
        "t": t._("Type the time, for example <code>08:30</code> or <code>19:00</code>."),
        "z": t._(
            "Type your time zone: a city (<code>Kyiv</code>, <code>Berlin</code>), an IANA name "
            "(<code>America/New_York</code>) or an offset (<code>UTC+3</code>, "
            "<code>-05:00</code>)."
        ),
        "q": t._(
            "Type quiet hours as start–end, for example <code>22:00-08:00</code>, "
            "or <code>off</code>."
        ),
    }[what]
    return Screen(text, _markup([[_button(t._("✖️ Cancel"), cb.Settings())]]))


def bad_input_screen(t: Translator, what: str) -> Screen:
    hint = ask_screen(t, what)
    return Screen(t._("Sorry, I could not read that.") + "\n" + hint.text, hint.keyboard)


# Review ---------------------------------------------------------------------------------
def review_question_screen(
    t: Translator,
    card: Card,
    question: QuizQuestion,
    order: Sequence[int],
    due: int,
    shown_at: int,
) -> Screen:
    # No lesson title in the header: it would often name the answer.
    lines = [
        t._("🔁 <b>Review</b>"),
        t.n_("{n} card due", "{n} cards due", due),
        "",
        escape(question.question),
        "",
        *option_lines(t, question, order),
    ]
    buttons = [
        _button(
            option_letter(t, position), cb.ReviewAnswer(card.id, card.reviews, position, shown_at)
        )
        for position in range(len(order))
    ]
    return Screen("\n".join(lines), _markup([buttons]))


def review_judged_screen(
    t: Translator,
    lesson: Lesson,
    question: QuizQuestion,
    chosen: int,
    correct: bool,
    order: Sequence[int],
    due: datetime,
    prefs: Prefs,
) -> Screen:
    verdict = t._("✅ Right!") if correct else t._("❌ Not quite.")
    right = shown_answer(t, question, order, question.correct)
    lines = [
        t._("🔁 <b>Review</b> · {title}", title=lesson.title),
        "",
        escape(question.question),
        "",
        t._("Your answer: {answer}", answer=shown_answer(t, question, order, chosen)),
        verdict if correct else f"{verdict} " + t._("The answer: {answer}", answer=right),
        f"<i>{escape(question.explanation)}</i>",
        "",
        t._("Next review of this card: {when}.", when=_when(t, due, prefs)),
    ]
    return Screen("\n".join(lines))


def review_done_screen(t: Translator, reviewed: bool) -> Screen:
    text = (
        t._("🎉 All caught up: no cards are due. I will tell you when some are.")
        if reviewed
        else t._(
            "Nothing to review yet. Every quiz question you answer becomes a review card that "
            "comes back just before you would forget it."
        )
    )
    return Screen(
        text,
        _markup(
            [[_button(t._("📚 Lessons"), cb.SeriesList(0)), _button(t._("🏠 Menu"), cb.Menu())]]
        ),
    )


# The daily slot ---------------------------------------------------------------------------
def _review_line(t: Translator, due: int) -> str:
    return t.n_(
        "🔁 {n} review card is due: /review",
        "🔁 {n} review cards are due: /review",
        due,
    )


def recap_screen(
    t: Translator, series: SeriesContent, suggestions: Sequence[SeriesContent]
) -> Screen:
    lines = [
        t._("🎓 <b>Series complete: {title}</b>", title=series.series.title),
        "",
        Safe(series.series.recap.strip()),
    ]
    rows = []
    if suggestions:
        lines += ["", t._("What to take next:")]
        for other in suggestions:
            lines.append(f"• <b>{escape(other.series.title)}</b> — {escape(other.series.summary)}")
            rows.append(
                [
                    _button(
                        t._("🔔 {title}", title=other.series.title),
                        cb.SubscriptionAction("subscribe", other.id),
                    )
                ]
            )
    rows.append([_button(t._("📈 Progress"), cb.Progress()), _button(t._("🏠 Menu"), cb.Menu())])
    return Screen("\n".join(lines), _markup(rows))


def slot_screen(
    t: Translator, catalog: Catalog, language: str, plan: SlotPlan, completed: set[str]
) -> Screen | None:
    """The one message a slot sends, or None if the plan sends nothing."""
    lessons = [
        (series, lesson)
        for series_id, lesson_id in plan.lessons
        if (found := catalog.lesson(language, lesson_id)) is not None
        for series, lesson in [found]
    ]
    finished = [s for s in (catalog.series(language, sid) for sid in plan.finished) if s]
    suggestions = [s for s in (catalog.series(language, sid) for sid in plan.suggestions) if s]
    if len(lessons) == 1 and not finished:
        series, lesson = lessons[0]
        screen = lesson_screen(
            t,
            series,
            lesson,
            catalog.sources.get(lesson.source),
            lesson.id in completed,
            None,
        )
        head = t._("📬 <b>Your lesson for today</b>")
        tail = ["", _review_line(t, plan.reviews_due)] if plan.reviews_due else []
        return Screen("\n".join([head, "", screen.text, *tail]), screen.keyboard)
    if len(finished) == 1 and not lessons:
        screen = recap_screen(t, finished[0], suggestions)
        tail = ["", _review_line(t, plan.reviews_due)] if plan.reviews_due else []
        return Screen("\n".join([screen.text, *tail]), screen.keyboard)
    if lessons or finished:
        lines = [t._("📬 <b>Your lessons for today</b>"), ""]
        rows = []
        for series, lesson in lessons:
            lines.append(f"📖 <b>{escape(lesson.title)}</b> <i>({escape(series.series.title)})</i>")
            lines.append(Safe(lesson.key_idea))
            lines.append("")
            rows.append([_button(t._("📖 {title}", title=lesson.title), cb.OpenLesson(lesson.id))])
        for series in finished:
            lines.append(t._("🎓 You have finished <b>{title}</b>!", title=series.series.title))
            rows.append(
                [_button(t._("🎓 Recap: {title}", title=series.series.title), cb.Recap(series.id))]
            )
        if plan.reviews_due:
            lines += ["", _review_line(t, plan.reviews_due)]
        return Screen("\n".join(lines).strip(), _markup(rows))
    if plan.reviews_due:
        text = "\n".join(
            [
                t.n_(
                    "🔁 {n} review card is due today. Two minutes now keep what you learned.",
                    "🔁 {n} review cards are due today. Two minutes now keep what you learned.",
                    plan.reviews_due,
                ),
            ]
        )
        return Screen(text, _markup([[_button(t._("🔁 Review now"), cb.StartReview())]]))
    if plan.reminder:
        found = catalog.lesson(language, plan.reminder)
        if found is None:
            return None
        series, lesson = found
        text = "\n".join(
            [
                t._("👋 It has been a few days. Five minutes today keep the habit alive."),
                t._(
                    "Next up: <b>{title}</b> ({series}).",
                    title=lesson.title,
                    series=series.series.title,
                ),
            ]
        )
        rows = [
            [_button(t._("📖 Read it now"), cb.OpenLesson(lesson.id))],
            [_button(t._("⚙️ Delivery settings"), cb.Settings())],
        ]
        return Screen(text, _markup(rows))
    return None
