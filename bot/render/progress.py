"""The /progress screen."""

from __future__ import annotations

from bot.i18n import Translator, escape
from bot.render.kit import DONE, Screen, done_rule, lesson_counts_text, markup, menu_rows
from bot.services.progress import ProgressReport


def progress_screen(
    t: Translator,
    report: ProgressReport,
    streak: int = 0,
    best_streak: int = 0,
    reviews_due: int = 0,
) -> Screen:
    lines = [t._("<b>Your progress</b>"), ""]
    if streak or best_streak:
        lines.append(
            t.n_("🔥 Streak: {n} day in a row", "🔥 Streak: {n} days in a row", streak)
            + " · "
            + t.n_("best: {n} day", "best: {n} days", best_streak)
        )
    if reviews_due:
        lines.append(
            t.n_("🔁 {n} review card due: /review", "🔁 {n} review cards due: /review", reviews_due)
        )
    if streak or best_streak or reviews_due:
        lines.append("")
    for row in report.series:
        mark = f"{DONE} " if row.finished else ""
        lines.append(f"{mark}<b>{escape(row.series.series.title)}</b>")
        done = lesson_counts_text(t, row.counts)
        if row.accuracy is None:
            lines.append(f"  {done}")
        else:
            accuracy = t._("quiz: {percent}% right", percent=row.accuracy)
            lines.append(f"  {done} · {accuracy}")
    lines.append("")
    lines.append(t._("In all: {counts}.", counts=lesson_counts_text(t, report.counts)))
    if report.answers:
        lines.append(
            t.n_(
                "{n} quiz answer given, {percent}% of them right.",
                "{n} quiz answers given, {percent}% of them right.",
                report.answers,
                percent=report.accuracy,
            )
        )
    else:
        lines.append(t._("No quiz answers yet: open a lesson and take its quiz."))
    lines += ["", f"<i>{done_rule(t)}</i>"]
    return Screen("\n".join(lines), markup(menu_rows(t)))
