"""Typed text no feature took: which command was meant (typos, the other keyboard layout,
Cyrillic names) and commands addressed to other bots."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence

# A command typed with the keyboard in the Russian or Ukrainian layout: /ыуеештпы is
# /settings. Keys as on the standard ЙЦУКЕН layouts (Ukrainian і, ї, є on s, ], ').
_LAYOUT = str.maketrans(
    "йцукенгшщзхъфывапролджэячсмитьбюёіїєґ",
    "qwertyuiop[]asdfghjkl;'zxcvbnm,.`s]'`",
)


# Cyrillic words learners try as commands (Telegram commands are Latin only).
_ALIASES = {
    "старт": "start",
    "начать": "start",
    "почати": "start",
    "меню": "menu",
    "помощь": "help",
    "помощ": "help",
    "допомога": "help",
    "справка": "help",
    "уроки": "lessons",
    "урок": "lessons",
    "прогресс": "progress",
    "прогрес": "progress",
    "повторение": "review",
    "повторення": "review",
    "подписки": "subscriptions",
    "підписки": "subscriptions",
    "настройки": "settings",
    "налаштування": "settings",
    "язык": "language",
    "мова": "language",
    "команда": "team",
    "самооценка": "assess",
    "самооцінювання": "assess",
}


def command_word(text: str) -> str | None:
    """The command a message starts with ("/Lesson@bot x" -> "lesson"); None if it is not
    command-like."""
    text = text.strip()
    if not text.startswith("/") or len(text) < 2:
        return None
    word = text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower()
    return word or None


def addressed_elsewhere(text: str, bot_username: str | None) -> bool:
    """True for a command addressed to another bot ("/start@other_bot"): not ours to answer,
    in a private chat or a group (Telegram's convention: bots ignore those)."""
    text = text.strip()
    if not text.startswith("/"):
        return False
    head = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    _, at, name = head.partition("@")
    return bool(at) and name.lower() != (bot_username or "").lower()


def suggest_command(word: str, known: Sequence[str], hidden: Collection[str] = ()) -> str | None:
    """The command the learner most likely meant by ``word`` (a typo, the wrong keyboard
    layout, a Cyrillic name), from ``known``; None when nothing is close. Words in
    ``hidden`` (commands this learner may not use) get no suggestion."""
    if word in hidden:
        return None
    if word in _ALIASES and _ALIASES[word] in known:
        return _ALIASES[word]
    candidates = [word]
    swapped = word.translate(_LAYOUT)
    if swapped != word:
        candidates.append(swapped)
    for candidate in candidates:
        if candidate in known and candidate != word:
            return candidate
        prefixed = [name for name in known if len(candidate) >= 3 and name.startswith(candidate)]
        if len(prefixed) == 1:  # /lang, /subs
            return prefixed[0]
        close = difflib.get_close_matches(candidate, known, n=1, cutoff=0.75)
        if close:
            return close[0]
    cyrillic = difflib.get_close_matches(word, list(_ALIASES), n=1, cutoff=0.8)
    if cyrillic and _ALIASES[cyrillic[0]] in known:
        return _ALIASES[cyrillic[0]]
    return None
