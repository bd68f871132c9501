"""The content schema: series, lessons and quiz questions, validated with pydantic.

The files under ``content/data/`` are YAML; this module says what a valid file holds.
Cross-file rules (ids unique, every language complete, Telegram's limits on the rendered
message, markup Telegram accepts) live in :mod:`content.check`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LANGUAGES: tuple[str, ...] = ("en", "ru", "uk")

# Telegram's limits (Bot API): a message after entity parsing, and a native quiz poll.
MESSAGE_LIMIT = 4096
POLL_QUESTION_LIMIT = 300
POLL_OPTION_LIMIT = 100
POLL_EXPLANATION_LIMIT = 200
POLL_EXPLANATION_MAX_LINE_FEEDS = 2

# Ids travel inside callback data (<= 64 bytes) and deep links ([A-Za-z0-9_-], <= 64 chars).
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,23}$"
ID_RE = re.compile(ID_PATTERN)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Source(_Strict):
    """An article a lesson draws on (``content/data/sources.yaml``), credited per language."""

    id: str = Field(pattern=ID_PATTERN)
    language: str = Field(description="the article's own language")
    publisher: dict[str, str] = Field(description="per language: who published it")
    title: dict[str, str] = Field(
        description="per language: the original title under the article's language, "
        "a translation under the others"
    )
    url: str | None = None
    seed: str | None = None  # file name prefix in the seeds folder, for the copy check

    @model_validator(mode="after")
    def _every_language(self) -> Source:
        for name in ("publisher", "title"):
            given = getattr(self, name)
            missing = [lang for lang in LANGUAGES if not given.get(lang, "").strip()]
            if missing:
                raise ValueError(f"{name} is missing in: {', '.join(missing)}")
            unknown = sorted(set(given) - set(LANGUAGES))
            if unknown:
                raise ValueError(f"{name} has unknown languages: {', '.join(unknown)}")
        if self.language not in LANGUAGES:
            raise ValueError(f"language {self.language!r} is not one of {', '.join(LANGUAGES)}")
        return self

    def credit(self, lang: str) -> tuple[str, str, str | None]:
        """(publisher, title, the article's language if it is not ``lang``) for a learner."""
        other = self.language if self.language != lang else None
        return self.publisher[lang], self.title[lang], other


class QuizQuestion(_Strict):
    question: str = Field(min_length=1, max_length=POLL_QUESTION_LIMIT)
    options: list[str] = Field(min_length=2, max_length=6)
    correct: int = Field(ge=0, description="0-based index of the correct option")
    explanation: str = Field(min_length=1, max_length=POLL_EXPLANATION_LIMIT)

    @field_validator("options")
    @classmethod
    def _options_fit(cls, options: list[str]) -> list[str]:
        for i, option in enumerate(options):
            if not option.strip():
                raise ValueError(f"option {i + 1} is empty")
            if len(option) > POLL_OPTION_LIMIT:
                raise ValueError(
                    f"option {i + 1} is {len(option)} characters; a quiz poll allows "
                    f"{POLL_OPTION_LIMIT}"
                )
        if len({o.casefold() for o in options}) != len(options):
            raise ValueError("two options are the same")
        return options

    @field_validator("explanation")
    @classmethod
    def _explanation_line_feeds(cls, text: str) -> str:
        if text.count("\n") > POLL_EXPLANATION_MAX_LINE_FEEDS:
            raise ValueError(
                f"explanation has more than {POLL_EXPLANATION_MAX_LINE_FEEDS} line feeds"
            )
        return text

    @model_validator(mode="after")
    def _correct_in_range(self) -> QuizQuestion:
        if self.correct >= len(self.options):
            raise ValueError(
                f"correct is {self.correct} but there are only {len(self.options)} options "
                "(it counts from 0)"
            )
        return self


class Lesson(_Strict):
    """One bite-sized lesson in one language (a file ``NN-<id>.yaml``)."""

    id: str = Field(pattern=ID_PATTERN)
    order: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1)
    key_idea: str = Field(min_length=1, max_length=400)
    # The obstacle as it shows in a company, a statement the learner rates 1-5 in /assess.
    symptom: str = Field(min_length=1, max_length=200)
    action: str = Field(min_length=1, max_length=500)
    reflection: str = Field(min_length=1, max_length=300)
    source: str = Field(pattern=ID_PATTERN, description="id of an entry in sources.yaml")
    quiz: list[QuizQuestion] = Field(min_length=2, max_length=3)


class Series(_Strict):
    """A series' own file (``series.yaml``) in one language."""

    id: str = Field(pattern=ID_PATTERN)
    order: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=80)
    # for buttons that share a row (✖️ unsubscribe, 🔔 subscribe): a whole name, not a cut one
    short_title: str = Field(min_length=1, max_length=18)
    summary: str = Field(min_length=1, max_length=200, description="one line for lists")
    intro: str = Field(min_length=1, max_length=1500)
    recap: str = Field(min_length=1, max_length=1500)
    # A practice series (the closing one) teaches no obstacle of its own: /assess does not
    # rate its lessons. Its lessons are read, quizzed and reviewed like any other.
    practice: bool = False


@dataclass(frozen=True)
class SeriesContent:
    """A series with its lessons, in one language, lessons sorted by ``order``."""

    series: Series
    lessons: tuple[Lesson, ...]

    @property
    def id(self) -> str:
        return self.series.id


@dataclass
class Catalog:
    """Everything the bot teaches: per language, the series in order; plus the sources."""

    languages: dict[str, tuple[SeriesContent, ...]] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    _lessons: dict[tuple[str, str], tuple[SeriesContent, Lesson]] = field(
        default_factory=dict, repr=False
    )
    _series: dict[tuple[str, str], SeriesContent] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self._lessons.clear()
        self._series.clear()
        for lang, all_series in self.languages.items():
            for sc in all_series:
                self._series[(lang, sc.id)] = sc
                for lesson in sc.lessons:
                    self._lessons[(lang, lesson.id)] = (sc, lesson)

    def series_list(self, lang: str) -> tuple[SeriesContent, ...]:
        return self.languages.get(lang, ())

    def series(self, lang: str, series_id: str) -> SeriesContent | None:
        return self._series.get((lang, series_id))

    def lesson(self, lang: str, lesson_id: str) -> tuple[SeriesContent, Lesson] | None:
        return self._lessons.get((lang, lesson_id))

    def lesson_ids(self, lang: str) -> list[str]:
        return [lesson.id for sc in self.series_list(lang) for lesson in sc.lessons]
