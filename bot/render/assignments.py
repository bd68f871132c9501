"""A team's assignments: the figures a manager sees (the team screen and the weekly digest
word them alike), the series to assign, the due dates, withdrawing one."""

from __future__ import annotations

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.kit import (
    WIDE_LABEL,
    Screen,
    button,
    markup,
    percent,
    score,
    short_day,
    shorten,
)
from bot.services.assignments import (
    DUE_WEEKS,
    MIN_TEAM,
    AssignmentFigures,
    AssignOutcome,
    Status,
    Step,
    TeamReport,
)

ICONS = {Status.DONE: "✅", Status.ON_TRACK: "🟢", Status.BEHIND: "⚠️"}


def status_word(t: Translator, status: Status) -> str:
    return {
        Status.DONE: t._("done"),
        Status.ON_TRACK: t._("on track"),
        Status.BEHIND: t._("behind"),
    }[status]


def member_word(t: Translator, status: Status) -> str:
    """One member's status, beside their name (they chose to share it)."""
    return {
        Status.DONE: t._("finished"),
        Status.ON_TRACK: t._("on pace"),
        Status.BEHIND: t._("falling behind"),
    }[status]


def assignment_lines(t: Translator, item: AssignmentFigures) -> list[str]:
    """One assignment: its due date; the shares (or why not yet); the members named who
    chose to share their progress."""
    lines = [
        t._(
            "📌 <b>{title}</b> — due {day}",
            title=item.title,
            day=short_day(t, item.assignment.due_on),
        )
    ]
    if item.shares is not None:
        shares = " · ".join(
            f"{ICONS[s]} {percent(t, item.shares[s], item.people)} {escape(status_word(t, s))}"
            for s in Status
        )
        lines.append(
            "    " + shares + " " + t.n_("(of {n} member)", "(of {n} members)", item.people)
        )
    elif item.people < MIN_TEAM:
        lines.append(
            "    "
            + t.n_(
                "Shares show once {n} member other than you takes it.",
                "Shares show once {n} members other than you take it.",
                MIN_TEAM,
            )
        )
    else:  # 1 or 2 who do not share could be told apart from the named ones
        lines.append(
            "    "
            + t._(
                "Shares are hidden: too few members keep their progress to themselves for "
                "the figures not to give them away."
            )
        )
    for name, done, state in item.named:
        lines.append(
            "    🙋 "
            + t._(
                "{name}: {done} of {n}, {status}",
                name=name,
                done=done,
                n=item.lessons,
                status=member_word(t, state),
            )
        )
    return lines


def report_lines(t: Translator, report: TeamReport) -> list[str]:
    """What the team's managers see of its learning: assignments, the week, the obstacles."""
    lines = [t._("<b>Assignments</b>")]
    if not report.assignments:
        lines.append(t._("None yet: “📌 Assign a series” gives the team one with a due date."))
    for item in report.assignments:
        lines += assignment_lines(t, item)
    lines += ["", t._("<b>The last 7 days</b> (members other than you)")]
    not_yet = t.n_("not enough yet (from {n} person)", "not enough yet (from {n} people)", MIN_TEAM)
    accuracy = report.accuracy
    rating = report.rating
    lines.append(
        t._(
            "🎯 Quiz answers right: {value}",
            value=percent(t, report.week.correct, report.week.answers)
            if accuracy is not None
            else not_yet,
        )
    )
    lines.append(
        t._(
            "⭐ Lessons’ usefulness: {value}",
            value=f"{score(t, rating)}/5" if rating is not None else not_yet,
        )
    )
    lines += ["", t._("<b>Strongest obstacles</b> (latest self-assessments)")]
    if report.strongest:
        lines += [
            f"{number}. {escape(o.lesson.title)}: {score(t, mean)}"
            for number, (o, mean) in enumerate(report.strongest, start=1)
        ]
    else:
        lines.append(
            t.n_(
                "not enough answers yet (from {n} person)",
                "not enough answers yet (from {n} people)",
                MIN_TEAM,
            )
        )
    return lines


def assign_menu_screen(t: Translator, outcome: AssignOutcome) -> Screen:
    """The team's assignments (✖️ withdraws one) and the series to assign."""
    team = outcome.team
    assert team is not None
    lines = [t._("📌 <b>{name}</b>: assignments", name=team.name), ""]
    if outcome.step is Step.ASSIGNED:
        lines = [assigned_notice(t, outcome), "", *lines]
    rows = []
    titles = {s.id: s for s in outcome.series}
    if outcome.assignments:
        for item in outcome.assignments:
            series = titles.get(item.series_id)
            title = series.series.title if series else item.series_id
            lines.append(
                t._("• <b>{title}</b> — due {day}", title=title, day=short_day(t, item.due_on))
            )
            short = series.series.short_title if series else item.series_id
            rows.append(
                [
                    button(
                        shorten(t._("✖️ Withdraw: {title}", title=short), WIDE_LABEL),
                        cb.AssignCancel(team.id, item.id),
                    )
                ]
            )
        lines.append("")
    lines.append(
        t._(
            "Choose a series to assign. Every member but the team’s managers gets it as a "
            "subscription, one lesson a day in their own slot, and one reminder before the due "
            "date if they fall behind. Assigning a series again moves its due date."
        )
    )
    for series in outcome.series:
        label = shorten("➕ " + series.series.short_title, WIDE_LABEL)
        rows.append([button(label, cb.AssignSeries(team.id, series.id))])
    rows.append([button(t._("↩️ Back to the team"), cb.TeamOpen(team.id))])
    return Screen("\n".join(lines), markup(rows))


def pick_due_screen(t: Translator, outcome: AssignOutcome) -> Screen:
    team, series = outcome.team, outcome.chosen
    assert team is not None and series is not None
    text = t.n_(
        "📌 Assign <b>{title}</b> ({n} lesson) to <b>{team}</b>. When is it due?",
        "📌 Assign <b>{title}</b> ({n} lessons) to <b>{team}</b>. When is it due?",
        len(series.lessons),
        title=series.series.title,
        team=team.name,
    )
    rows = []
    for weeks, day in zip(DUE_WEEKS, outcome.dates, strict=True):
        label = t.n_("{day} (in {n} week)", "{day} (in {n} weeks)", weeks, day=short_day(t, day))
        rows.append([button(label, cb.AssignDue(team.id, series.id, weeks))])
    rows.append([button(t._("✖️ Cancel"), cb.AssignMenu(team.id))])
    return Screen(text, markup(rows))


def assigned_notice(t: Translator, outcome: AssignOutcome) -> str:
    series, assignment = outcome.chosen, outcome.assignment
    assert series is not None and assignment is not None
    return t.n_(
        "📌 <b>{title}</b> is assigned, due {day}: {n} member gets it in their daily slot.",
        "📌 <b>{title}</b> is assigned, due {day}: {n} members get it in their daily slot.",
        outcome.members,
        title=series.series.title,
        day=short_day(t, assignment.due_on),
    )


def cancel_screen(t: Translator, outcome: AssignOutcome) -> Screen:
    team, assignment = outcome.team, outcome.assignment
    assert team is not None and assignment is not None
    title = outcome.chosen.series.title if outcome.chosen else assignment.series_id
    text = t._(
        "Withdraw <b>{title}</b> from <b>{team}</b>? Members keep the subscription and their "
        "progress; no reminder comes and it leaves the digest.",
        title=title,
        team=team.name,
    )
    rows = [
        [button(t._("✖️ Withdraw"), cb.AssignCancel(team.id, assignment.id, True))],
        [button(t._("↩️ Keep it"), cb.AssignMenu(team.id))],
    ]
    return Screen(text, markup(rows))
