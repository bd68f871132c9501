"""What the bot says to what no feature takes: unknown text and commands, stickers, groups,
out-of-date buttons, and the apology for an error."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.i18n import Translator
from bot.render.kit import Screen, markup, menu_rows


def unknown_screen(t: Translator) -> Screen:
    """Free text the bot cannot answer: what it works with, and the menu."""
    return Screen(
        t._(
            "Sorry, I can’t answer typed messages: I work with buttons and commands. "
            "Choose from the menu below, or see /help."
        ),
        markup(menu_rows(t)),
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
    return Screen(text, markup(menu_rows(t)))


def unsupported_screen(t: Translator) -> Screen:
    return Screen(
        t._("I can only read text messages and button presses. Here is the menu:"),
        markup(menu_rows(t)),
    )


def gone_toast(t: Translator, what: str) -> str:
    """What a button or link names no longer exists (see ``services.env.Gone``)."""
    if what == "series":
        return t._("This series is no longer available.")
    if what == "lesson":
        return t._("This lesson is no longer available.")
    if what == "quiz":
        return t._("This quiz is over or has changed since.")
    if what == "question":
        return t._("This question is no longer in the lessons.")
    if what == "commitment":
        return t._("This commitment is no longer in your journal.")
    if what == "template":
        return t._("This template is no longer available.")
    if what == "bonus":
        return t._("This bonus is no longer available.")
    if what == "assignment":
        return t._("This assignment is withdrawn or over.")
    return t._("This subscription no longer exists.")


def stale_button_screen(t: Translator) -> Screen:
    return Screen(
        t._("That button is out of date: what it pointed to has changed or is gone."),
        markup(menu_rows(t)),
    )


def group_screen(t: Translator, bot_username: str | None) -> Screen:
    text = t._("I teach one person at a time. Please write to me in a private chat.")
    if not bot_username:
        return Screen(text, None)
    url = f"https://t.me/{bot_username}?start=group"
    return Screen(text, markup([[InlineKeyboardButton(t._("Open a private chat"), url=url)]]))


def error_screen(t: Translator) -> Screen:
    return Screen(
        t._("Sorry, something went wrong on my side. Please try again in a moment."),
        markup(menu_rows(t)),
    )
