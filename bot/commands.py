"""The command menu (``setMyCommands``), per language."""

from __future__ import annotations

from telegram import BotCommand

from bot.i18n import Translator


def commands_for(t: Translator) -> list[BotCommand]:
    """The learner's commands with descriptions in ``t``'s language."""
    return [
        BotCommand("lessons", t._("Series and lessons")),
        BotCommand("progress", t._("Your progress")),
        BotCommand("review", t._("Review what you learned")),
        BotCommand("journal", t._("What you tried at work, and how it went")),
        BotCommand("certificates", t._("Your certificates for finished series")),
        BotCommand("subscriptions", t._("Your daily lessons")),
        BotCommand("settings", t._("Delivery time and time zone")),
        BotCommand("assess", t._("Which obstacles hold your company back")),
        BotCommand("plan", t._("Your 90-day plan, as a PDF too")),
        BotCommand("templates", t._("Templates to fill in: journey map, business case…")),
        BotCommand("team", t._("Teams: diagnostics, assignments, weekly digest")),
        BotCommand("dashboard", t._("Your dashboard: progress, teams, statistics")),
        BotCommand("privacy", t._("What is stored and who sees it")),
        BotCommand("language", t._("Change the language")),
        BotCommand("help", t._("What I can do")),
        BotCommand("start", t._("Go on where you left off")),
    ]
