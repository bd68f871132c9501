"""The /mydata screens: what is stored, in the learner's own words and dates; deleting it."""

from __future__ import annotations

from datetime import datetime, tzinfo

from babel import Locale, UnknownLocaleError

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.kit import Screen, button, local_datetime, markup


def _data_labels(t: Translator) -> dict[str, str]:
    return {
        "id": t._("id"),
        "first_name": t._("first name"),
        "language": t._("language"),
        "tg_language": t._("Telegram language"),
        "timezone": t._("time zone"),
        "first_seen": t._("first seen"),
        "last_seen": t._("last seen"),
        "unsubscribed_at": t._("last unsubscribed from a series"),
        "lessons": t._("lessons opened (completed ones included)"),
        "quiz_answers": t._("quiz answers"),
        "lesson_feedback": t._("lesson ratings (with what was unclear, as you wrote it)"),
        "commitments": t._("actions taken on, with your notes (/journal)"),
        "arrivals": t._("links you started the bot through (a post, an article, an ad)"),
        "channel_joins": t._("joining our channel through one of our invite links"),
        "review_cards": t._("review cards"),
        "review_history": t._("review answers (history)"),
        "subscriptions": t._("subscriptions"),
        "assessments": t._("assessments"),
        "teams": t._("teams"),
        "teams_managed": t._("teams you manage"),
        "teams_comanaged": t._("teams you manage with others"),
        "progress_shared": t._("teams you share your progress with by name"),
        "assignment_reminders": t._("reminders of a team assignment’s due date"),
        "certificates": t._("certificates (with the name you chose for them)"),
        "activity_days": t._("days with activity"),
        "deliveries": t._("lessons sent on schedule"),
        "broadcast_receipts": t._("announcements delivered to you"),
        "broadcasts_sent": t._("broadcasts you created"),
    }


def language_name(code: str) -> str:
    """A language code as its speakers name it (CLDR via Babel): uk -> Українська, pt-br ->
    Português (Brasil); an unknown code stays as it is."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


def _profile_value(t: Translator, key: str, value: object, tz: tzinfo, zone: str) -> str:
    """One stored profile field as the learner reads it elsewhere in the bot."""
    if key == "timezone":
        return escape(zone)  # the zone deliveries use: the guess until one is set
    if key in ("language", "tg_language"):
        if value:
            return escape(language_name(str(value)))
        return t._("not chosen (the bot follows your Telegram language)")
    if key in ("first_seen", "last_seen", "unsubscribed_at") and value:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return escape(local_datetime(t, moment, tz))
    if key == "unsubscribed_at":
        return t._("never")
    return escape(value)


def mydata_screen(t: Translator, data: dict[str, object], tz: tzinfo, zone: str) -> Screen:
    """``tz`` and ``zone``: the learner's zone and its label as /settings shows them."""
    profile = data.get("profile", {})
    counts = data.get("counts", {})
    labels = _data_labels(t)
    lines = [t._("<b>What CX Coach stores about you</b>"), ""]
    for key, value in dict(profile).items():  # type: ignore[call-overload]
        shown = _profile_value(t, key, value, tz, zone)
        lines.append(f"• {labels.get(key, escape(key))}: {shown}")
    lines.append("")
    for key, value in dict(counts).items():  # type: ignore[call-overload]
        lines.append(f"• {labels.get(key, escape(key))}: {value}")
    lines += [
        "",
        t._(
            "Of your messages, only the texts I asked for are stored: what was unclear in a "
            "lesson, what happened when you tried an action."
        ),
        t._("Who sees what: /privacy."),
    ]
    return Screen(
        "\n".join(lines), markup([[button(t._("🗑 Delete all my data"), cb.MyData(False))]])
    )


def mydata_confirm_screen(t: Translator) -> Screen:
    return Screen(
        t._(
            "Delete your progress, answers, review cards and their history, subscriptions, "
            "assessments, teams you manage (one with a co-manager passes to them instead) and "
            "the record of announcements sent to you? This cannot be undone."
        ),
        markup(
            [
                [button(t._("🗑 Yes, delete everything"), cb.MyData(True))],
                [button(t._("✖️ Cancel"), cb.Menu())],
            ]
        ),
    )


def deleted_screen(t: Translator) -> Screen:
    return Screen(t._("Done: everything about you is deleted. /start begins anew."))
