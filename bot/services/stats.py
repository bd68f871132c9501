"""/stats and /export: the admins' numbers (counts only, never anyone's answers or texts)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from bot.services.env import Env
from domain.records import Broadcast, QuestionStats, Stats

CHART_DAYS = 30


def hardest_questions(stats: list[QuestionStats], minimum: int = 5, top: int = 5):
    """Questions most learners get wrong (with at least ``minimum`` answers), worst first."""
    rated = [q for q in stats if q.answers >= minimum]
    rated.sort(key=lambda q: (q.correct / q.answers, -q.answers))
    return [q for q in rated[:top] if q.correct / q.answers < 0.5]


@dataclass(frozen=True)
class Report:
    stats: Stats
    hardest: list[QuestionStats]
    recent: list[tuple[Broadcast, dict[str, int]]]  # the latest broadcasts
    days: list[tuple[date, int, int]]  # per day: active learners, lessons completed
    today: date


async def report(env: Env) -> Report:
    """The numbers, the hardest questions, recent broadcasts and the 30 days for the chart."""
    now = env.now()
    storage = env.storage
    today = now.date()
    return Report(
        await storage.stats(now, env.settings.default_language),
        hardest_questions(await storage.question_stats()),
        await storage.broadcasts(3),
        await storage.daily_activity(today - timedelta(days=CHART_DAYS - 1)),
        today,
    )


@dataclass(frozen=True)
class Export:
    filename: str
    data: bytes  # CSV, UTF-8
    rows: int  # learners


async def export(env: Env) -> Export:
    """Per-learner progress as CSV: Telegram ids and counts, no message contents."""
    rows = await env.storage.export_progress()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["user_id"])
    writer.writeheader()
    writer.writerows(rows)
    name = f"cxcoach-progress-{env.now():%Y%m%d}.csv"
    return Export(name, buffer.getvalue().encode("utf-8"), len(rows))
