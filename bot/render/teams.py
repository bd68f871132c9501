"""Screens of /team: created, my teams, joining by link, the manager's results (aggregates
only), leaving and deleting."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, tzinfo

from babel.dates import get_day_names

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.assessment import continue_button
from bot.render.assignments import report_lines
from bot.render.kit import (
    HALF_LABEL,
    WIDE_LABEL,
    Screen,
    button,
    local_date,
    markup,
    menu_row,
    score,
    short_day,
    shorten,
)
from bot.render.stats import lesson_lines, lesson_list
from bot.services.assessment import GroupScore, Obstacle
from bot.services.stats import LessonFigures
from bot.services.teams import MIN_SPREAD, MIN_TEAM, Role, TeamAggregate, TeamView
from domain.records import Assessment, Team


def teams_row(t: Translator) -> list:
    return [button(t._("👥 My teams"), cb.Teams()), button(t._("🏠 Menu"), cb.Menu())]


def team_created_screen(t: Translator, team: Team, link: str) -> Screen:
    return Screen(
        "\n".join(
            [
                t._("👥 Your team <b>{name}</b> is ready.", name=team.name),
                t._("Share this link; whoever opens it joins the team and takes the assessment:"),
                escape(link),
                t.n_(
                    "Results appear once {n} member other than you has answered; "
                    "individual answers are never shown, and yours are left out.",
                    "Results appear once {n} members other than you have answered; "
                    "individual answers are never shown, and yours are left out.",
                    MIN_TEAM,
                ),
            ]
        ),
        markup([[button(t._("📊 Team results"), cb.TeamAction("r", team.id))], teams_row(t)]),
    )


def team_usage_screen(t: Translator) -> Screen:
    return Screen(t._("Create a team with <code>/team new Team name</code>."))


def team_name_taken_screen(t: Translator, name: str) -> Screen:
    return Screen(
        t._(
            "You already have a team named <b>{name}</b>. Give the new one a name of its own, "
            "so that you and its members can tell them apart: "
            "<code>/team new Team name</code>.",
            name=name,
        ),
        markup([teams_row(t)]),
    )


def teams_screen(
    t: Translator,
    teams: Sequence[Team],
    user_id: int,
    managed: Collection[int] = (),
    notice: str | None = None,
) -> Screen:
    """The teams one manages or belongs to, one button each to its own screen; ``notice``
    heads it after a change."""
    head = [notice, ""] if notice else []
    if not teams:
        return Screen("\n".join([*head, team_usage_screen(t).text]), markup([menu_row(t)]))
    lines = [*head, t._("<b>Your teams</b>"), ""]
    rows = []
    for team in teams:
        lines.append(
            f"👥 <b>{escape(team.name)}</b> — {escape(_role_word(t, team, user_id, managed))}, "
            + t.n_("{n} member", "{n} members", team.members)
        )
        label = shorten(t._("👥 {name}", name=team.name), WIDE_LABEL)
        rows.append([button(label, cb.TeamOpen(team.id))])
    lines += ["", team_usage_screen(t).text]
    rows.append(menu_row(t))
    return Screen("\n".join(lines), markup(rows))


def _role_word(t: Translator, team: Team, user_id: int, managed: Collection[int]) -> str:
    if team.manager_id == user_id:
        return t._("manager")
    return t._("co-manager") if team.id in managed else t._("member")


def team_screen(t: Translator, view: TeamView, link: str) -> Screen:
    """One team: the viewer's role, its members' count and the viewer's actions; managers
    also see its link and the members who chose to share their progress by name; the owner,
    when asked, its members by first name to choose co-managers from."""
    team, role = view.team, view.role
    assert team is not None and role is not None
    lines = [notice] if (notice := _notice(t, view)) else []
    lines += [
        t._("👥 <b>{name}</b>", name=team.name),
        t.n_("{n} member", "{n} members", team.members),
        {
            Role.OWNER: t._("You manage this team."),
            Role.MANAGER: t._("You co-manage this team: you see what its manager sees."),
            Role.MEMBER: t._("You are a member of this team."),
        }[role],
    ]
    rows: list[list] = []
    if role is not Role.MEMBER:
        lines += ["", t._("Link to join:"), escape(link), ""]
        lines.append(t._("<b>Progress shared by name</b> (only members who chose to share it):"))
        lines += [
            "• "
            + t.n_(
                "{name}: {n} lesson completed",
                "{name}: {n} lessons completed",
                done,
                name=name,
            )
            for name, done in view.sharers or []
        ] or [t._("nobody yet")]
        if view.report is not None:
            lines += ["", *report_lines(t, view.report)]
        rows.append(
            [
                button(t._("📌 Assignments"), cb.AssignMenu(team.id)),
                button(_digest_label(t, view.digest_day), cb.DigestDay(team.id)),
            ]
        )
        rows.append(
            [
                button(t._("📊 Team results"), cb.TeamAction("r", team.id)),
                button(t._("📚 Lessons"), cb.TeamLessons(team.id, 0, new=True)),
            ]
        )
    if role is Role.OWNER:
        rows += _members_rows(t, view)
        rows.append(
            [
                button(t._("👥 Co-managers"), cb.TeamManager("m", team.id)),
                button(t._("🗑 Delete"), cb.TeamAction("d", team.id)),
            ]
        )
    else:
        lines += ["", _sharing_line(t, view.sharing)]
        share = (
            button(t._("🙈 Stop sharing my progress"), cb.TeamShare(team.id, False))
            if view.sharing
            else button(t._("🙋 Share my progress"), cb.TeamShare(team.id, True))
        )
        rows.append([share])
        leave = [button(t._("🚪 Leave"), cb.TeamAction("l", team.id))]
        if role is Role.MANAGER:
            leave.insert(0, button(t._("↩️ Stop co-managing"), cb.TeamManager("x", team.id, 0)))
        rows.append(leave)
    if view.members is not None:
        lines += ["", *_members_lines(t, view)]
    rows.append(teams_row(t))
    return Screen("\n".join(lines), markup(rows))


def _digest_label(t: Translator, day: int | None) -> str:
    if day is None:
        return t._("🗓 Weekly digest: off")
    return t._("🗓 Digest: {day}", day=get_day_names("abbreviated", locale=t.lang)[day])


def _sharing_line(t: Translator, sharing: bool) -> str:
    if sharing:
        return t._(
            "🙋 You share your progress with this team’s managers: they see your first name, "
            "how many lessons you completed and whether you are on track with the team’s "
            "assignments. You can stop at any time."
        )
    return t._(
        "Your progress is not shared by name. If you share it, this team’s managers see your "
        "first name, how many lessons you completed and whether you are on track with the "
        "team’s assignments (nothing else); you can stop at any time."
    )


def _members_lines(t: Translator, view: TeamView) -> list[str]:
    team = view.team
    assert team is not None
    lines = [t._("<b>Co-managers</b> see the team’s results and lessons as you do.")]
    others = [(i, name, m) for i, name, m in view.members or [] if i != team.manager_id]
    if not others:
        lines.append(t._("Nobody else has joined yet: share the link first."))
    else:
        lines.append(
            t._("➕ makes a member a co-manager, ➖ takes it back, 🤝 hands the team over.")
        )
    return lines


def _members_rows(t: Translator, view: TeamView) -> list[list]:
    team = view.team
    assert team is not None
    if view.target is not None:
        who, name = view.target
        return [
            [button(t._("🤝 Hand over, stay co-manager"), cb.TeamManager("hs", team.id, who))],
            [button(t._("🤝 Hand over and stop managing"), cb.TeamManager("hl", team.id, who))],
            [button(t._("✖️ Cancel"), cb.TeamOpen(team.id))],
        ]
    rows = []
    for who, name, manager in view.members or []:
        if who == team.manager_id:
            continue
        if manager:
            rows.append(
                [
                    button(shorten(f"➖ {name}", HALF_LABEL), cb.TeamManager("x", team.id, who)),
                    button(shorten(f"🤝 {name}", HALF_LABEL), cb.TeamManager("h", team.id, who)),
                ]
            )
        else:
            rows.append(
                [button(shorten(f"➕ {name}", WIDE_LABEL), cb.TeamManager("a", team.id, who))]
            )
    return rows


def _notice(t: Translator, view: TeamView) -> str | None:
    team = view.team
    assert team is not None
    if view.notice == "ask hand-over" and view.target is not None:
        return (
            t._(
                "🤝 Hand the team <b>{team}</b> over to {name}? They become its manager (only they "
                "can then delete it or choose co-managers). You can stay a co-manager or stop "
                "managing it; either way you stay a member.",
                team=team.name,
                name=view.target[1],
            )
            + "\n"
        )
    return {
        "added": t._("➕ Co-manager added."),
        "removed": t._("➖ Co-manager removed."),
        "stepped down": t._("↩️ You no longer co-manage this team."),
        "handed over": t._("🤝 The team is handed over."),
        "shared": t._("🙋 Your progress is now shared with the team’s managers."),
        "unshared": t._("🙈 Your progress is no longer shared."),
    }.get(view.notice or "")


def joined_screen(
    t: Translator,
    team: Team,
    new: bool,
    unfinished: Assessment | None,
    latest_at: datetime | None,
    total: int,
    other_teams: Sequence[Team],
    tz: tzinfo,
    assigned: Sequence[tuple[str, date]] = (),
) -> Screen:
    """After a team's link: what happens to the learner's assessment, and the way on; the
    team's assignments the learner now takes.

    In progress: it is kept and counts once finished. Finished: the latest counts already
    (a retake replaces it). None yet: an invitation to take it.
    """
    head = (
        t._("👥 You joined the team <b>{name}</b>.", name=team.name)
        if new
        else t._("👥 You are already in the team <b>{name}</b>.", name=team.name)
    )
    lines = [head, t._("Your manager sees only the team’s averages, never your answers.")]
    if unfinished is not None:
        done = len(unfinished.ratings)
        lines.append(
            t._(
                "Your self-assessment in progress is kept ({done} of {n} rated): finish it, "
                "and it counts for the team.",
                done=done,
                n=total,
            )
        )
        rows = [[continue_button(t, done, total)]]
    elif latest_at is not None:
        lines.append(
            t._(
                "Your latest self-assessment ({date}) already counts for the team. If things "
                "have changed since, take it again: your newest one counts.",
                date=local_date(t, latest_at, tz),
            )
        )
        rows = [[button(t._("📋 Take it again"), cb.AssessStart(True))], menu_row(t)]
    else:
        lines.append(t._("Take the self-assessment now; it takes about three minutes."))
        rows = [[button(t._("📋 Start the assessment"), cb.AssessStart(True))]]
    if other_teams:
        names = ", ".join(f"<b>{escape(other.name)}</b>" for other in other_teams)
        lines.append(
            t.n_(
                "The same assessment counts for your other team too: {names}.",
                "The same assessment counts for your other teams too: {names}.",
                len(other_teams),
                names=Safe(names),
            )
        )
    for title, due_on in assigned:
        lines.append(
            t._(
                "📌 The team assigned <b>{title}</b>, due {day}: its lessons come in your daily "
                "slot (/subscriptions).",
                title=title,
                day=short_day(t, due_on),
            )
        )
    return Screen("\n".join(lines), markup(rows))


def team_lessons_row(t: Translator, team: Team) -> list:
    """The way from a team's results to its figures per lesson."""
    return [button(t._("📚 Lessons"), cb.TeamLessons(team.id, 0, new=True))]


def team_waiting_screen(t: Translator, team: Team, answered: int) -> Screen:
    """No obstacle has answers from ``MIN_TEAM`` others yet: no figures at all."""
    return Screen(
        t._(
            "👥 <b>{name}</b>: {answered} of the {needed} answers needed so far, not counting "
            "yours. Results stay hidden until then, so that nobody’s answers can be singled out.",
            name=team.name,
            answered=min(answered, MIN_TEAM),
            needed=MIN_TEAM,
        ),
        markup([team_lessons_row(t, team), teams_row(t)]),
    )


def team_chart_title(t: Translator, team: Team) -> str:
    return t._("{name}: obstacles by group (1–5)", name=team.name)


def team_caption(t: Translator, team: Team) -> str:
    return t._(
        "📊 <b>{name}</b>: the team’s mean for each group of obstacles, from 1 (not true of "
        "the company at all) to 5 (very true), without your own answers.",
        name=team.name,
    )


def team_result_screen(
    t: Translator,
    team: Team,
    data: TeamAggregate,
    groups: Sequence[GroupScore],
    strongest: Sequence[Obstacle],
    too_few: Sequence[Obstacle] = (),
) -> Screen:
    """Only what ``rules.aggregate`` lets through: means from 3 others, agreement from 5."""
    not_yet = t._("not enough answers yet")
    lines = [
        t.n_(
            "📊 <b>{name}</b>: {n} member answered, not counting you",
            "📊 <b>{name}</b>: {n} members answered, not counting you",
            data.answered,
            name=team.name,
        ),
        "",
    ]
    for group in groups:
        value = f"{score(t, group.mean)}/5" if group.mean else not_yet
        lines.append(f"• {escape(group.series.series.title)}: {value}")
    if strongest:
        lines += ["", t._("<b>The team’s strongest obstacles</b> (mean of 1–5)")]
        for number, o in enumerate(strongest, start=1):
            lesson_id = o.lesson.id
            line = f"{number}. <b>{escape(o.lesson.title)}</b>: {score(t, data.means[lesson_id])}"
            if lesson_id in data.agree:
                line += ", " + (
                    t._("answers mostly agree") if data.agree[lesson_id] else t._("answers differ")
                )
            lines.append(line)
        if any(o.lesson.id not in data.agree for o in strongest):
            lines.append(
                t.n_(
                    "Whether the answers agree is shown once {n} person other than you has rated "
                    "an obstacle.",
                    "Whether the answers agree is shown once {n} people other than you have rated "
                    "an obstacle.",
                    MIN_SPREAD,
                )
            )
        lines += ["", t._("<b>Suggested plan:</b> the whole team takes these series:")]
        seen = []
        for o in strongest:
            if o.series.id not in seen:
                seen.append(o.series.id)
                lines.append(f"• {escape(o.series.series.title)}")
    if too_few:
        lines += ["", t._("<b>Not enough answers yet</b> for:")]
        lines += [f"• {escape(o.lesson.title)}" for o in too_few]
        lines.append(
            t.n_(
                "Each obstacle shows once {n} person other than you has rated it.",
                "Each obstacle shows once {n} people other than you have rated it.",
                MIN_TEAM,
            )
        )
    return Screen("\n".join(lines), markup([team_lessons_row(t, team), teams_row(t)]))


def team_privacy_line(t: Translator) -> str:
    return t.n_(
        "A figure shows once {n} person other than you has contributed to it; your own "
        "answers never count.",
        "A figure shows once {n} people other than you have contributed to it; your own "
        "answers never count.",
        MIN_TEAM,
    )


def team_lessons_screen(
    t: Translator, team: Team, lessons: Sequence[LessonFigures], page: int
) -> Screen:
    """A team's figures per lesson, from the members other than the manager, each only
    where the privacy rule allows (— otherwise); the underperforming lessons first."""
    title = t._("📚 <b>{name}</b>: lessons, members other than you", name=team.name)
    lines, rows = lesson_list(
        t,
        lessons,
        page,
        title,
        lambda lesson_id, number: cb.TeamLesson(team.id, lesson_id, number),
        lambda number: cb.TeamLessons(team.id, number),
        [
            t.n_(
                "—: not enough answers yet (a figure shows once {n} person other than you has "
                "contributed to it; your own answers never count)",
                "—: not enough answers yet (a figure shows once {n} people other than you have "
                "contributed to it; your own answers never count)",
                MIN_TEAM,
            )
        ],
    )
    rows.append(teams_row(t))
    return Screen("\n".join(lines), markup(rows))


def team_lesson_screen(t: Translator, team: Team, figures: LessonFigures, page: int) -> Screen:
    """One lesson's figures for a team (members other than the manager), each only where
    the privacy rule allows; never the members' own words."""
    hidden = t._("not enough answers yet")
    lines = [t._("👥 <b>{name}</b>, members other than you", name=team.name), ""]
    lines += lesson_lines(t, figures, hidden)
    lines += ["", team_privacy_line(t)]
    rows = [[button(t._("⬅️ Lessons"), cb.TeamLessons(team.id, page))], teams_row(t)]
    return Screen("\n".join(lines), markup(rows))


def team_delete_screen(t: Translator, team: Team) -> Screen:
    return Screen(
        t.n_(
            "Delete the team <b>{name}</b> ({n} member) for everyone? Everyone keeps their own "
            "assessments; the team and its results are gone for good.",
            "Delete the team <b>{name}</b> ({n} members) for everyone? Everyone keeps their own "
            "assessments; the team and its results are gone for good.",
            team.members,
            name=team.name,
        ),
        markup(
            [
                [button(t._("🗑 Yes, delete"), cb.TeamAction("dd", team.id))],
                [button(t._("✖️ Cancel"), cb.Teams())],
            ]
        ),
    )


def team_leave_screen(t: Translator, team: Team) -> Screen:
    return Screen(
        t._(
            "Leave the team <b>{name}</b>? Your answers will no longer count in its averages.",
            name=team.name,
        ),
        markup(
            [
                [button(t._("🚪 Yes, leave"), cb.TeamAction("ll", team.id))],
                [button(t._("✖️ Cancel"), cb.Teams())],
            ]
        ),
    )


def team_deleted_notice(t: Translator, team: Team) -> str:
    return t._("🗑 The team <b>{name}</b> is deleted.", name=team.name)


def team_left_notice(t: Translator, team: Team) -> str:
    return t._("🚪 You left the team <b>{name}</b>.", name=team.name)


def not_in_team_screen(t: Translator) -> Screen:
    return Screen(t._("You are not in this team."), markup([teams_row(t)]))


def not_manager_screen(t: Translator) -> Screen:
    return Screen(t._("Only the team’s manager can see its results."), markup([teams_row(t)]))
