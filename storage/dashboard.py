"""The dashboard's own queries (the Mini App, ``bot/web/dashboard.py``): learners and
activity over a chosen date range, filtered by the learners' language and a series' lessons,
and each lesson's figures over one language's learners. Everything else the dashboard shows
comes from the queries of /stats, /broadcasts, the funnel and /team. Counts only, never who.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from domain.records import LessonTally
from storage.driver import Driver, offloaded
from storage.stats import _LANGUAGE, EVERYONE, count_lessons

# the learners a language filter selects (their chosen language, else Telegram's when we
# speak it, else the default: the language /stats counts them in)
LEARNER_LANGUAGE = f"user_id IN (SELECT id FROM users WHERE {_LANGUAGE} = :language)"
USER_LANGUAGE = f"{_LANGUAGE} = :language"


@dataclass(frozen=True)
class RangeActivity:
    """Learners and lessons between two dates (both included; UTC days for completions, the
    learner's local day for activity)."""

    new_learners: int  # first seen in the range
    active_learners: int  # with a lesson, an answer or a review on a day of the range
    completed: int  # lessons completed in the range (of the series, when one is chosen)
    days: tuple[tuple[date, int, int], ...]  # per day with any: active learners, completed


class DashboardStore:
    db: Driver

    NEW_LEARNERS = (
        "SELECT COUNT(*) FROM users WHERE first_seen >= :start AND first_seen < :end AND {who}"
    )
    ACTIVE_DAYS = (
        "SELECT day, COUNT(*) AS n FROM activity_days "
        "WHERE day >= :since AND day <= :until AND {who} GROUP BY day"
    )
    ACTIVE_LEARNERS = (
        "SELECT COUNT(DISTINCT user_id) FROM activity_days "
        "WHERE day >= :since AND day <= :until AND {who}"
    )
    COMPLETED_DAYS = (
        "SELECT {day} AS day, COUNT(*) AS n FROM lesson_progress "
        "WHERE completed_at >= :start AND completed_at < :end AND {who} GROUP BY 1"
    )

    @offloaded
    async def dashboard_activity(
        self,
        since: date,
        until: date,
        default_language: str,
        language: str | None = None,
        lesson_ids: Sequence[str] | None = None,
    ) -> RangeActivity:
        """From ``since`` to ``until`` (both included): learners first seen, learners active,
        lessons completed (only ``lesson_ids``' when given), and the days; only the learners
        whose language is ``language`` when it is given."""
        start = datetime.combine(since, time.min, tzinfo=UTC)
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
        chosen: dict[str, object] = {}
        who, user_who = EVERYONE, EVERYONE
        if language is not None:
            who, user_who = LEARNER_LANGUAGE, USER_LANGUAGE
            chosen = {"language": language, "default": default_language}
        completed_who = who
        lessons: dict[str, object] = {}
        if lesson_ids is not None:
            completed_who = f"{who} AND {self.db.dialect.any('lesson_id', 'lessons')}"
            lessons = {"lessons": list(lesson_ids)}
        db = self.db
        new = await db.fetchval(
            self.NEW_LEARNERS.format(who=user_who), start=start, end=end, **chosen
        )
        active = await db.fetchval(
            self.ACTIVE_LEARNERS.format(who=who), since=since, until=until, **chosen
        )
        by_day: dict[date, list[int]] = {}
        for r in await db.fetch(
            self.ACTIVE_DAYS.format(who=who), since=since, until=until, **chosen
        ):
            by_day.setdefault(r["day"], [0, 0])[0] = int(r["n"])
        completed_sql = self.COMPLETED_DAYS.format(
            day=db.dialect.utc_date("completed_at"), who=completed_who
        )
        for r in await db.fetch(completed_sql, start=start, end=end, **chosen, **lessons):
            by_day.setdefault(r["day"], [0, 0])[1] = int(r["n"])
        days = tuple((d, a, c) for d, (a, c) in sorted(by_day.items()))
        return RangeActivity(int(new or 0), int(active or 0), sum(c for _, _, c in days), days)

    @offloaded
    async def dashboard_lesson_tallies(
        self, language: str | None, default_language: str, since: date, until: date
    ) -> list[LessonTally]:
        """Each lesson's figures (as /stats counts them) from what happened between ``since``
        and ``until`` (both included, UTC days), over the learners of ``language`` (None:
        everyone)."""
        start = datetime.combine(since, time.min, tzinfo=UTC)
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
        if language is None:
            return await count_lessons(self.db, EVERYONE, ranged=True, start=start, end=end)
        return await count_lessons(
            self.db, LEARNER_LANGUAGE, ranged=True, start=start, end=end,
            language=language, default=default_language,
        )  # fmt: skip
