"""What a use case works with: the storage, the lessons, the settings and the clock.

Handlers pass ``context.env`` to the one service call they make; services never see an
``Update`` (nor import ``telegram``), so every rule is tested on a real database without
Telegram.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.config import Settings
from content.model import Catalog
from storage.store import Storage


class Gone(LookupError):
    """What a button or link names no longer exists: ``what`` is "lesson", "series", "quiz"
    (over, or changed since), "subscription" or "question" (a review card's). The handler
    layer says so in a toast and offers the menu."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Env:
    """Built once in :func:`bot.app.build_application`; jobs and handlers share it."""

    settings: Settings
    storage: Storage
    catalog: Catalog
    clock: Callable[[], datetime] = utc_now

    def now(self) -> datetime:
        return self.clock()
