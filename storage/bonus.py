"""Bonus materials for channel members, attached to a lesson or a series."""

from __future__ import annotations

from datetime import datetime

from domain.records import Bonus
from storage.driver import Driver, record

CREATE = (
    "INSERT INTO bonuses (lesson_id, series_id, language, title, source_chat_id, "
    "source_message_id, created_by, created_at) VALUES (:lesson, :series, :language, :title, "
    ":chat, :message, :by, :now) RETURNING *"
)
GET = "SELECT * FROM bonuses WHERE id = :id"
ALL = "SELECT * FROM bonuses ORDER BY created_at DESC, id DESC"
DELETE = "DELETE FROM bonuses WHERE id = :id RETURNING id"
# The one bonus a screen offers: the lesson's own before its series', one in the learner's
# language before one for every language, the newest of those.
OFFERED = (
    "SELECT * FROM bonuses WHERE (lesson_id = :lesson OR series_id = :series) "
    "AND (language = :language OR language IS NULL) "
    "ORDER BY CASE WHEN lesson_id IS NULL THEN 1 ELSE 0 END, "
    "CASE WHEN language IS NULL THEN 1 ELSE 0 END, created_at DESC, id DESC LIMIT 1"
)


class BonusStore:
    db: Driver

    async def create_bonus(
        self,
        title: str,
        source_chat_id: int,
        source_message_id: int,
        created_by: int,
        now: datetime,
        *,
        lesson_id: str | None = None,
        series_id: str | None = None,
        language: str | None = None,
    ) -> Bonus:
        """A bonus for a lesson or (exclusively) a series, in ``language`` (None: every one):
        the admin's message, kept by reference."""
        if (lesson_id is None) == (series_id is None):
            raise ValueError("a bonus belongs to a lesson or to a series")
        rows = await self.db.write(CREATE, lesson=lesson_id, series=series_id, language=language,
                                   title=title, chat=source_chat_id, message=source_message_id,
                                   by=created_by, now=now)  # fmt: skip
        return record(Bonus, rows[0])

    async def bonus(self, bonus_id: int) -> Bonus | None:
        row = await self.db.fetchrow(GET, id=bonus_id)
        return None if row is None else record(Bonus, row)

    async def bonuses(self) -> list[Bonus]:
        """Every bonus, the newest first."""
        return [record(Bonus, row) for row in await self.db.fetch(ALL)]

    async def delete_bonus(self, bonus_id: int) -> bool:
        """False when there was no such bonus (deleted already)."""
        return bool(await self.db.write(DELETE, id=bonus_id))

    async def offered_bonus(
        self, language: str, series_id: str, lesson_id: str | None = None
    ) -> Bonus | None:
        """The bonus a lesson's screen offers (its own, else its series'), or a series' page
        (``lesson_id`` None: the series' own), for a learner reading ``language``."""
        row = await self.db.fetchrow(OFFERED, lesson=lesson_id, series=series_id,
                                     language=language)  # fmt: skip
        return None if row is None else record(Bonus, row)
