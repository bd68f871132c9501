"""The admins' numbers: /stats, the hardest questions, the 30-day chart, /export; and each
lesson's figures (readers, first answers, usefulness, commitments, "unclear" comments), counted
once here for everyone and, by ``storage/teams.py``, for a team's members but the viewer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.records import LessonComment, LessonTally, QuestionStats, Stats
from storage.driver import Driver, Executor, iso, offloaded

_LANGUAGE = (
    "COALESCE(language, CASE WHEN lower(substr(tg_language, 1, 2)) IN ('en', 'ru', 'uk') "
    "THEN lower(substr(tg_language, 1, 2)) ELSE :default END)"
)

# Each lesson's figures. Every query counts the learners whose rows pass ``{who}``: EVERYONE
# for the admins, a team's members but the viewer for a manager (storage/teams.py). The
# fragment is one of these constants, never text from outside.
EVERYONE = "1 = 1"
READERS = (
    "SELECT lesson_id, COUNT(*) AS readers, COUNT(completed_at) AS finishers "
    "FROM lesson_progress WHERE {who}{when} GROUP BY lesson_id"
)
# Each learner's FIRST answer to each question (from their earliest attempt at the lesson
# that reached it): what the lesson taught, before the quiz's own explanations and retakes.
FIRST_ANSWERS = (
    "SELECT lesson_id, question, COUNT(*) AS n, SUM(correct) AS ok FROM ("
    "SELECT lesson_id, question, correct, answered_at, ROW_NUMBER() OVER ("
    "PARTITION BY user_id, lesson_id, question ORDER BY attempt_id) AS k "
    "FROM quiz_answers WHERE {who}) AS firsts WHERE k = 1{when} GROUP BY lesson_id, question"
)
FEEDBACK = (
    "SELECT lesson_id, COUNT(usefulness) AS raters, COALESCE(SUM(usefulness), 0) AS total, "
    "COUNT(*) FILTER (WHERE unclear <> '') AS commenters "
    "FROM lesson_feedback WHERE {who}{when} GROUP BY lesson_id"
)
# One commitment per learner and lesson: their latest taken one, else their latest declined
# one (a learner who took it on and later said "not now" on a retake took it on).
COMMITMENTS = (
    "SELECT lesson_id, COUNT(*) AS committers, "
    "COUNT(*) FILTER (WHERE status = 'declined') AS declined, "
    "COUNT(*) FILTER (WHERE status = 'done') AS done, "
    "COUNT(*) FILTER (WHERE status = 'failed') AS failed, "
    "COUNT(*) FILTER (WHERE status = 'not_yet') AS not_yet, "
    "COUNT(*) FILTER (WHERE status IN ('open', 'later')) AS still_open FROM ("
    "SELECT lesson_id, status, ROW_NUMBER() OVER (PARTITION BY user_id, lesson_id "
    "ORDER BY CASE WHEN status = 'declined' THEN 1 ELSE 0 END, id DESC) AS k "
    "FROM commitments WHERE {who}{when}) AS latest WHERE k = 1 GROUP BY lesson_id"
)
_COMMITMENT_COUNTS = ("committers", "declined", "done", "failed", "not_yet", "still_open")
# The texts, newest first; the time leaves storage as its month only, the author not at all.
COMMENTS = (
    "SELECT lesson_id, unclear, answered_at FROM lesson_feedback "
    "WHERE {who} AND unclear <> '' ORDER BY answered_at DESC, lesson_id LIMIT :limit"
)
ONE_LESSON = " AND lesson_id = :lesson"
# each figure's moment, for counting only what happened in a date range (the dashboard)
WHEN_COLUMNS = {
    "readers": "opened_at", "answers": "answered_at", "feedback": "answered_at",
    "commitments": "made_at",
}  # fmt: skip
NO_LIMIT = 10**9


async def count_lessons(
    db: Executor, who: str, *, ranged: bool = False, **params: object
) -> list[LessonTally]:
    """Every lesson with any figure, counted over the learners ``who`` selects (``params``
    fill its parameters); lessons nobody opened, answered, rated or committed to are absent.
    ``ranged``: only what happened from ``:start`` (included) to ``:end`` (excluded) counts —
    lessons opened, first answers given, ratings, commitments made then."""

    def when(figure: str) -> str:
        column = WHEN_COLUMNS[figure]
        return f" AND {column} >= :start AND {column} < :end" if ranged else ""

    counts: dict[str, dict[str, int]] = {}
    answers: dict[str, list[QuestionStats]] = {}
    for row in await db.fetch(READERS.format(who=who, when=when("readers")), **params):
        counts.setdefault(row["lesson_id"], {}).update(
            readers=int(row["readers"]), finishers=int(row["finishers"])
        )
    for row in await db.fetch(FIRST_ANSWERS.format(who=who, when=when("answers")), **params):
        lesson_id = row["lesson_id"]
        counts.setdefault(lesson_id, {})
        answers.setdefault(lesson_id, []).append(
            QuestionStats(lesson_id, int(row["question"]), int(row["n"]), int(row["ok"]))
        )
    for row in await db.fetch(FEEDBACK.format(who=who, when=when("feedback")), **params):
        counts.setdefault(row["lesson_id"], {}).update(
            raters=int(row["raters"]),
            usefulness_sum=int(row["total"]),
            commenters=int(row["commenters"]),
        )
    for row in await db.fetch(COMMITMENTS.format(who=who, when=when("commitments")), **params):
        counts.setdefault(row["lesson_id"], {}).update(
            {name: int(row[name]) for name in _COMMITMENT_COUNTS}
        )
    return [
        LessonTally(
            lesson_id,
            first_answers=tuple(sorted(answers.get(lesson_id, ()), key=lambda q: q.question)),
            **values,
        )
        for lesson_id, values in sorted(counts.items())
    ]


async def read_comments(
    db: Executor, who: str, lesson_id: str | None, limit: int | None, **params: object
) -> list[LessonComment]:
    """The "unclear" comments of the learners ``who`` selects (of one lesson, or of all),
    newest first, each with its month only."""
    where = who + ONE_LESSON if lesson_id is not None else who
    rows = await db.fetch(
        COMMENTS.format(who=where),
        **params,
        **({"lesson": lesson_id} if lesson_id is not None else {}),
        limit=NO_LIMIT if limit is None else limit,
    )
    return [LessonComment(r["lesson_id"], iso(r["answered_at"])[:7], r["unclear"]) for r in rows]


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

    @offloaded
    async def lesson_tallies(self, lesson_id: str | None = None) -> list[LessonTally]:
        """Each lesson's figures over every learner (see :func:`count_lessons`); with
        ``lesson_id``, that lesson's only."""
        if lesson_id is None:
            return await count_lessons(self.db, EVERYONE)
        return await count_lessons(self.db, EVERYONE + ONE_LESSON, lesson=lesson_id)

    @offloaded
    async def lesson_comments(
        self, lesson_id: str | None = None, limit: int | None = None
    ) -> list[LessonComment]:
        """The "unclear" comments of every learner (one lesson's, or all), newest first."""
        return await read_comments(self.db, EVERYONE, lesson_id, limit)
