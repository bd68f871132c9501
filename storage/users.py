"""Learners: the visit, language, blocked flag, delivery preferences and awaited input."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from domain.records import PREF_FIELDS, User
from storage.driver import Driver, offloaded, record

TOUCH = (
    "INSERT INTO users (id, tg_language, first_name, first_seen, last_seen) "
    "VALUES (:id, :lang, :name, :now, :now) ON CONFLICT (id) DO UPDATE SET "
    "last_seen = excluded.last_seen, first_name = excluded.first_name, "
    "visits = users.visits + 1, tg_language = COALESCE(excluded.tg_language, users.tg_language), "
    "returned = users.blocked, blocked = FALSE, blocked_at = NULL, ignored_nudges = 0 RETURNING *"
)
GET = "SELECT * FROM users WHERE id = :id"
SET_LANGUAGE = "UPDATE users SET language = :lang WHERE id = :id"
SET_BLOCKED = (
    "UPDATE users SET blocked = :b, blocked_at = CASE WHEN :b THEN {now} END, "
    "next_slot_at = CASE WHEN :b THEN NULL ELSE next_slot_at END WHERE id = :id"
)
SET_AWAITING = "UPDATE users SET awaiting = :awaiting WHERE id = :id"
FORGET_AWAITING = (
    "UPDATE users SET awaiting = NULL WHERE {awaiting_in} AND NOT {id_in} RETURNING id"
)
SCHEDULE = "UPDATE users SET next_slot_at = {slot} WHERE id = :id AND NOT blocked{guard}"


def user_record(row) -> User:
    return record(User, row)


class UserStore:
    db: Driver

    async def touch_user(
        self, user_id: int, first_name: str, tg_language: str | None, now: datetime
    ) -> tuple[User, bool]:
        """Create or refresh a user (last seen, name, Telegram language, not blocked); the
        user and whether it was created just now."""
        rows = await self.db.write(TOUCH, id=user_id, lang=tg_language, name=first_name, now=now)
        return user_record(rows[0]), rows[0]["visits"] == 1

    async def get_user(self, user_id: int) -> User | None:
        row = await self.db.fetchrow(GET, id=user_id)
        return user_record(row) if row else None

    async def set_language(self, user_id: int, language: str) -> None:
        await self.db.write(SET_LANGUAGE, lang=language, id=user_id)

    async def set_blocked(self, user_id: int, blocked: bool, now: datetime) -> None:
        """Mark that the user blocked (or unblocked) the bot; unknown users are ignored.
        Blocking also clears the next slot: no deliveries until they return."""
        sql = SET_BLOCKED.format(now=self.db.dialect.typed("now", "timestamptz"))
        await self.db.write(sql, b=blocked, now=now, id=user_id)

    async def set_prefs(
        self, user_id: int, next_slot_at: datetime | None, **prefs: object
    ) -> User | None:
        """Change delivery preferences (names in PREF_FIELDS) and the next slot together."""
        unknown = set(prefs) - set(PREF_FIELDS)
        if unknown:
            raise ValueError(f"not a delivery preference: {sorted(unknown)}")
        sets = [f"{name} = :{name}" for name in prefs]
        if "timezone" in prefs:
            sets.append("tz_chosen = TRUE")
        slot = self.db.dialect.typed("slot", "timestamptz")
        sets.append(f"next_slot_at = CASE WHEN blocked THEN NULL ELSE {slot} END")
        sql = f"UPDATE users SET {', '.join(sets)} WHERE id = :id RETURNING *"
        rows = await self.db.write(sql, **prefs, slot=next_slot_at, id=user_id)
        return user_record(rows[0]) if rows else None

    async def set_awaiting(self, user_id: int, awaiting: str | None) -> None:
        """Remember (or forget) which typed answer the bot asked the user for."""
        await self.db.write(SET_AWAITING, awaiting=awaiting, id=user_id)

    @offloaded
    async def forget_awaiting(self, values: Sequence[str], keep: Collection[int]) -> int:
        """Clear ``awaiting`` where it is one of ``values``, except for the users ``keep`` (an
        admin's draft state once they are no longer one); how many were cleared."""
        if not values:
            return 0
        any_of = self.db.dialect.any
        sql = FORGET_AWAITING.format(
            awaiting_in=any_of("awaiting", "values"), id_in=any_of("id", "keep")
        )
        return len(await self.db.write(sql, values=list(values), keep=list(keep)))

    async def schedule(
        self, user_id: int, next_slot_at: datetime | None, *, only_if_unset: bool = False
    ) -> None:
        """Set the user's next slot (not for blocked users); ``only_if_unset`` keeps a set one."""
        sql = SCHEDULE.format(
            slot=self.db.dialect.typed("slot", "timestamptz"),
            guard=" AND next_slot_at IS NULL" if only_if_unset else "",
        )
        await self.db.write(sql, slot=next_slot_at, id=user_id)
