"""Inline-button data: a compact string scheme, restart-proof and safe against forgery.

Every button's ``callback_data`` is ``<kind>:<field>:<field>...`` (at most 64 bytes, as
Telegram allows). Kinds are short and stable; a change of meaning gets a new kind, so a
button on an old message either still means the same thing or is unknown (and the user is
told the button is out of date). :func:`parse` never raises: anything malformed gives None.

    menu                      main menu
    lang:<code>               choose the interface language
    ser:<page>                list of series, page n
    s:<series>:<page>         a series' lessons, page n
    l:<lesson>                open a lesson
    qs:<lesson>               start (or retake) a lesson's quiz
    qa:<attempt>:<q>:<opt>    answer question q of an attempt with option opt
    prog                      progress
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from content.model import ID_RE

MAX_BYTES = 64


@dataclass(frozen=True)
class Menu:
    def encode(self) -> str:
        return "menu"


@dataclass(frozen=True)
class Language:
    code: str

    def encode(self) -> str:
        return f"lang:{self.code}"


@dataclass(frozen=True)
class SeriesList:
    page: int = 0

    def encode(self) -> str:
        return f"ser:{self.page}"


@dataclass(frozen=True)
class SeriesPage:
    series_id: str
    page: int = 0

    def encode(self) -> str:
        return f"s:{self.series_id}:{self.page}"


@dataclass(frozen=True)
class OpenLesson:
    lesson_id: str

    def encode(self) -> str:
        return f"l:{self.lesson_id}"


@dataclass(frozen=True)
class StartQuiz:
    lesson_id: str

    def encode(self) -> str:
        return f"qs:{self.lesson_id}"


@dataclass(frozen=True)
class Answer:
    attempt_id: int
    question: int
    option: int

    def encode(self) -> str:
        return f"qa:{self.attempt_id}:{self.question}:{self.option}"


@dataclass(frozen=True)
class Progress:
    def encode(self) -> str:
        return "prog"


Callback = Menu | Language | SeriesList | SeriesPage | OpenLesson | StartQuiz | Answer | Progress

_INT = re.compile(r"^(0|[1-9][0-9]{0,8})$")  # non-negative, no sign, bounded


def _int(text: str) -> int | None:
    return int(text) if _INT.match(text) else None


def _id(text: str) -> str | None:
    return text if ID_RE.match(text) else None


def parse(data: str | None) -> Callback | None:
    """The button a callback's data names, or None for anything unknown or malformed."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    kind, _, rest = data.partition(":")
    parts = rest.split(":") if rest else []
    match kind, parts:
        case "menu", []:
            return Menu()
        case "prog", []:
            return Progress()
        case "lang", [code] if code in ("en", "ru", "uk"):
            return Language(code)
        case "ser", [page] if _int(page) is not None:
            return SeriesList(_int(page))  # type: ignore[arg-type]
        case "s", [series_id, page] if _id(series_id) and _int(page) is not None:
            return SeriesPage(series_id, _int(page))  # type: ignore[arg-type]
        case "l", [lesson_id] if _id(lesson_id):
            return OpenLesson(lesson_id)
        case "qs", [lesson_id] if _id(lesson_id):
            return StartQuiz(lesson_id)
        case "qa", [a, q, o] if None not in (_int(a), _int(q), _int(o)):
            return Answer(_int(a), _int(q), _int(o))  # type: ignore[arg-type]
    return None
