"""The admins' /stats screen (the chart is drawn by ``render/chart.py``)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator, escape
from bot.render.broadcast import outcome_line
from bot.render.kit import Screen
from content.model import Catalog
from domain.records import Broadcast, QuestionStats, Stats


def stats_screen(
    t: Translator,
    catalog: Catalog,
    language: str,
    stats: Stats,
    hardest: Sequence[QuestionStats],
    broadcasts: Sequence[tuple[Broadcast, dict[str, int]]],
) -> Screen:
    accuracy = round(100 * stats.correct / stats.answers) if stats.answers else 0
    lines = [
        t._("<b>Statistics</b>"),
        "",
        t._(
            "👥 Learners: {total} · active 7 days: {a7} · 30 days: {a30} · blocked: {blocked}",
            total=stats.learners,
            a7=stats.active_7,
            a30=stats.active_30,
            blocked=stats.blocked,
        ),
        t._(
            "🌍 By language: {langs}",
            langs=", ".join(f"{k} {v}" for k, v in stats.by_language.items()) or "—",
        ),
        t._(
            "📚 Lessons completed: {done} · quiz answers: {answers} ({percent}% right)",
            done=stats.lessons_completed,
            answers=stats.answers,
            percent=accuracy,
        ),
        "",
        t._("<b>Active subscriptions</b>"),
    ]
    for series_id, n in stats.subscriptions.items():
        series = catalog.series(language, series_id)
        lines.append(f"• {escape(series.series.title if series else series_id)}: {n}")
    if not stats.subscriptions:
        lines.append("—")
    lines += ["", t._("<b>Questions most learners get wrong</b>")]
    for q in hardest:
        found = catalog.lesson(language, q.lesson_id)
        title = found[1].title if found else q.lesson_id
        lines.append(
            f"⚠️ {escape(title)}, "
            + t._("question {n}", n=q.question + 1)
            + ": "
            + t._(
                "{percent}% right of {n}", percent=round(100 * q.correct / q.answers), n=q.answers
            )
        )
    if not hardest:
        lines.append(t._("none flagged (under 50% right, at least 5 answers)"))
    if broadcasts:
        lines += ["", t._("<b>Recent broadcasts</b>")]
        for broadcast, counts in broadcasts[:3]:
            lines.append(f"#{broadcast.id}: " + outcome_line(t, broadcast, counts))
    return Screen("\n".join(lines))
