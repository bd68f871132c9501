"""/templates: the practical templates a learner can download and fill in.

The texts are content (``content/data/templates/``, loaded once); which file a button names
is checked here: an id that is not (or no longer) a template is :class:`Gone`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.env import Env, Gone
from content.templates import Template, TemplateId, templates
from domain.records import User


@dataclass(frozen=True)
class TemplateEntry:
    """One template in the list, in the learner's language."""

    id: TemplateId
    format: str  # xlsx, docx
    title: str
    summary: str


def available() -> dict[str, Template]:
    """The shipped templates by id, loaded and checked once (a bad file raises
    ``content.templates.TemplateError``: the feature calls this at start-up)."""
    return templates()


def entries(all_templates: dict[str, Template], lang: str) -> list[TemplateEntry]:
    """The templates in their order, with their texts in ``lang``."""
    return [
        TemplateEntry(t.id, t.format, t.text(lang).title, t.text(lang).summary)
        for t in all_templates.values()
    ]


async def list_templates(env: Env, user: User, lang: str) -> list[TemplateEntry]:
    """/templates: every template, to choose one."""
    return entries(available(), lang)


async def get_template(env: Env, user: User, lang: str, template_id: str) -> Template:
    """The template a button names; ``Gone("template")`` for a forged or retired id."""
    found = available().get(template_id)
    if found is None:
        raise Gone("template")
    return found
