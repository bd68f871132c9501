"""Interface text in ru, uk and en through gettext catalogs (Babel), with real plural rules.

Message ids are the English text. ``bot/locales/<lang>/LC_MESSAGES/messages.po`` hold the
translations; they are compiled in memory at start-up, so there is no build step and no
binary file in the repository. English needs no catalog (the ids are the text).

Every placeholder value is HTML-escaped when formatted, because every reply is sent in
Telegram's HTML parse mode: a user's name like ``<b>`` can never break a message. Values
that are already HTML are wrapped in :class:`Safe`.
"""

from __future__ import annotations

import gettext
import html
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES: tuple[str, ...] = ("en", "ru", "uk")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "uk": "Українська"}
DOMAIN = "messages"


class Safe(str):
    """Text that is already valid Telegram HTML and must not be escaped again."""


def escape(value: Any) -> str:
    """Escape a dynamic value for Telegram's HTML parse mode (Safe values pass through)."""
    if isinstance(value, Safe):
        return value
    return html.escape(str(value), quote=False)


def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    po = resources.files("bot") / "locales" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@dataclass(frozen=True)
class Translator:
    """Interface text in one language: ``t._("...")`` and ``t.n_("...", "...", n)``."""

    lang: str
    _translations: gettext.NullTranslations

    def _(self, msgid: str, /, **values: Any) -> Safe:
        """The translation of ``msgid`` with ``{name}`` placeholders filled, escaped."""
        return self._format(self._translations.gettext(msgid), values)

    def n_(self, singular: str, plural: str, n: int, /, **values: Any) -> Safe:
        """The plural form for ``n`` (Russian and Ukrainian have three); ``{n}`` is filled."""
        return self._format(self._translations.ngettext(singular, plural, n), {"n": n, **values})

    @staticmethod
    def _format(text: str, values: dict[str, Any]) -> Safe:
        if not values:
            return Safe(text)
        return Safe(text.format(**{k: escape(v) for k, v in values.items()}))


@cache
def translator(lang: str) -> Translator:
    """The translator for ``lang`` (unknown languages get English)."""
    if lang not in LANGUAGES:
        lang = "en"
    return Translator(lang, _catalog(lang))


def pick_language(tg_language_code: str | None, default: str = "en") -> str:
    """Our language for a Telegram ``language_code`` like ``uk`` or ``ru-RU``."""
    if tg_language_code:
        base = tg_language_code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default if default in LANGUAGES else "en"
