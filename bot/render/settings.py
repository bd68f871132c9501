"""Screens of /settings: the overview, the pickers (time, days, zone, quiet hours), typed
input and a shared location."""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import get_day_names
from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot import callbacks as cb
from bot.i18n import Translator
from bot.render.kit import Screen, button, markup, next_delivery_label
from bot.services import places
from bot.services.schedule import (
    Prefs,
    format_minutes,
    is_fixed_offset,
    quick_zones,
    quiet_contains,
)


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
        t._("Next delivery: {when}.", when=next_delivery_label(t, next_slot, prefs)),
    ]
    if not tz_chosen:
        lines += ["", guess_line(t)]
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
        [button(t._("🕘 Time"), cb.Settings("t")), button(t._("📅 Days"), cb.Settings("d"))],
        [button(zone_button, cb.Settings("z")), button(t._("🌙 Quiet hours"), cb.Settings("q"))],
        [
            button(t._("📋 My subscriptions"), cb.Subscriptions()),
            button(t._("🏠 Menu"), cb.Menu()),
        ],
    ]
    return Screen("\n".join(lines), markup(rows))


def guess_line(t: Translator) -> str:
    return t._(
        "❔ I guessed the time zone from your language. If your clock shows another time, "
        "tap “{button}”.",
        button=not_my_time(t),
    )


def allowed_hours(prefs: Prefs) -> list[int]:
    """Whole hours offered on the time picker: daytime hours outside the quiet hours."""
    return [h for h in range(6, 24) if not prefs.in_quiet(h * 60)][:15]


def time_picker(t: Translator, prefs: Prefs) -> Screen:
    buttons = [button(f"{h:02d}:00", cb.SetTime(h * 60)) for h in allowed_hours(prefs)]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    rows.append([button(t._("⌨️ Type another time"), cb.AskInput("t"))])
    rows.append([button(t._("⬅️ Back"), cb.Settings())])
    lines = [t._("When should lessons arrive? Now: {time}.", time=format_minutes(prefs.time))]
    if prefs.quiet_start is not None:
        lines.append(
            t._(
                "Times within your quiet hours ({quiet}) are not offered.",
                quiet=quiet_label(t, prefs),
            )
        )
    return Screen("\n".join(lines), markup(rows))


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
        [button(t._("✅ {time}", time=format_minutes(nearest)), cb.SetTime(nearest))],
        [
            button(t._("🌙 Quiet hours"), cb.Settings("q")),
            button(t._("⌨️ Type another time"), cb.AskInput("t")),
        ],
        [button(t._("⬅️ Back"), cb.Settings())],
    ]
    return Screen(text, markup(rows))


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
            button(t._("🕘 Time"), cb.Settings("t")),
            button(t._("🌙 Quiet hours"), cb.Settings("q")),
        ],
        [button(t._("⬅️ Back"), cb.Settings())],
    ]
    return Screen(text, markup(rows))


def days_picker(t: Translator, prefs: Prefs) -> Screen:
    names = get_day_names("abbreviated", locale=t.lang)
    toggles = [
        button(
            ("✅ " if prefs.days >> i & 1 else "▫️ ") + names[i], cb.SetDays(_toggled(prefs.days, i))
        )
        for i in range(7)
    ]
    rows = [toggles[:4], toggles[4:]]
    rows.append(
        [
            button(t._("Mon–Fri"), cb.SetDays(0b0011111)),
            button(t._("Every day"), cb.SetDays(0b1111111)),
        ]
    )
    rows.append([button(t._("⬅️ Back"), cb.Settings())])
    text = t._(
        "On which days? Tap a day to switch it on or off. Now: {days}.",
        days=days_label(t, prefs.days),
    )
    return Screen(text, markup(rows))


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
        button(f"{places.zone_name(name, t.lang)} · {places.local_clock(name, now)}", cb.SetZone(i))
        for i, name in quick_zones(t.lang)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([button(t._("⌨️ Type a city or 📍 send location"), cb.AskInput("z"))])
    rows.append([button(t._("⬅️ Back"), cb.Settings())])
    lines = [t._("Your time zone: {zone}.", zone=zone_label(t, prefs, tz_chosen, now))]
    lines.append(t._("Each button shows the time there now: pick the one that matches your clock."))
    return Screen("\n".join(lines), markup(rows))


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
        [button(places.choice_label(place, t.lang, now), cb.SetZoneName(place.zone))]
        for place in lookup.places
        if not is_fixed_offset(place.zone)
    ]
    rows.append(
        [
            button(t._("⌨️ Type again"), cb.AskInput("z")),
            button(t._("⬅️ Back"), cb.Settings("z")),
        ]
    )
    return Screen(text, markup(rows))


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
            button(t._("✅ Yes, use it"), cb.SetZoneName(zone)),
            button(t._("✖️ No"), cb.Settings()),
        ]
    ]
    return Screen(location_elsewhere_text(t, zone, now), markup(rows))


def quiet_presets(prefs: Prefs) -> list[tuple[int, int]]:
    """Quiet-hour presets that leave the delivery time free (a preset that would swallow it
    is not offered, as a time inside the quiet hours is not)."""
    presets = [(22 * 60, 8 * 60), (21 * 60, 9 * 60), (23 * 60, 7 * 60), (20 * 60, 8 * 60)]
    return [(a, b) for a, b in presets if not quiet_contains(a, b, prefs.time)]


def quiet_picker(t: Translator, prefs: Prefs) -> Screen:
    presets = [
        button(f"{format_minutes(a)}–{format_minutes(b)}", cb.SetQuiet(a, b))
        for a, b in quiet_presets(prefs)
    ]
    rows = [presets[i : i + 2] for i in range(0, len(presets), 2)]
    rows += [
        [button(t._("Off"), cb.SetQuiet(None)), button(t._("⌨️ Type them"), cb.AskInput("q"))],
        [button(t._("⬅️ Back"), cb.Settings())],
    ]
    text = t._(
        "Quiet hours: I never write first during them. Now: {quiet}. Hours that would cover "
        "your delivery time ({time}) are not offered.",
        quiet=quiet_label(t, prefs),
        time=format_minutes(prefs.time),
    )
    return Screen(text, markup(rows))


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
    return Screen(text, markup([[button(t._("✖️ Cancel"), cb.Settings())]]))


def bad_input_screen(t: Translator, what: str) -> Screen:
    hint = ask_screen(t, what)
    sorry = (
        t._("Sorry, I do not know that place.")
        if what == "z"
        else t._("Sorry, I could not read that.")
    )
    return Screen(sorry + "\n" + hint.text, hint.keyboard)
