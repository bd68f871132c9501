"""The admins' /stats screen, its lessons' screens, and what /export's files are called (the
charts are drawn by ``render/chart.py``). A team's lessons (``render/teams.py``) are worded
by the same helpers, with "not enough answers yet" for what the privacy rule holds back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from babel.dates import format_date

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.broadcast import outcome_line
from bot.render.kit import WIDE_LABEL, Screen, button, markup, menu_row, pager, score, shorten
from bot.services import stats as rules
from bot.services.lessons import paginate
from bot.services.stats import Export, Flag, LessonFigures, underperformers_first
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
    rows = [
        [
            button(t._("📚 Lessons"), cb.StatsLessons(0, new=True)),
            button(t._("🔗 Sources"), cb.Sources(0, new=True)),
        ]
    ]
    return Screen("\n".join(lines), markup(rows))


def export_caption(t: Translator, export: Export) -> str:
    """What each /export file holds, under it."""
    if export.kind == "lessons":
        return t.n_(
            "{n} lesson: readers, first answers, usefulness, commitments, flags",
            "{n} lessons: readers, first answers, usefulness, commitments, flags",
            export.rows,
        )
    if export.kind == "comments":
        return t.n_(
            "{n} “what was unclear” comment (lesson, month, text; never who wrote it)",
            "{n} “what was unclear” comments (lesson, month, text; never who wrote it)",
            export.rows,
        )
    if export.kind == "funnel":
        return t.n_(
            "{n} source: channel posts, named links, invite links; their funnels (counts only)",
            "{n} sources: channel posts, named links, invite links; their funnels (counts only)",
            export.rows,
        )
    return t.n_("{n} learner", "{n} learners", export.rows)


# Lessons: the list, one lesson, the chart -------------------------------------------------
LESSONS_PER_PAGE = 8
TEXT_LIMIT = 4000  # a message's 4096 characters, with room to spare (HTML counted in full)
COMMENT_LIMIT = 300  # characters of one comment on a lesson's screen (all of it: /export)
QUESTION_LIMIT = 90  # characters of a question's text beside its figure
NONE = "—"  # no figure: nothing counted yet, or (a team's) not enough answers yet


def percent(share: float | None) -> str:
    return NONE if share is None else f"{round(100 * share)}%"


def mean(t: Translator, value: float | None) -> str:
    return NONE if value is None else score(t, value)


def figures_line(t: Translator, f: LessonFigures) -> str:
    """A lesson's key figures on one line (the legend says which is which)."""
    readers = NONE if f.readers is None else str(f.readers)
    finishers = NONE if f.finishers is None else str(f.finishers)
    ratings = f" ({f.raters})" if f.raters else ""
    c = f.commitments
    committed = NONE if c is None else f"{c.taken}/{c.declined}"
    return (
        f"👁 {readers} · 🏁 {finishers} · ⭐ {mean(t, f.usefulness)}{ratings} · "
        f"🎯 {percent(f.first_try)} · 🤝 {committed}"
    )


def legend(t: Translator) -> str:
    return t._(
        "👁 opened · 🏁 completed · ⭐ mean usefulness of 1–5 (ratings) · 🎯 first answers "
        "right · 🤝 commitments taken/declined"
    )


def flag_legend(t: Translator) -> str:
    return t._(
        "⚠️ underperforming, listed first: usefulness under {mean} from {ratings}+ ratings, "
        "a question right at the first try for under {right}% of {answers}+ learners, or "
        "under {done}% of {readers}+ readers completing it.",
        mean=score(t, rules.LOW_USEFULNESS),
        ratings=rules.MIN_RATINGS,
        right=round(100 * rules.HARD_QUESTION),
        answers=rules.MIN_FIRST_ANSWERS,
        done=round(100 * rules.FEW_FINISHERS),
        readers=rules.MIN_READERS,
    )


def flag_text(t: Translator, flag: Flag) -> str:
    if flag is Flag.USEFULNESS:
        return t._(
            "mean usefulness under {mean} (from at least {n} ratings)",
            mean=score(t, rules.LOW_USEFULNESS),
            n=rules.MIN_RATINGS,
        )
    if flag is Flag.QUESTION:
        return t._(
            "a question right at the first try for under {percent}% of learners (at least {n} "
            "answered)",
            percent=round(100 * rules.HARD_QUESTION),
            n=rules.MIN_FIRST_ANSWERS,
        )
    return t._(
        "under {percent}% of its readers completed it (at least {n} readers)",
        percent=round(100 * rules.FEW_FINISHERS),
        n=rules.MIN_READERS,
    )


def lesson_list(
    t: Translator,
    lessons: Sequence[LessonFigures],
    page: int,
    title: str,
    open_one: Callable[[str, int], cb.Callback],
    open_page: Callable[[int], cb.Callback],
    notes: Sequence[str] = (),
) -> tuple[list[str], list[list]]:
    """The lines and buttons of a page of lessons, the flagged ones first: each lesson's
    title and key figures (after the legend and ``notes``), a button to open it, the pager."""
    shown = paginate(underperformers_first(lessons), page, LESSONS_PER_PAGE)
    lines = [
        title,
        t._("Page {page} of {pages}", page=shown.number + 1, pages=shown.count),
        "",
        legend(t),
        flag_legend(t),
        *notes,
    ]
    rows = []
    for f in shown.items:
        mark = "⚠️ " if f.flags else ""
        lines += ["", f"{mark}<b>{escape(f.lesson.title)}</b>", figures_line(t, f)]
        label = shorten(f"{mark or '📖 '}{f.lesson.title}", WIDE_LABEL)
        rows.append([button(label, open_one(f.lesson.id, shown.number))])
    rows.append(pager(t, shown, open_page))
    return lines, rows


def lessons_screen(t: Translator, lessons: Sequence[LessonFigures], page: int) -> Screen:
    """/stats → 📚 Lessons: every lesson's key figures over all learners, a page at a time,
    the underperforming ones first."""
    title = t._("📚 <b>Lessons</b>, all learners")
    lines, rows = lesson_list(t, lessons, page, title, cb.StatsLesson, cb.StatsLessons)
    rows.append([button(t._("📈 Chart"), cb.StatsChart()), *menu_row(t)])
    return Screen("\n".join(lines), markup(rows))


def month_text(t: Translator, month: date) -> str:
    return format_date(month, "LLL y", locale=t.lang)


def lesson_lines(t: Translator, f: LessonFigures, hidden: str) -> list[str]:
    """One lesson's figures, line by line; ``hidden`` words a figure held back."""
    lines = [
        f"📖 <b>{escape(f.lesson.title)}</b>",
        f"<i>{escape(f.series.series.title)}</i>",
        "",
    ]
    if f.readers is None or f.finishers is None:
        lines.append(t._("👁 Opened: {value}", value=hidden))
    else:
        share = percent(f.finishers / f.readers) if f.readers else NONE
        lines.append(
            t._(
                "👁 Opened: {readers} · 🏁 completed: {finishers} ({share})",
                readers=f.readers,
                finishers=f.finishers,
                share=share,
            )
        )
    if f.raters is None:
        lines.append(t._("⭐ Usefulness: {value}", value=hidden))
    elif f.usefulness is None:
        lines.append(t._("⭐ Usefulness: no ratings yet"))
    else:
        lines.append(
            t.n_(
                "⭐ Usefulness: {mean} of 5, from {n} rating",
                "⭐ Usefulness: {mean} of 5, from {n} ratings",
                f.raters,
                mean=score(t, f.usefulness),
            )
        )
    lines += ["", t._("🎯 <b>First answers right</b> (each learner’s first try at a question):")]
    for number, q in enumerate(f.questions, start=1):
        text = escape(shorten(f.lesson.quiz[number - 1].question, QUESTION_LIMIT))
        if q is None:
            value = hidden
        elif not q.answered:
            value = t._("no answers yet")
        else:
            value = t.n_("{percent} of {n} learner", "{percent} of {n} learners", q.answered,
                         percent=percent(q.share))  # fmt: skip
        lines.append(f"{number}. {text} — {value}{' ⚠️' if q is not None and q.hard else ''}")
    c = f.commitments
    lines.append("")
    if c is None:
        lines.append(t._("🤝 Commitments: {value}", value=hidden))
    else:
        lines.append(
            t._(
                "🤝 Commitments: {taken} taken, {declined} declined; of those taken: done "
                "{done}, didn’t work {failed}, not yet {not_yet}, still open {open}",
                taken=c.taken,
                declined=c.declined,
                done=c.done,
                failed=c.failed,
                not_yet=c.not_yet,
                open=c.still_open,
            )
        )
    if f.flags:
        lines += ["", t._("⚠️ <b>Underperforming:</b>")]
        lines += [f"• {flag_text(t, flag)}" for flag in f.flags]
    return lines


def comment_lines(
    t: Translator, f: LessonFigures, lines: list[str], hidden: str, heading: str
) -> list[str]:
    """The comments after ``lines``, as many as fit a message, each cut to a few lines; the
    text is the learner's, shown as plain text (escaped)."""
    if f.comments is None:
        return [*lines, "", heading, hidden]
    if not f.comments:
        return [*lines, "", heading, t._("none yet")]
    out = [*lines, "", heading]
    used = sum(len(line) + 1 for line in out)
    shown = 0
    for comment in f.comments:
        line = f"• {escape(shorten(comment.text, COMMENT_LIMIT))}"
        if comment.month is not None:
            line += f" <i>({escape(month_text(t, comment.month))})</i>"
        if used + len(line) + 1 > TEXT_LIMIT - 60:  # room for the "more" line
            break
        out.append(line)
        used += len(line) + 1
        shown += 1
    if (rest := max(f.commenters, len(f.comments)) - shown) > 0:
        out.append(t.n_("… and {n} more", "… and {n} more", rest))
    return out


def lesson_screen(t: Translator, figures: LessonFigures, page: int) -> Screen:
    """/stats → 📚 Lessons → a lesson: every figure over all learners, the flags, and the
    latest "what was unclear" comments."""
    lines = lesson_lines(t, figures, NONE)
    heading = t._("💬 <b>What was unclear</b> (the latest first; all of them in /export):")
    lines = comment_lines(t, figures, lines, NONE, heading)
    rows = [[button(t._("⬅️ Lessons"), cb.StatsLessons(page)), *menu_row(t)]]
    return Screen("\n".join(lines), markup(rows))


ChartRow = tuple[str, float | None, float | None]  # a lesson's title, usefulness, first try


def lessons_chart_args(
    t: Translator, lessons: Sequence[LessonFigures]
) -> tuple[list[ChartRow], tuple[str, str, str], tuple[float, float]]:
    """What ``chart.lessons_chart`` draws: per lesson (in the order given) its title, mean
    usefulness and first-try share; the title and panel names; where flagging starts."""
    rows = [(f.lesson.title, f.usefulness, f.first_try) for f in lessons]
    labels = (
        t._("CX Coach: lessons"),
        t._("mean usefulness (1–5)"),
        t._("first answers right (%)"),
    )
    return rows, labels, (rules.LOW_USEFULNESS, rules.HARD_QUESTION)


def lessons_chart_caption(t: Translator) -> str:
    return t._(
        "📈 Per lesson, all learners: mean usefulness, and the share of first answers that "
        "were right (each learner’s first try). Dashed: where a lesson is flagged. No bar: "
        "no figures yet."
    )
