"""Interface text: every string translated in ru and uk, real plural rules, escaping."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, Safe, translator

BOT = Path(__file__).resolve().parents[2] / "bot"
KEYWORDS = {"_": None, "n_": (1, 2)}


def used_messages() -> set[str | tuple[str, str]]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(BOT), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


def test_every_string_in_the_code_is_translated():
    used = used_messages()
    assert len(used) > 40
    for lang in ("ru", "uk"):
        with open(BOT / "locales" / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
            catalog = read_po(fh, locale=lang)
        translated = {}
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            key = message.id if isinstance(message.id, str) else tuple(message.id)
            strings = [message.string] if isinstance(message.string, str) else message.string
            if all(s.strip() for s in strings):
                translated[key] = strings
        missing = sorted(map(str, used - translated.keys()))
        assert not missing, f"{lang}: untranslated: {missing}"
        for key, strings in translated.items():
            if isinstance(key, tuple):
                assert len(strings) == 3, f"{lang}: {key} needs three plural forms"
                wanted = _fields(key[1])
                for s in strings:  # the same placeholders; a form may leave out {n}
                    assert _fields(s) - {"n"} == wanted - {"n"}, (lang, key, s)
                    assert _fields(s) <= wanted | {"n"}, (lang, key, s)
            else:  # exactly the same placeholders: none lost, none the code does not fill
                assert _fields(strings[0]) == _fields(key), (lang, key, strings[0])


def _fields(text: str) -> set[str]:
    """The {name} placeholders str.format would fill (a stray brace fails here, as it would
    fail for the learner)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_placeholder_check_catches_a_lost_or_unknown_name():
    assert _fields("Hi, {name}! {n} cards") == {"name", "n"}
    assert _fields("Привет!") != _fields("Hi, {name}!")  # a lost placeholder differs
    assert _fields("Hi, {nom}!") != _fields("Hi, {name}!")  # an unknown one too
    with pytest.raises(ValueError):
        _fields("Hi, {name!")


def test_plural_forms_follow_each_language():
    # a string in use with three distinct forms (the review's "cards due"; the old
    # "{done} of {n} lesson" is gone: lesson counts now say "completed" everywhere)
    forms = {
        lang: [
            translator(lang).n_("{n} card due", "{n} cards due", n).split(": ")[-1]
            for n in (1, 2, 5, 11, 21, 22)
        ]
        for lang in LANGUAGES
    }
    assert forms["en"][:3] == ["1 card due", "2 cards due", "5 cards due"]
    assert forms["ru"] == [
        "1 карточку",
        "2 карточки",
        "5 карточек",
        "11 карточек",
        "21 карточку",
        "22 карточки",
    ]
    assert forms["uk"] == [
        "1 картку",
        "2 картки",
        "5 карток",
        "11 карток",
        "21 картку",
        "22 картки",
    ]


def test_placeholders_are_escaped_unless_safe():
    t = translator("uk")
    assert "&lt;script&gt;" in t._("Hi, {name}! I am CX Coach.", name="<script>")
    assert "<b>x</b>" in t._("Hi, {name}! I am CX Coach.", name=Safe("<b>x</b>"))
    assert translator("de").lang == "en"
