"""The dashboard's HTML, rendered on the server in the viewer's language (the same gettext
catalogs as the chat: ``t._``), and the data of its charts (drawn in the browser by the
vendored Chart.js). Every dynamic value is escaped here; the page's script only inserts
these fragments and draws the charts.

Each figure a test (or a careful reader) checks carries ``data-figure="<name>"``; every chart
has its numbers in a table beside it too (screen readers, and no figure only in a picture).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any

from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Translator
from bot.render.assignments import member_word, status_word
from bot.render.kit import local_date, percent, score, short_day
from bot.services import dashboard as views
from bot.services.assignments import Status, TeamReport
from bot.services.stats import LessonFigures
from bot.services.teams import shown_mean


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _percent(t: Translator, share: float | None) -> str:
    return "–" if share is None else t._("{percent}%", percent=round(100 * share))


def _figure(name: str, value: object) -> str:
    return f'<span data-figure="{esc(name)}">{esc(value)}</span>'


def _facts(rows: Iterable[tuple[str, str, object]]) -> str:
    """A definition list of figures: (label, figure name, value)."""
    items = "".join(
        f"<div><dt>{label}</dt><dd>{_figure(name, value)}</dd></div>" for label, name, value in rows
    )
    return f'<dl class="facts">{items}</dl>'


def _table(caption: str, head: Sequence[str], rows: Iterable[Sequence[str]], name: str) -> str:
    """A table that scrolls inside its own box (the page never scrolls sideways)."""
    th = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<div class="table-wrap" tabindex="0"><table data-table="{esc(name)}">'
        f"<caption>{caption}</caption><thead><tr>{th}</tr></thead><tbody>{body}</tbody>"
        "</table></div>"
    )


def _chart(name: str, label: str) -> str:
    return (
        f'<div class="chart"><canvas id="chart-{esc(name)}" role="img" '
        f'aria-label="{esc(label)}"></canvas></div>'
    )


def chart(name: str, kind: str, labels: Sequence[object], datasets: Sequence[tuple[str, list]]):
    """A chart's data for the page's script (Chart.js)."""
    return {
        "id": f"chart-{name}",
        "type": kind,
        "labels": [str(x) for x in labels],
        "datasets": [{"label": str(label), "data": data} for label, data in datasets],
    }


# The shell: the page Telegram opens (no data: that comes with the signed requests) --------
def shell(t: Translator) -> str:
    title = t._("CX Coach dashboard")
    views_label = esc(t._("Views"))
    unauthorized = esc(
        t._(
            "This link has expired or was not opened from Telegram. Open the dashboard again "
            "from the bot: /dashboard."
        )
    )
    forbidden = esc(t._("This view is not yours to see."))
    failed = esc(t._("The dashboard could not load. Try again in a moment."))
    loading = t._("Loading…")
    needs_js = t._("The dashboard needs JavaScript.")
    return f"""<!doctype html>
<html lang="{esc(t.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="static/dashboard.css">
<script src="static/chart.umd.min.js" defer></script>
<script src="static/dashboard.js" defer></script>
</head>
<body>
<nav id="nav" aria-label="{views_label}"></nav>
<main id="app" aria-live="polite"
 data-unauthorized="{unauthorized}" data-forbidden="{forbidden}" data-failed="{failed}">
<p class="status">{loading}</p>
</main>
<noscript><p>{needs_js}</p></noscript>
</body>
</html>
"""


# Navigation and the learner's own page -----------------------------------------------------
def nav(t: Translator, me: views.Viewer) -> str:
    buttons = ['<button type="button" data-view="me">' + t._("My progress") + "</button>"]
    if me.admin:
        buttons.append('<button type="button" data-view="admin">' + t._("Admin") + "</button>")
    for team in me.teams:
        buttons.append(
            f'<button type="button" data-view="team" data-team="{team.id}">'
            + t._("Team: {name}", name=team.name)
            + "</button>"
        )
    return "".join(buttons)


STATUS = {
    "open": "⏳",
    "later": "⏳",
    "done": "✅",
    "failed": "❌",
    "not_yet": "⏸",
    "declined": "–",
}


def learner_page(t: Translator, me: views.Viewer, page: views.LearnerView) -> str:
    parts = ["<h1>" + t._("Hello, {name}!", name=me.first_name) + "</h1>"]
    mine = page.progress
    if mine is None:
        parts.append("<p>" + t._("Start the bot to see your progress here.") + "</p>")
        return "".join(parts)
    report = mine.report
    accuracy = report.accuracy
    parts.append("<section><h2>" + t._("My progress") + "</h2>")
    parts.append(
        _facts(
            [
                (t._("Lessons completed"), "my-completed", report.done),
                (t._("Lessons in all"), "my-total", report.total),
                (
                    t._("Quiz accuracy"),
                    "my-accuracy",
                    "–" if accuracy is None else t._("{percent}%", percent=accuracy),
                ),
                (t._("Streak (days)"), "my-streak", mine.streaks.current),
                (t._("Best streak (days)"), "my-best-streak", mine.streaks.best),
                (t._("Review cards due"), "my-reviews", mine.reviews_due),
            ]
        )
    )
    rows = [
        (
            esc(s.series.series.title),
            f"{s.done} / {s.total}",
            "–" if s.accuracy is None else t._("{percent}%", percent=s.accuracy),
        )
        for s in report.series
    ]
    parts.append(
        _table(
            t._("Series"),
            [t._("Series"), t._("Completed"), t._("Quiz accuracy")],
            rows,
            "my-series",
        )
    )
    parts.append("</section>")
    parts.append("<section><h2>" + t._("My journal") + "</h2>")
    entries = page.journal.page.items if page.journal is not None else ()
    tz = page.journal.tz if page.journal is not None else UTC
    if not entries:
        parts.append(
            "<p>" + t._("No actions yet: after a lesson’s quiz, take on its action.") + "</p>"
        )
    else:
        items = []
        for entry in entries:
            c = entry.commitment
            title = entry.lesson.title if entry.lesson is not None else c.lesson_id
            note = f"<br><q>{esc(c.note)}</q>" if c.note else ""
            items.append(
                f"<li>{STATUS.get(c.status, '')} {esc(title)} · "
                f"{esc(local_date(t, c.made_at, tz))}{note}</li>"
            )
        parts.append(f'<ul class="journal" data-list="journal">{"".join(items)}</ul>')
    parts.append("</section>")
    parts.append("<section><h2>" + t._("My certificates") + "</h2>")
    if not page.certificates:
        parts.append("<p>" + t._("No certificates yet: finish a series to earn one.") + "</p>")
    else:
        items = [
            f"<li>🎓 {esc(i.series.series.title)} · {i.certificate.issued_at:%Y-%m-%d} · "
            f"<code>{esc(i.certificate.code)}</code></li>"
            for i in page.certificates
        ]
        parts.append(f'<ul data-list="certificates">{"".join(items)}</ul>')
    parts.append("</section>")
    return "".join(parts)


# The admins' page ----------------------------------------------------------------------------
def _filters(t: Translator, view: views.AdminView) -> str:
    chosen = view.filters
    languages = ['<option value="">' + t._("All languages") + "</option>"] + [
        f'<option value="{code}"{" selected" if chosen.language == code else ""}>'
        f"{esc(LANGUAGE_NAMES[code])}</option>"
        for code in LANGUAGES
    ]
    series = ['<option value="">' + t._("All series") + "</option>"] + [
        f'<option value="{esc(s.id)}"{" selected" if chosen.series == s.id else ""}>'
        f"{esc(s.series.title)}</option>"
        for s in view.series
    ]
    return (
        '<form id="filters" class="filters">'
        + "<label>"
        + t._("Language")
        + f'<select name="language">{"".join(languages)}</select></label>'
        + "<label>"
        + t._("Series")
        + f'<select name="series">{"".join(series)}</select></label>'
        + "<label>"
        + t._("From")
        + f'<input type="date" name="from" value="{chosen.start}"></label>'
        + "<label>"
        + t._("To")
        + f'<input type="date" name="to" value="{chosen.end}"></label>'
        + '<button type="submit">'
        + t._("Apply")
        + "</button></form>"
    )


def _lesson_row(t: Translator, f: LessonFigures) -> list[str]:
    c = f.commitments
    flag = "⚠️ " if f.flags else ""
    usefulness = "–" if f.usefulness is None else f"{f.usefulness:.1f} ({f.raters})"
    return [
        flag + esc(f.lesson.title),
        _figure(f"readers-{f.lesson.id}", "–" if f.readers is None else f.readers),
        _figure(f"finishers-{f.lesson.id}", "–" if f.finishers is None else f.finishers),
        _figure(f"first-try-{f.lesson.id}", _percent(t, f.first_try)),
        esc(usefulness),
        "–" if c is None else esc(c.taken),
    ]


def admin_page(t: Translator, view: views.AdminView) -> tuple[str, list[dict[str, Any]]]:
    totals, activity = view.totals, view.activity
    hint = t._(
        "The language and series filter the activity, lessons and questions; the dates, "
        "those and the broadcasts (what happened in the range). The funnel counts everyone, "
        "all time: its 7- and 30-day figures follow each arrival."
    )
    parts = ["<h1>" + t._("Admin") + "</h1>", _filters(t, view), f'<p class="status">{hint}</p>']
    charts: list[dict[str, Any]] = []
    # learners and activity
    parts.append("<section><h2>" + t._("Learners and activity") + "</h2>")
    parts.append(
        _facts(
            [
                (t._("Learners in all"), "learners", totals.learners),
                (t._("Active in 7 days"), "active-7", totals.active_7),
                (t._("Active in 30 days"), "active-30", totals.active_30),
                (t._("Blocked the bot"), "blocked", totals.blocked),
                (t._("New in the range"), "new-in-range", activity.new_learners),
                (t._("Active in the range"), "active-in-range", activity.active_learners),
                (t._("Lessons completed in the range"), "completed-in-range", activity.completed),
            ]
        )
    )
    active_label, completed_label = t._("active learners"), t._("lessons completed")
    parts.append(_chart("activity", t._("Daily active learners and lessons completed")))
    charts.append(
        chart(
            "activity",
            "line",
            [d for d, _, _ in view.days],
            [
                (active_label, [a for _, a, _ in view.days]),
                (completed_label, [c for _, _, c in view.days]),
            ],
        )
    )
    rows = [(str(d), str(a), str(c)) for d, a, c in view.days if a or c]
    parts.append(
        "<details><summary>"
        + t._("Days with activity")
        + "</summary>"
        + _table(
            t._("Days with activity"), [t._("Day"), active_label, completed_label], rows, "days"
        )
        + "</details></section>"
    )
    # the funnel
    parts.append("<section><h2>" + t._("Channel funnel") + "</h2>")
    if not view.funnel:
        parts.append("<p>" + t._("No tracked sources yet: see /links and /channel.") + "</p>")
    else:
        rows = [
            (
                esc(s.title or s.name),
                _figure(f"firsts-{s.name}", s.steps.firsts),
                esc(s.steps.opened),
                esc(s.steps.quiz),
                esc(s.steps.subscribed),
            )
            for s in view.funnel
        ]
        head = [
            t._("Source"),
            t._("Started first"),
            t._("Opened a lesson"),
            t._("Finished a quiz"),
            t._("Subscribed"),
        ]
        parts.append(_table(t._("Channel funnel"), head, rows, "funnel"))
        parts.append(_chart("funnel", t._("Channel funnel")))
        top = view.funnel[:6]
        charts.append(
            chart(
                "funnel",
                "bar",
                head[1:],
                [
                    (
                        s.title or s.name,
                        [s.steps.firsts, s.steps.opened, s.steps.quiz, s.steps.subscribed],
                    )
                    for s in top
                ],
            )
        )
    parts.append("</section>")
    # broadcasts
    parts.append("<section><h2>" + t._("Broadcasts") + "</h2>")
    if not view.broadcasts:
        parts.append("<p>" + t._("No broadcasts yet.") + "</p>")
    else:
        rows = [
            (
                f"#{b.id}",
                f"{b.created_at:%Y-%m-%d %H:%M}",
                t._("channel") if b.target == "channel" else t._("learners"),
                esc(b.status),
                _figure(f"broadcast-{b.id}-sent", counts.get("sent", 0)),
                esc(counts.get("failed", 0)),
                esc(counts.get("blocked", 0)),
                esc(b.total),
            )
            for b, counts in view.broadcasts
        ]
        head = [
            t._("Broadcast"),
            t._("Created (UTC)"),
            t._("To"),
            t._("Status"),
            t._("Sent"),
            t._("Failed"),
            t._("Blocked"),
            t._("Recipients"),
        ]
        parts.append(_table(t._("Broadcasts"), head, rows, "broadcasts"))
    parts.append("</section>")
    # lessons
    parts.append("<section><h2>" + t._("Lessons") + "</h2>")
    head = [
        t._("Lesson"),
        t._("Readers"),
        t._("Finishers"),
        t._("Right at first try"),
        t._("Usefulness (ratings)"),
        t._("Commitments"),
    ]
    parts.append(_table(t._("Lessons"), head, [_lesson_row(t, f) for f in view.lessons], "lessons"))
    answered = [f for f in view.lessons if f.first_try is not None]
    if answered:
        parts.append(_chart("lessons", t._("Right at first try, per lesson")))
        charts.append(
            chart(
                "lessons",
                "bar",
                [f.lesson.title for f in answered],
                [(t._("Right at first try"), [round(100 * (f.first_try or 0)) for f in answered])],
            )
        )
    parts.append("</section>")
    # confusing questions
    parts.append("<section><h2>" + t._("Questions that confuse") + "</h2>")
    if not view.confusing:
        none = t._(
            "None: no question is answered wrongly at first by most of at least {n} learners.",
            n=views.MIN_CONFUSING,
        )
        parts.append(f"<p>{none}</p>")
    else:
        items = [
            f'<li data-question="{esc(q.figures.lesson.id)}-{q.accuracy.question + 1}">'
            f"<b>{esc(q.figures.lesson.title)}</b>, "
            + t._("question {n}", n=q.accuracy.question + 1)
            + f": {esc(q.question)}<br>"
            + t._(
                "right at first try: {right} of {answered}",
                right=q.accuracy.right,
                answered=q.accuracy.answered,
            )
            + "</li>"
            for q in view.confusing
        ]
        parts.append(f'<ol data-list="confusing">{"".join(items)}</ol>')
    parts.append("</section>")
    # exports
    names = {
        "progress": t._("Learners’ progress"),
        "lessons": t._("Lessons"),
        "comments": t._("“What was unclear”"),
        "funnel": t._("Channel funnel"),
    }
    buttons = "".join(
        f'<button type="button" data-export="{kind}">⬇️ {names[kind]} (CSV)</button>'
        for kind in views.EXPORTS
    )
    parts.append(
        "<section><h2>" + t._("Exports") + f'</h2><p class="exports">{buttons}</p></section>'
    )
    return "".join(parts), charts


def _assignments(t: Translator, report: TeamReport) -> str:
    """The team's assignments and week, worded as the team screen and the weekly digest
    word them: shares only where the rule allows, names only of members who share."""
    too_few = t._("too few answers")
    rows = []
    for item in report.assignments:
        a = item.assignment
        shares = item.shares
        cells = [
            esc(item.title),
            esc(short_day(t, a.due_on)),
            _figure(f"assignment-{a.id}-people", item.people),
        ]
        for status in Status:
            value = too_few if shares is None else percent(t, shares[status], item.people)
            cells.append(_figure(f"assignment-{a.id}-{status.name.lower()}", value))
        rows.append(cells)
    head = [t._("Series"), t._("Due"), t._("Members"), *(status_word(t, s) for s in Status)]
    parts = (
        [_table(t._("Assignments"), head, rows, "assignments")]
        if rows
        else ["<p>" + t._("No assignments yet.") + "</p>"]
    )
    named = [
        f"<li>{esc(item.title)}: "
        + t._("{name}: {done} of {n}, {status}", name=name, done=done, n=item.lessons,
              status=member_word(t, state))  # escaped by the translator
        + "</li>"
        for item in report.assignments
        for name, done, state in item.named
    ]  # fmt: skip
    if named:
        parts.append(
            "<p>" + t._("Shared by name (only members who chose to):") + "</p>"
            f'<ul data-list="named">{"".join(named)}</ul>'
        )
    accuracy, rating, week = report.accuracy, report.rating, report.week  # 3 people or none
    right = too_few if accuracy is None else percent(t, week.correct, week.answers)
    parts.append(
        _facts(
            [
                (
                    t._("Quiz answers right, last 7 days"),
                    "week-accuracy",
                    right,
                ),
                (
                    t._("Lessons’ usefulness, last 7 days"),
                    "week-rating",
                    too_few if rating is None else f"{score(t, rating)}/5",
                ),
            ]
        )
    )
    return "".join(parts)


# A manager's team --------------------------------------------------------------------------
def team_page(t: Translator, view: views.TeamDashboard) -> str:
    team, data = view.team, view.data
    too_few = t._("too few answers")
    parts = ["<h1>" + t._("Team: {name}", name=team.name) + "</h1>"]
    parts.append(
        _facts(
            [
                (t._("Members"), "members", team.members),
                (t._("Other members who finished the assessment"), "answered", data.answered),
            ]
        )
    )
    parts.append("<section><h2>" + t._("Self-assessment") + "</h2>")
    parts.append(
        "<p>"
        + t._(
            "Only averages, each from at least {n} members other than you (your own answers "
            "are left out); below that: “too few answers”.",
            n=view.minimum,
        )
        + "</p>"
    )
    rows = []
    for o in view.obstacles:
        mean = data.means.get(o.lesson.id)
        shown = too_few if mean is None else str(shown_mean(mean))
        rows.append((esc(o.lesson.title), _figure(f"mean-{o.lesson.id}", shown)))
    parts.append(
        _table(t._("Self-assessment"), [t._("Obstacle"), t._("Mean (1–5)")], rows, "assessment")
    )
    parts.append("</section>")
    parts.append("<section><h2>" + t._("Lessons") + "</h2>")
    rows = []
    for f in view.lessons:
        rows.append(
            (
                esc(f.lesson.title),
                _figure(f"readers-{f.lesson.id}", too_few if f.readers is None else f.readers),
                _figure(
                    f"first-try-{f.lesson.id}",
                    too_few if f.first_try is None else _percent(t, f.first_try),
                ),
            )
        )
    parts.append(
        _table(
            t._("Lessons"),
            [t._("Lesson"), t._("Readers"), t._("Right at first try")],
            rows,
            "team-lessons",
        )
    )
    parts.append("</section>")
    parts.append(
        '<section data-section="assignments"><h2>'
        + t._("Assignments")
        + "</h2>"
        + _assignments(t, view.report)
        + "</section>"
    )
    return "".join(parts)
