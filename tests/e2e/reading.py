"""Reading a quiz or review message as the learner does: the options listed in full, A–D."""

from __future__ import annotations

import re

# "A. option text" / "А. текст варіанта" (Latin or Cyrillic letters), one per line.
_OPTION_LINE = re.compile(r"^([A-FА-Е])\. (.+)$", re.MULTILINE)


def shown_options(message) -> list[tuple[str, str, str]]:
    """(letter, option text, callback data of its button) in the order shown."""
    buttons = {text: data for text, data in message.buttons}
    found = [
        (letter, text, buttons[letter])
        for letter, text in _OPTION_LINE.findall(message.text)
        if letter in buttons
    ]
    assert len(found) == len(message.buttons), "every button letter is listed with its text"
    return found


def button_for(message, option_text: str) -> str:
    """The callback data of the button whose letter stands for ``option_text``."""
    for _, text, data in shown_options(message):
        if text == option_text:
            return data
    raise AssertionError(f"option not shown: {option_text!r}\n{message.text}")


def letter_of(message, option_text: str) -> str:
    for letter, text, _ in shown_options(message):
        if text == option_text:
            return letter
    raise AssertionError(f"option not shown: {option_text!r}")
