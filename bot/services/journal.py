"""/journal: the learner's commitments, their outcomes and notes, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.services.env import Env
from bot.services.lessons import Page, paginate
from bot.services.schedule import prefs_of
from content.model import Lesson
from domain.records import Commitment, User

PER_PAGE = 5


@dataclass(frozen=True)
class Entry:
    commitment: Commitment
    lesson: Lesson | None  # None: the lesson left the content (the entry stays)


@dataclass(frozen=True)
class JournalPage:
    page: Page[Entry]
    total: int
    tz: tzinfo
    now: datetime


async def journal(
    env: Env, user: User, lang: str, page: int = 0, per_page: int = PER_PAGE
) -> JournalPage:
    commitments = await env.storage.commitments(user.id)
    entries = [
        Entry(c, found[1] if (found := env.catalog.lesson(lang, c.lesson_id)) else None)
        for c in commitments
    ]
    return JournalPage(
        paginate(entries, page, per_page), len(entries), prefs_of(user, lang).tz, env.now()
    )
