"""/dashboard's chat screen: a button that opens the dashboard (a Telegram Mini App)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, WebAppInfo

from bot.i18n import Translator
from bot.render.kit import Screen, label_limit, markup, shorten


def dashboard_label(t: Translator) -> str:
    """The Mini App's button: under /dashboard and as the chat's menu button."""
    return t._("📊 Dashboard")


def dashboard_screen(t: Translator, url: str | None, admin: bool, manager: bool) -> Screen:
    """The button that opens the dashboard; None: the dashboard is not served here."""
    if url is None:
        return Screen(t._("The dashboard is not switched on for this bot."))
    lines = [t._("<b>📊 Dashboard</b>"), ""]
    lines.append(t._("Your progress, streak, journal and certificates."))
    if admin:
        lines.append(
            t._("As an admin: learners and activity, the channel funnel, broadcasts, lessons, "
                "confusing questions and CSV exports.")
        )  # fmt: skip
    if manager:
        lines.append(
            t._("For your teams: members, averages and assignments under the privacy rule.")
        )
    lines += ["", t._("It also opens from the menu button next to the message field.")]
    label = shorten(t._("📊 Open the dashboard"), label_limit(1))
    button = InlineKeyboardButton(label, web_app=WebAppInfo(url))
    return Screen("\n".join(lines), markup([[button]]))
