"""The admins' numbers: /stats, the hardest questions, the 30-day chart, /export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.records import QuestionStats, Stats
from storage.driver import Driver, iso, offloaded

_LANGUAGE = (
    "COALESCE(language, CASE WHEN lower(substr(tg_language, 1, 2)) IN ('en', 'ru', 'uk') "
    "THEN lower(substr(tg_language, 1, 2)) ELSE :default END)"
)


class StatsStore:
    db: Driver

    @offloaded
    async def stats(self, now: datetime, default_language: str) -> Stats:
        row = await self.db.fetchrow(
            "SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE last_seen >= :d7) AS a7, "
            "COUNT(*) FILTER (WHERE last_seen >= :d30) AS a30, "
            "COUNT(*) FILTER (WHERE blocked) AS b FROM users",
            d7=now - timedelta(days=7),
            d30=now - timedelta(days=30),
        )
        languages = await self.db.fetch(
            f"SELECT {_LANGUAGE} AS lang, COUNT(*) AS n FROM users GROUP BY 1 ORDER BY n DESC",
            default=default_language,
        )
        subs = await self.db.fetch(
            "SELECT series_id, COUNT(*) AS n FROM subscriptions WHERE status = 'active' "
            "GROUP BY series_id ORDER BY n DESC"
        )
        done = await self.db.fetchval(
            "SELECT COUNT(*) FROM lesson_progress WHERE completed_at IS NOT NULL"
        )
        answers = await self.db.fetchrow(
            "SELECT COUNT(*) AS n, COALESCE(SUM(correct), 0) AS ok FROM quiz_answers"
        )
        assert row is not None and answers is not None
        return Stats(
            learners=int(row["n"]),
            active_7=int(row["a7"]),
            active_30=int(row["a30"]),
            blocked=int(row["b"]),
            by_language={r["lang"]: int(r["n"]) for r in languages},
            subscriptions={r["series_id"]: int(r["n"]) for r in subs},
            lessons_completed=int(done or 0),
            answers=int(answers["n"]),
            correct=int(answers["ok"]),
        )

    @offloaded
    async def question_stats(self) -> list[QuestionStats]:
        rows = await self.db.fetch(
            "SELECT lesson_id, question, COUNT(*) AS n, SUM(correct) AS ok FROM quiz_answers "
            "GROUP BY lesson_id, question ORDER BY lesson_id, question"
        )
        return [QuestionStats(r["lesson_id"], r["question"], r["n"], r["ok"]) for r in rows]

    @offloaded
    async def daily_activity(self, since: date) -> list[tuple[date, int, int]]:
        """Per day since ``since``: (day, learners active, lessons completed)."""
        active = await self.db.fetch(
            "SELECT day, COUNT(*) AS n FROM activity_days WHERE day >= :since GROUP BY day",
            since=since,
        )
        day = self.db.dialect.utc_date("completed_at")
        completed = await self.db.fetch(
            f"SELECT {day} AS day, COUNT(*) AS n FROM lesson_progress "
            "WHERE completed_at >= :since GROUP BY 1",
            since=datetime.combine(since, datetime.min.time(), tzinfo=UTC),
        )
        by_day: dict[date, list[int]] = {}
        for r in active:
            by_day.setdefault(r["day"], [0, 0])[0] = int(r["n"])
        for r in completed:
            by_day.setdefault(r["day"], [0, 0])[1] = int(r["n"])
        return [(d, a, c) for d, (a, c) in sorted(by_day.items())]

    @offloaded
    async def export_progress(self) -> list[dict[str, object]]:
        """One row per learner: ids, language, dates (ISO text), counts (no message texts)."""
        rows = await self.db.fetch(
            """
            SELECT u.id AS user_id, u.language, u.tg_language, u.first_seen, u.last_seen,
                   CASE WHEN u.blocked THEN 1 ELSE 0 END AS blocked,
                   (SELECT COUNT(*) FROM lesson_progress p WHERE p.user_id = u.id) AS opened,
                   (SELECT COUNT(*) FROM lesson_progress p WHERE p.user_id = u.id
                      AND p.completed_at IS NOT NULL) AS completed,
                   (SELECT COUNT(*) FROM quiz_answers a WHERE a.user_id = u.id) AS answers,
                   (SELECT COALESCE(SUM(correct), 0) FROM quiz_answers a
                      WHERE a.user_id = u.id) AS correct,
                   (SELECT COUNT(*) FROM subscriptions s WHERE s.user_id = u.id
                      AND s.status = 'active') AS subscriptions,
                   (SELECT COUNT(*) FROM review_cards c WHERE c.user_id = u.id) AS cards
            FROM users u ORDER BY u.id
            """
        )
        return [
            {k: iso(v) if isinstance(v, datetime) else v for k, v in row.items()} for row in rows
        ]
