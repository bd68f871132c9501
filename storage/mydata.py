"""/mydata: what is stored about a learner (profile and counts), and deleting all of it."""

from __future__ import annotations

from datetime import date, datetime

from storage.driver import Driver, iso

# What /mydata counts: label -> (table, column naming the user). Every table holding rows
# about a user is here, and delete_personal_data removes every one of them.
PERSONAL_TABLES = {
    "lessons": ("lesson_progress", "user_id"),
    "quiz_answers": ("quiz_answers", "user_id"),
    "lesson_feedback": ("lesson_feedback", "user_id"),
    "commitments": ("commitments", "user_id"),
    "arrivals": ("arrivals", "user_id"),
    "channel_joins": ("channel_joins", "user_id"),
    "review_cards": ("review_cards", "user_id"),
    "review_history": ("review_log", "user_id"),
    "subscriptions": ("subscriptions", "user_id"),
    "assessments": ("assessments", "user_id"),
    "teams": ("team_members", "user_id"),
    "teams_managed": ("teams", "manager_id"),
    "teams_comanaged": ("team_managers", "user_id"),
    "progress_shared": ("progress_sharing", "user_id"),
    "assignment_reminders": ("assignment_reminders", "user_id"),
    "certificates": ("certificates", "user_id"),
    "activity_days": ("activity_days", "user_id"),
    "deliveries": ("deliveries", "user_id"),
    "broadcast_receipts": ("broadcast_recipients", "chat_id"),
    "broadcasts_sent": ("broadcasts", "admin_id"),  # an admin's own broadcasts
}
# A team the user owns passes to its longest-serving co-manager (if any) before the user goes:
# the team is the company's, its members' progress theirs; one without co-managers goes too.
HAND_ON = (
    "UPDATE teams SET manager_id = (SELECT k.user_id FROM team_managers k "
    "WHERE k.team_id = teams.id AND k.user_id <> :u ORDER BY k.added_at, k.user_id LIMIT 1) "
    "WHERE manager_id = :u AND EXISTS (SELECT 1 FROM team_managers k "
    "WHERE k.team_id = teams.id AND k.user_id <> :u)"
)
# where the user is named as who did something (no foreign key): forgotten
FORGET = (
    "UPDATE assignments SET assigned_by = NULL WHERE assigned_by = :u",
    "UPDATE team_managers SET added_by = NULL WHERE added_by = :u",
)
PROFILE_FIELDS = ("id", "first_name", "language", "tg_language", "timezone", "first_seen",
                  "last_seen", "unsubscribed_at")  # fmt: skip


class MyDataStore:
    db: Driver
    _days: dict[int, date]

    async def personal_data(self, user_id: int) -> dict[str, object]:
        """What is stored about a user: the profile (times as ISO text) and a count of every
        kind of record; {} for nobody."""
        user = await self.db.fetchrow("SELECT * FROM users WHERE id = :u", u=user_id)
        if user is None:
            return {}
        counts = {}
        for name, (table, column) in PERSONAL_TABLES.items():
            n = await self.db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE {column} = :u",
                                       u=user_id)  # fmt: skip
            counts[name] = int(n or 0)
        profile = {
            k: iso(user[k]) if isinstance(user[k], datetime) else user[k] for k in PROFILE_FIELDS
        }
        return {"profile": profile, "counts": counts}

    async def delete_personal_data(self, user_id: int) -> bool:
        """Delete the user and everything linked to them (teams they own included, unless a
        co-manager takes them on): rows that name the user without a foreign key here, the
        rest by cascade."""
        self._days.pop(user_id, None)
        async with self.db.transaction() as tx:
            await tx.write(HAND_ON, u=user_id)
            for sql in FORGET:
                await tx.write(sql, u=user_id)
            for table, column in (
                ("review_log", "user_id"),
                ("quiz_answers", "user_id"),
                ("broadcast_recipients", "chat_id"),
                ("broadcasts", "admin_id"),  # an admin's broadcasts (recipients cascade)
            ):
                await tx.write(f"DELETE FROM {table} WHERE {column} = :u", u=user_id)
            rows = await tx.write("DELETE FROM users WHERE id = :u RETURNING id", u=user_id)
        return bool(rows)
