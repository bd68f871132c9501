"""Screens of continuous training: subscriptions, settings, review, and the daily slot."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from babel.dates import format_date, format_datetime, get_day_names
from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.screens import (
    HALF_LABEL,
    WIDE_LABEL,
    Screen,
    _button,
    _markup,
    lesson_counts_text,
    lesson_screen,
    option_letter,
    option_lines,
    sentence,
    shorten,
    shown_answer,
)
from bot.services import places
from bot.services.journey import LessonCounts
from bot.services.schedule import (
    Prefs,
    SlotPlan,
    format_minutes,
    is_fixed_offset,
    quick_zones,
    quiet_contains,
)
from content.model import Catalog, Lesson, QuizQuestion, SeriesContent
from domain.records import Card, SubscriptionRow


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


def zone_label(t: Translator, prefs: Prefs, chosen: bool, now: datetime | None = None) -> str:
    """'Kyiv, now 14:05' — and, for a zone guessed from the language, says it is a guess."""
    now = now or datetime.now(UTC)
    name = places.zone_name(prefs.timezone, t.lang)
    clock = places.local_clock(prefs.timezone, now)
    if chosen:
        return t._("{zone}, now {time}", zone=name, time=clock)
    return t._("{zone}? (my guess; it is {time} there now)", zone=name, time=clock)


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
    now: datetime | None = None,
) -> Screen:
    lines = [
        t._("🔔 You are subscribed to <b>{title}</b>.", title=series.series.title),
        t._(
            "At {time}, {days}, you get the next lesson of each series you follow. "
            "Time zone: {zone}.",
            time=format_minutes(prefs.time),
            days=days_label(t, prefs.days),
            zone=zone_label(t, prefs, tz_chosen, now),
        ),
        t._("Next delivery: {when}.", when=_when(t, next_slot, prefs)),
    ]
    if not tz_chosen:
        lines.append(_guess_line(t))
    rows = []
    if not tz_chosen:
        rows.append([_button(not_my_time(t), cb.Settings("z"))])
    if next_lesson is not None:
        rows.append([_button(t._("📖 Read the next lesson now"), cb.OpenLesson(next_lesson.id))])
    rows.append(
        [
            _button(t._("⚙️ Lesson schedule"), cb.Settings()),
            _button(t._("📋 My subscriptions"), cb.Subscriptions()),
        ]
    )
    return Screen("\n".join(lines), _markup(rows))


def subscriptions_screen(
    t: Translator,
    catalog: Catalog,
    language: str,
    subs: Sequence[SubscriptionRow],
    done: dict[str, LessonCounts],
    next_slot: datetime | None,
    prefs: Prefs,
    unsubscribed: SeriesContent | None = None,
) -> Screen:
    """The learner's subscriptions; after an unsubscribe, say so and offer to undo it."""
    head: list[str] = []
    undo: list[list] = []
    if unsubscribed is not None:
        head = [
            t._(
                "✖️ You have unsubscribed from <b>{title}</b>. Your progress stays.",
                title=unsubscribed.series.title,
            ),
            "",
        ]
        undo = [
            [
                _button(
                    shorten(
                        t._("↩️ Subscribe again: {title}", title=unsubscribed.series.title),
                        WIDE_LABEL,
                    ),
                    cb.SubscriptionAction("subscribe", unsubscribed.id),
                )
            ]
        ]
    if not subs:
        text = t._(
            "You have no subscriptions yet. Open a series and press “Subscribe”: I will send "
            "you one lesson at a time, at the hour you choose."
        )
        return Screen(
            "\n".join(head).strip() if head else text,
            _markup([*undo, [_button(t._("📚 Lessons"), cb.SeriesList(0))]]),
        )
    lines = [*head, t._("<b>Your subscriptions</b>"), ""]
    rows = [*undo]
    for sub in subs:
        series = catalog.series(language, sub.series_id)
        if series is None:
            continue
        status = {
            "active": t._("active"),
            "paused": t._("paused"),
            "finished": t._("all lessons sent"),
        }[sub.status]
        counts = done.get(series.id) or LessonCounts(0, 0, len(series.lessons))
        lines.append(
            f"{STATUS_ICONS[sub.status]} <b>{escape(series.series.title)}</b> — {escape(status)}, "
            + lesson_counts_text(t, counts)
        )
        toggle = (
            _button(t._("⏸ Pause"), cb.SubscriptionAction("pause", series.id))
            if sub.status == "active"
            else _button(t._("▶️ Resume"), cb.SubscriptionAction("resume", series.id))
        )
        rows.append(
            [
                toggle,
                _button(
                    "✖️ " + shorten(series.series.short_title, HALF_LABEL - len("✖️ ")),
                    cb.SubscriptionAction("unsubscribe", series.id),
                ),
            ]
        )
    if any(sub.status == "active" for sub in subs):
        when = t._(
            "Next delivery: {when}. ✖️ unsubscribes (your progress stays).",
            when=_when(t, next_slot, prefs),
        )
    else:  # a slot may still be planned (a review nudge), but no lesson comes
        when = t._(
            "No lessons come while none of your subscriptions is active: press ▶️ Resume. "
            "✖️ unsubscribes (your progress stays)."
        )
    lines += ["", when]
    rows.append(
        [_button(t._("⚙️ Lesson schedule"), cb.Settings()), _button(t._("🏠 Menu"), cb.Menu())]
    )
    return Screen("\n".join(lines), _markup(rows))


def paused_screen(t: Translator, series: SeriesContent) -> Screen:
    """A series paused from its drip message: said in a new message, the lesson stays."""
    text = t._(
        "⏸ <b>{title}</b> is paused: no more lessons from it until you resume it.",
        title=series.series.title,
    )
    rows = [
        [
            _button(t._("▶️ Resume"), cb.SubscriptionAction("resume", series.id)),
            _button(t._("📋 My subscriptions"), cb.Subscriptions()),
        ]
    ]
    return Screen(text, _markup(rows))


# Settings --------------------------------------------------------------------------------
def not_my_time(t: Translator) -> str:
    return t._("🌍 That’s not my time")


def send_location_label(t: Translator) -> str:
    return t._("📍 Send my location")


def settings_screen(
    t: Translator,
    prefs: Prefs,
    tz_chosen: bool,
    next_slot: datetime | None,
    now: datetime | None = None,
) -> Screen:
    lines = [
        t._("<b>Lesson schedule</b>"),
        "",
        t._("🕘 Time: {time}", time=format_minutes(prefs.time)),
        t._("📅 Days: {days}", days=days_label(t, prefs.days)),
        t._("🌍 Time zone: {zone}", zone=zone_label(t, prefs, tz_chosen, now)),
        t._("🌙 Quiet hours: {quiet}", quiet=quiet_label(t, prefs)),
        "",
        t._("Next delivery: {when}.", when=_when(t, next_slot, prefs)),
    ]
    if not tz_chosen:
        lines += ["", _guess_line(t)]
    if prefs.time_is_quiet:  # only settings stored before such changes were refused
        lines.append(
            t._(
                "⚠️ {time} is within your quiet hours: lessons wait until {end}. "
                "Choose another time or shorten the quiet hours.",
                time=format_minutes(prefs.time),
                end=format_minutes(prefs.quiet_end or 0),
            )
        )
    zone_button = t._("🌍 Time zone") if tz_chosen else not_my_time(t)
    rows = [
        [_button(t._("🕘 Time"), cb.Settings("t")), _button(t._("📅 Days"), cb.Settings("d"))],
        [_button(zone_button, cb.Settings("z")), _button(t._("🌙 Quiet hours"), cb.Settings("q"))],
        [
            _button(t._("📋 My subscriptions"), cb.Subscriptions()),
            _button(t._("🏠 Menu"), cb.Menu()),
        ],
    ]
    return Screen("\n".join(lines), _markup(rows))


def _guess_line(t: Translator) -> str:
    return t._(
        "❔ I guessed the time zone from your language. If your clock shows another time, "
        "tap “{button}”.",
        button=not_my_time(t),
    )


def allowed_hours(prefs: Prefs) -> list[int]:
    """Whole hours offered on the time picker: daytime hours outside the quiet hours."""
    return [h for h in range(6, 24) if not prefs.in_quiet(h * 60)][:15]


def time_picker(t: Translator, prefs: Prefs) -> Screen:
    buttons = [_button(f"{h:02d}:00", cb.SetTime(h * 60)) for h in allowed_hours(prefs)]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    rows.append([_button(t._("⌨️ Type another time"), cb.AskInput("t"))])
    rows.append([_button(t._("⬅️ Back"), cb.Settings())])
    lines = [t._("When should lessons arrive? Now: {time}.", time=format_minutes(prefs.time))]
    if prefs.quiet_start is not None:
        lines.append(
            t._(
                "Times within your quiet hours ({quiet}) are not offered.",
                quiet=quiet_label(t, prefs),
            )
        )
    return Screen("\n".join(lines), _markup(rows))


def time_refused_screen(t: Translator, prefs: Prefs, minutes: int, nearest: int) -> Screen:
    """A delivery time inside the quiet hours: refused, with the nearest allowed time."""
    text = t._(
        "{time} is within your quiet hours ({quiet}), when I never write first, so I did not "
        "change the delivery time. The nearest time I can use is {nearest}. Or shorten the "
        "quiet hours.",
        time=format_minutes(minutes),
        quiet=quiet_label(t, prefs),
        nearest=format_minutes(nearest),
    )
    rows = [
        [_button(t._("✅ {time}", time=format_minutes(nearest)), cb.SetTime(nearest))],
        [
            _button(t._("🌙 Quiet hours"), cb.Settings("q")),
            _button(t._("⌨️ Type another time"), cb.AskInput("t")),
        ],
        [_button(t._("⬅️ Back"), cb.Settings())],
    ]
    return Screen(text, _markup(rows))


def quiet_refused_screen(t: Translator, prefs: Prefs, start: int, end: int) -> Screen:
    """Quiet hours that would cover the delivery time: refused, as the time is."""
    text = t._(
        "Quiet hours {quiet} would cover your delivery time {time}, so I did not change them. "
        "Choose other quiet hours, or move the delivery time first.",
        quiet=f"{format_minutes(start)}–{format_minutes(end)}",
        time=format_minutes(prefs.time),
    )
    rows = [
        [
            _button(t._("🕘 Time"), cb.Settings("t")),
            _button(t._("🌙 Quiet hours"), cb.Settings("q")),
        ],
        [_button(t._("⬅️ Back"), cb.Settings())],
    ]
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
    return flipped if flipped else mask  # the last day cannot go: the handler says why


def last_day_refusal(t: Translator) -> str:
    """The toast when the last delivery day is switched off (nothing changes)."""
    return t._("Keep at least one day — or pause the subscription in “📋 My subscriptions”.")


def zone_picker(
    t: Translator, prefs: Prefs, tz_chosen: bool, now: datetime | None = None
) -> Screen:
    now = now or datetime.now(UTC)
    buttons = [
        _button(
            f"{places.zone_name(name, t.lang)} · {places.local_clock(name, now)}", cb.SetZone(i)
        )
        for i, name in quick_zones(t.lang)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button(t._("⌨️ Type a city or 📍 send location"), cb.AskInput("z"))])
    rows.append([_button(t._("⬅️ Back"), cb.Settings())])
    lines = [t._("Your time zone: {zone}.", zone=zone_label(t, prefs, tz_chosen, now))]
    lines.append(t._("Each button shows the time there now: pick the one that matches your clock."))
    return Screen("\n".join(lines), _markup(rows))


def zone_choice_screen(t: Translator, lookup: places.Lookup, typed: str, now: datetime) -> Screen:
    """Several zones for one typed name (or an abbreviation): the learner picks, largest first."""
    if lookup.abbreviation:
        text = t._(
            "“{abbr}” names a fixed offset without summer time, so half the year your lessons "
            "would come an hour off. Which of these places is yours? (The time there now is "
            "on each button.)",
            abbr=lookup.abbreviation,
        )
    else:
        text = t._(
            "“{name}” is in several time zones. Which one is yours? (The time there now is on "
            "each button.)",
            name=typed.strip(),
        )
    rows = [
        [_button(places.choice_label(place, t.lang, now), cb.SetZoneName(place.zone))]
        for place in lookup.places
        if not is_fixed_offset(place.zone)
    ]
    rows.append(
        [
            _button(t._("⌨️ Type again"), cb.AskInput("z")),
            _button(t._("⬅️ Back"), cb.Settings("z")),
        ]
    )
    return Screen(text, _markup(rows))


def zone_saved_text(t: Translator, zone: str, place: str | None, now: datetime) -> str:
    """The confirmation of a zone: the place as the learner named it, and the time there."""
    name = places.zone_name(zone, t.lang)
    clock = places.local_clock(zone, now)
    if place and places.normalise(place) != places.normalise(name):
        text = t._(
            "🌍 {place}, now {time} (time zone: {zone}). Saved.", place=place, time=clock, zone=name
        )
    else:
        text = t._("🌍 {zone}, now {time}. Saved.", zone=name, time=clock)
    if is_fixed_offset(zone):
        text += "\n" + t._(
            "A fixed offset does not follow summer time; a city does. Type a city to be safe."
        )
    return text


def location_request_text(t: Translator) -> str:
    return t._(
        "📍 Or tap “{button}” below: I use it only to find your time zone, and I do not keep "
        "the location.",
        button=send_location_label(t),
    )


def location_keyboard(t: Translator) -> ReplyKeyboardMarkup:
    """Telegram's own "send my location" button, under the input field until it is used."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(send_location_label(t), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=t._("Your city, e.g. Kyiv"),
    )


def remove_keyboard() -> ReplyKeyboardRemove:
    return ReplyKeyboardRemove()


def location_unknown_text(t: Translator) -> str:
    return t._(
        "I could not find a time zone at that point (the open sea?). Type your city instead."
    )


def location_elsewhere_text(t: Translator, zone: str, now: datetime) -> str:
    """A location sent while no zone was asked for: offer its zone, change nothing yet."""
    return t._(
        "📍 Thank you. That place is in the time zone {zone} (now {time} there). Use it for "
        "your lessons?",
        zone=places.zone_name(zone, t.lang),
        time=places.local_clock(zone, now),
    )


def location_offer_screen(t: Translator, zone: str, now: datetime) -> Screen:
    rows = [
        [
            _button(t._("✅ Yes, use it"), cb.SetZoneName(zone)),
            _button(t._("✖️ No"), cb.Settings()),
        ]
    ]
    return Screen(location_elsewhere_text(t, zone, now), _markup(rows))


def quiet_presets(prefs: Prefs) -> list[tuple[int, int]]:
    """Quiet-hour presets that leave the delivery time free (a preset that would swallow it
    is not offered, as a time inside the quiet hours is not)."""
    presets = [(22 * 60, 8 * 60), (21 * 60, 9 * 60), (23 * 60, 7 * 60), (20 * 60, 8 * 60)]
    return [(a, b) for a, b in presets if not quiet_contains(a, b, prefs.time)]


def quiet_picker(t: Translator, prefs: Prefs) -> Screen:
    presets = [
        _button(f"{format_minutes(a)}–{format_minutes(b)}", cb.SetQuiet(a, b))
        for a, b in quiet_presets(prefs)
    ]
    rows = [presets[i : i + 2] for i in range(0, len(presets), 2)]
    rows += [
        [_button(t._("Off"), cb.SetQuiet(None)), _button(t._("⌨️ Type them"), cb.AskInput("q"))],
        [_button(t._("⬅️ Back"), cb.Settings())],
    ]
    text = t._(
        "Quiet hours: I never write first during them. Now: {quiet}. Hours that would cover "
        "your delivery time ({time}) are not offered.",
        quiet=quiet_label(t, prefs),
        time=format_minutes(prefs.time),
    )
    return Screen(text, _markup(rows))


def ask_screen(t: Translator, what: str) -> Screen:
    text = {
        "t": t._("Type the time, for example <code>08:30</code> or <code>19:00</code>."),
        "z": t._(
            "Type your city or country, for example <code>Kyiv</code>, <code>Lviv</code>, "
            "<code>New York</code> or <code>Germany</code>. An offset such as "
            "<code>UTC+3</code> works too."
        ),
        "q": t._(
            "Type quiet hours as start–end, for example <code>22:00-08:00</code>. To switch "
            "them off, type <code>off</code>."
        ),
    }[what]
    return Screen(text, _markup([[_button(t._("✖️ Cancel"), cb.Settings())]]))


def bad_input_screen(t: Translator, what: str) -> Screen:
    hint = ask_screen(t, what)
    sorry = (
        t._("Sorry, I do not know that place.")
        if what == "z"
        else t._("Sorry, I could not read that.")
    )
    return Screen(sorry + "\n" + hint.text, hint.keyboard)


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


def due_day(t: Translator, moment: datetime, prefs: Prefs, now: datetime) -> str:
    """When a review card is due, as a day in the learner's zone: cards are due by the day,
    so no hour ("today", "tomorrow", else "Thursday, 3 December" by CLDR via Babel)."""
    day = moment.astimezone(prefs.tz).date()
    today = now.astimezone(prefs.tz).date()
    if day <= today:
        return t._("today")
    if day == today + timedelta(days=1):
        return t._("tomorrow")
    pattern = "EEEE, d MMMM" if day.year == today.year else "EEEE, d MMMM y"
    # CLDR writes the Ukrainian apostrophe as ʼ (U+02BC); our copy uses ’ throughout
    return format_date(day, pattern, locale=t.lang).replace("ʼ", "’")


def review_judged_screen(
    t: Translator,
    lesson: Lesson,
    question: QuizQuestion,
    chosen: int,
    correct: bool,
    order: Sequence[int],
    due: datetime,
    prefs: Prefs,
    now: datetime | None = None,
) -> Screen:
    verdict = t._("✅ Right!") if correct else t._("❌ Not quite.")
    right = shown_answer(t, question, order, question.correct)
    when = due_day(t, due, prefs, now or datetime.now(due.tzinfo))
    lines = [
        t._("🔁 <b>Review</b> · {title}", title=lesson.title),
        "",
        escape(question.question),
        "",
        t._("Your answer: {answer}", answer=shown_answer(t, question, order, chosen)),
        verdict if correct else f"{verdict} " + t._("The answer: {answer}", answer=right),
        f"<i>{escape(question.explanation)}</i>",
        "",
        t._("Next review of this card: {day}.", day=when),
    ]
    return Screen("\n".join(lines))


def review_done_screen(
    t: Translator,
    reviewed: bool,
    next_due: datetime | None = None,
    prefs: Prefs | None = None,
    now: datetime | None = None,
) -> Screen:
    """No card due now: after a session, before any card exists, or between reviews."""
    if next_due is None or prefs is None:
        text = "\n".join(
            [
                t._(
                    "🔁 <b>Review</b> brings back the quiz questions you have answered, "
                    "each just before you would forget it."
                ),
                "",
                t._(
                    "You have no cards yet. Take a lesson’s quiz: your first cards come a day "
                    "or two after it."
                ),
            ]
        )
    else:
        when = due_day(t, next_due, prefs, now or datetime.now(next_due.tzinfo))
        text = (
            t._("🎉 Done for now: no more cards are due. Next card: {day}.", day=when)
            if reviewed
            else t._("✅ Nothing to review right now. Next card: {day}.", day=when)
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
    t: Translator,
    series: SeriesContent,
    suggestions: Sequence[SeriesContent],
    counts: LessonCounts | None = None,
) -> Screen:
    """A series' recap. "Complete" only when every quiz is finished; a series whose lessons
    were all delivered but not all completed says how many are and where to go on."""
    rows = []
    if counts is None or counts.finished:
        lines = [t._("🎓 <b>Series complete: {title}</b>", title=series.series.title)]
    else:
        lines = [
            t._("📬 You have received every lesson of <b>{title}</b>.", title=series.series.title),
            sentence(lesson_counts_text(t, counts))
            + ". "
            + t._("Finish the remaining quizzes to complete the series."),
        ]
        rows.append([_button(t._("📚 Open the series"), cb.SeriesPage(series.id))])
    lines += ["", Safe(series.series.recap.strip())]
    if suggestions:
        lines += ["", t._("What to take next:")]
        for other in suggestions:
            lines.append(f"• <b>{escape(other.series.title)}</b> — {escape(other.series.summary)}")
            rows.append(
                [
                    _button(
                        "🔔 " + shorten(other.series.title, WIDE_LABEL - len("🔔 ")),
                        cb.SubscriptionAction("subscribe", other.id),
                    )
                ]
            )
    rows.append([_button(t._("📈 Progress"), cb.Progress()), _button(t._("🏠 Menu"), cb.Menu())])
    return Screen("\n".join(lines), _markup(rows))


def _drip_row(t: Translator, series_id: str) -> list:
    """Under a drip: stop this series' lessons for a while, or manage every subscription."""
    return [
        _button(t._("⏸ Pause this series"), cb.PauseFromDrip(series_id)),
        _button(t._("🔔 Subscriptions"), cb.Subscriptions(fresh=True)),
    ]


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
        rows = [list(row) for row in screen.keyboard.inline_keyboard] if screen.keyboard else []
        rows.append(_drip_row(t, series.id))
        return Screen("\n".join([head, "", screen.text, *tail]), _markup(rows))
    if len(finished) == 1 and not lessons:
        done = finished[0]
        counts = LessonCounts(
            len(done.lessons),
            sum(1 for x in done.lessons if x.id in completed),
            len(done.lessons),
        )
        screen = recap_screen(t, done, suggestions, counts)
        tail = ["", _review_line(t, plan.reviews_due)] if plan.reviews_due else []
        return Screen("\n".join([screen.text, *tail]), screen.keyboard)
    if lessons or finished:
        lines = [t._("📬 <b>Your lessons for today</b>"), ""]
        rows = []
        for series, lesson in lessons:
            lines.append(f"📖 <b>{escape(lesson.title)}</b> <i>({escape(series.series.title)})</i>")
            lines.append(Safe(lesson.key_idea))
            lines.append("")
            rows.append(
                [_button("📖 " + shorten(lesson.title, WIDE_LABEL - 2), cb.OpenLesson(lesson.id))]
            )
        for series in finished:
            lines.append(
                t._(
                    "📬 You have received every lesson of <b>{title}</b>.",
                    title=series.series.title,
                )
            )
            rows.append(
                [
                    _button(
                        shorten(t._("🎓 Recap: {title}", title=series.series.title), WIDE_LABEL),
                        cb.Recap(series.id),
                    )
                ]
            )
        if plan.reviews_due:
            lines += ["", _review_line(t, plan.reviews_due)]
        rows.append([_button(t._("🔔 Subscriptions"), cb.Subscriptions(fresh=True))])
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
            [_button(t._("⚙️ Lesson schedule"), cb.Settings())],
        ]
        return Screen(text, _markup(rows))
    return None
