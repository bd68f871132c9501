"""Practical templates (/templates): their texts per language, validated with pydantic.

Each template is one file, ``content/data/templates/<id>.yaml``, holding every text of the
file the learner gets, per language (en, ru, uk), in the same structure in each: the same
sections, the same columns, the same worked examples (numbers stay numbers), the same
labels. The layout (rows, widths, formulas, styles) is code (``bot/render/templates.py``),
one per template id, so only the ids below are templates.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from content.model import LANGUAGES

TEMPLATES_DIR = Path(__file__).parent / "data" / "templates"

# The button's label is "📊 " + title (or "📝 "): it must stay whole on a phone (40).
TITLE_LIMIT = 36
CAPTION_LIMIT = 1024  # Telegram's, for the document's caption


class TemplateId(StrEnum):
    JOURNEY_MAP = "journey-map"
    AGREEMENT = "internal-agreement"
    COMMUNICATION = "communication-plan"
    BUSINESS_CASE = "business-case"


FORMATS: dict[TemplateId, Literal["xlsx", "docx"]] = {
    TemplateId.JOURNEY_MAP: "xlsx",
    TemplateId.AGREEMENT: "docx",
    TemplateId.COMMUNICATION: "docx",
    TemplateId.BUSINESS_CASE: "xlsx",
}

Cell = str | int | float  # a worked example's cell: numbers stay numbers (formulas use them)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Section(_Strict):
    """A part of the file: a heading, a line of guidance, a table to fill in (its columns,
    worked examples shown in grey, and labels for rows given in advance) or a list."""

    heading: str = Field(min_length=1, max_length=120)
    guidance: str = Field(default="", max_length=600)
    columns: list[str] = Field(default_factory=list)
    examples: list[list[Cell]] = Field(default_factory=list)  # one row per example
    rows: list[str] = Field(default_factory=list)  # first-column labels of rows to fill in
    items: list[str] = Field(default_factory=list)  # a list in the text (steps, rules)
    total: str = Field(default="", max_length=80)  # the label of the table's total row

    @model_validator(mode="after")
    def _examples_fit_the_columns(self) -> Section:
        for example in self.examples:
            if len(example) != len(self.columns):
                raise ValueError(
                    f"{self.heading!r}: an example has {len(example)} cells for "
                    f"{len(self.columns)} columns"
                )
        return self


class TemplateTexts(_Strict):
    """Everything a template says in one language."""

    title: str = Field(min_length=1, max_length=TITLE_LIMIT)
    summary: str = Field(min_length=1, max_length=200)  # one line in the list
    caption: str = Field(min_length=1, max_length=CAPTION_LIMIT)  # plain text
    filename: str = Field(min_length=1, max_length=60, pattern=r"^[^/\\:*?\"<>|.]+$")
    intro: str = Field(min_length=1, max_length=800)
    how_to_title: str = Field(min_length=1, max_length=60)
    how_to: list[str] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    labels: dict[str, str] = Field(default_factory=dict)  # single words the layout places


class Template(_Strict):
    id: TemplateId
    order: int = Field(ge=1)
    texts: dict[str, TemplateTexts]

    @property
    def format(self) -> Literal["xlsx", "docx"]:
        return FORMATS[self.id]

    def text(self, lang: str) -> TemplateTexts:
        """The texts in ``lang`` (English for a language we do not have)."""
        return self.texts.get(lang) or self.texts["en"]

    @model_validator(mode="after")
    def _every_language_alike(self) -> Template:
        missing = [lang for lang in LANGUAGES if lang not in self.texts]
        unknown = sorted(set(self.texts) - set(LANGUAGES))
        if missing or unknown:
            raise ValueError(f"languages: missing {missing}, unknown {unknown}")
        english = shape(self.texts["en"])
        for lang in LANGUAGES:
            if shape(self.texts[lang]) != english:
                raise ValueError(f"{lang}: not the same structure as en")
        return self


def shape(texts: TemplateTexts) -> tuple:
    """What must be the same in every language: the counts of everything, which parts are
    given, the kinds of the examples' cells (a number in one language is one in all) and
    the labels' keys."""

    def kind(cell: Cell) -> str:
        return "number" if isinstance(cell, int | float) else "text"

    return (
        len(texts.how_to),
        tuple(sorted(texts.labels)),
        tuple(
            (
                bool(s.guidance),
                len(s.columns),
                tuple(tuple(kind(c) for c in row) for row in s.examples),
                len(s.rows),
                len(s.items),
                bool(s.total),
            )
            for s in texts.sections
        ),
    )


class TemplateError(Exception):
    """A template file is invalid: the message names the file and the problem."""


def load_templates(folder: Path = TEMPLATES_DIR) -> dict[str, Template]:
    """Every template, by id, in their order; one file per id of :class:`TemplateId`."""
    found: dict[str, Template] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            template = Template.model_validate(data)
        except (yaml.YAMLError, ValidationError) as exc:
            raise TemplateError(f"{path}: {exc}") from exc
        if path.stem != template.id:
            raise TemplateError(f"{path}: the file is named after its id, {template.id}")
        found[template.id] = template
    missing = sorted(set(TemplateId) - set(found))
    if missing:
        raise TemplateError(f"{folder}: no file for {', '.join(missing)}")
    return dict(sorted(found.items(), key=lambda item: item[1].order))


@cache
def templates() -> dict[str, Template]:
    """The shipped templates, loaded and checked once."""
    return load_templates()
