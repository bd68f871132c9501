"""Screens of the self-assessment, teams and /mydata."""

from __future__ import annotations

from collections.abc import Sequence

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.screens import Screen, _button, _markup
from bot.services.assessment import MIN_TEAM, RATINGS, GroupScore, Obstacle, TeamAggregate
from storage.base import Assessment, Team


def intro_screen(t: Translator, unfinished: Assessment | None, total: int) -> Screen:
    lines = [
        t._("📋 <b>Self-assessment</b>"),
        t._(
            "Rate how strongly each of the {n} obstacles holds your company back: "
            "1 — not at all, 5 — strongly. About three minutes; you can stop and go on later.",
            n=total,
        ),
    ]
    if unfinished is None:
        return Screen("\n".join(lines), _markup([[_button(t._("▶️ Start"), cb.AssessStart(True))]]))
    done = len(unfinished.ratings)
    rows = [
        [_button(t._("▶️ Continue ({done}/{n})", done=done, n=total), cb.AssessStart(False))],
        [_button(t._("🔄 Start over"), cb.AssessStart(True))],
    ]
    return Screen("\n".join(lines), _markup(rows))


def obstacle_screen(
    t: Translator, assessment: Assessment, obstacle: Obstacle, total: int
) -> Screen:
    current = assessment.ratings.get(obstacle.lesson.id)
    lines = [
        t._(
            "📋 Obstacle {i} of {n} · <i>{series}</i>",
            i=obstacle.index + 1,
            n=total,
            series=obstacle.series.series.title,
        ),
        "",
        f"<b>{escape(obstacle.lesson.title)}</b>",
        f"<i>{escape(obstacle.lesson.symptom)}</i>",
        "",
        t._("How true is this of your company? 1 — not at all, 5 — very much."),
    ]
    ratings = [
        _button(f"{'✅' if current == r else ''}{r}", cb.Rate(assessment.id, obstacle.index, r))
        for r in RATINGS
    ]
    nav = []
    if obstacle.index > 0:
        nav.append(_button(t._("⬅️ Back"), cb.RateBack(assessment.id, obstacle.index - 1)))
    nav.append(_button(t._("⏸ Continue later"), cb.AssessLater(assessment.id)))
    return Screen("\n".join(lines), _markup([ratings, nav]))


def later_screen(t: Translator, done: int, total: int) -> Screen:
    return Screen(
        t._("Saved: {done} of {n} rated. /assess goes on where you stopped.", done=done, n=total)
    )


def result_screen(
    t: Translator,
    groups: Sequence[GroupScore],
    strongest: Sequence[Obstacle],
    ratings: dict[str, int],
    previous: Sequence[GroupScore] | None,
    subscribed: set[str],
) -> Screen:
    lines = [t._("📋 <b>Your assessment</b>"), ""]
    for index, group in enumerate(groups):
        change = ""
        if previous is not None and previous[index].mean:
            delta = group.mean - previous[index].mean
            change = f" ({'+' if delta >= 0 else ''}{delta:.1f})"
        lines.append(f"• {escape(group.series.series.title)}: {group.mean:.1f}/5{change}")
    rows = []
    if strongest:
        lines += ["", t._("<b>What holds you back most</b>")]
        for number, o in enumerate(strongest, start=1):
            lines.append(
                f"{number}. <b>{escape(o.lesson.title)}</b> ({ratings[o.lesson.id]}/5) — "
                + Safe(o.lesson.key_idea)
            )
            rows.append(
                [_button(t._("📖 {title}", title=o.lesson.title), cb.OpenLesson(o.lesson.id))]
            )
        lines += ["", t._("<b>Your plan:</b> read these lessons first, then take their series:")]
        seen = []
        for o in strongest:
            if o.series.id in seen or o.series.id in subscribed:
                continue
            seen.append(o.series.id)
            rows.append(
                [
                    _button(
                        t._("🔔 Subscribe: {title}", title=o.series.series.title),
                        cb.SubscriptionAction("subscribe", o.series.id),
                    )
                ]
            )
    else:
        lines += ["", t._("No obstacle rated 3 or more: a strong position. Keep it with reviews.")]
    if previous is not None:
        lines += ["", t._("The chart shows your previous result in grey.")]
    return Screen("\n".join(lines), _markup(rows))


# Teams ----------------------------------------------------------------------------------
def team_created_screen(t: Translator, team: Team, link: str) -> Screen:
    return Screen(
        "\n".join(
            [
                t._("👥 Team <b>{name}</b> is created.", name=team.name),
                t._("Share this link; whoever opens it joins the team and takes the assessment:"),
                escape(link),
                t.n_(
                    "Results appear once {n} member has answered; "
                    "individual answers are never shown.",
                    "Results appear once {n} members have answered; "
                    "individual answers are never shown.",
                    MIN_TEAM,
                ),
            ]
        ),
        _markup([[_button(t._("📊 Team results"), cb.TeamAction("r", team.id))]]),
    )


def team_usage_screen(t: Translator) -> Screen:
    return Screen(t._("Create a team with <code>/team new Team name</code>."))


def teams_screen(
    t: Translator, teams: Sequence[Team], user_id: int, links: dict[int, str]
) -> Screen:
    if not teams:
        return team_usage_screen(t)
    lines = [t._("<b>Your teams</b>"), ""]
    rows = []
    for team in teams:
        manager = team.manager_id == user_id
        role = t._("manager") if manager else t._("member")
        lines.append(
            f"👥 <b>{escape(team.name)}</b> — {escape(role)}, "
            + t.n_("{n} member", "{n} members", team.members)
        )
        if manager:
            lines.append(escape(links[team.id]))
            rows.append(
                [
                    _button(t._("📊 {name}", name=team.name[:30]), cb.TeamAction("r", team.id)),
                    _button(t._("🗑 Delete"), cb.TeamAction("d", team.id)),
                ]
            )
        else:
            rows.append(
                [_button(t._("🚪 Leave {name}", name=team.name[:30]), cb.TeamAction("l", team.id))]
            )
    lines += ["", team_usage_screen(t).text]
    return Screen("\n".join(lines), _markup(rows))


def joined_screen(t: Translator, team: Team, new: bool) -> Screen:
    head = (
        t._("👥 You joined the team <b>{name}</b>.", name=team.name)
        if new
        else t._("👥 You are already in the team <b>{name}</b>.", name=team.name)
    )
    text = "\n".join(
        [
            head,
            t._(
                "Your manager sees only the team's averages, never your answers. "
                "Take the assessment now:"
            ),
        ]
    )
    return Screen(text, _markup([[_button(t._("📋 Start the assessment"), cb.AssessStart(True))]]))


def team_waiting_screen(t: Translator, team: Team, answered: int) -> Screen:
    return Screen(
        t._(
            "👥 <b>{name}</b>: {answered} of the {needed} answers needed so far. Results stay "
            "hidden until then, so that nobody's answers can be singled out.",
            name=team.name,
            answered=answered,
            needed=MIN_TEAM,
        )
    )


def team_result_screen(
    t: Translator,
    team: Team,
    data: TeamAggregate,
    groups: Sequence[GroupScore],
    strongest: Sequence[Obstacle],
) -> Screen:
    lines = [
        t.n_(
            "📊 <b>{name}</b>: {n} member answered",
            "📊 <b>{name}</b>: {n} members answered",
            data.answered,
            name=team.name,
        ),
        "",
    ]
    for group in groups:
        lines.append(f"• {escape(group.series.series.title)}: {group.mean:.1f}/5")
    if strongest:
        lines += ["", t._("<b>The team's strongest obstacles</b> (mean ± spread)")]
        for number, o in enumerate(strongest, start=1):
            lesson_id = o.lesson.id
            lines.append(
                f"{number}. <b>{escape(o.lesson.title)}</b>: "
                f"{data.means[lesson_id]:.1f} ± {data.spreads[lesson_id]:.1f}"
            )
        lines += ["", t._("<b>Suggested plan:</b> the whole team takes these series:")]
        seen = []
        for o in strongest:
            if o.series.id not in seen:
                seen.append(o.series.id)
                lines.append(f"• {escape(o.series.series.title)}")
    return Screen("\n".join(lines))


def team_delete_screen(t: Translator, team: Team) -> Screen:
    return Screen(
        t._("Delete the team <b>{name}</b> for everyone?", name=team.name),
        _markup([[_button(t._("🗑 Yes, delete"), cb.TeamAction("dd", team.id))]]),
    )


def not_manager_screen(t: Translator) -> Screen:
    return Screen(t._("Only the team's manager can see its results."))


# /mydata --------------------------------------------------------------------------------
def _data_labels(t: Translator) -> dict[str, str]:
    return {
        "id": t._("id"),
        "first_name": t._("first name"),
        "language": t._("language"),
        "tg_language": t._("Telegram language"),
        "timezone": t._("time zone"),
        "first_seen": t._("first seen"),
        "last_seen": t._("last seen"),
        "lessons": t._("lessons"),
        "quiz_answers": t._("quiz answers"),
        "review_cards": t._("review cards"),
        "subscriptions": t._("subscriptions"),
        "assessments": t._("assessments"),
        "teams": t._("teams"),
        "activity_days": t._("days with activity"),
        "deliveries": t._("deliveries"),
    }


def mydata_screen(t: Translator, data: dict[str, object]) -> Screen:
    profile = data.get("profile", {})
    counts = data.get("counts", {})
    labels = _data_labels(t)
    lines = [t._("<b>What CX Coach stores about you</b>"), ""]
    for key, value in dict(profile).items():  # type: ignore[call-overload]
        lines.append(f"• {labels.get(key, escape(key))}: {escape(value)}")
    lines.append("")
    for key, value in dict(counts).items():  # type: ignore[call-overload]
        lines.append(f"• {labels.get(key, escape(key))}: {value}")
    lines += [
        "",
        t._("No message texts are stored, only what you chose and answered."),
    ]
    return Screen(
        "\n".join(lines), _markup([[_button(t._("🗑 Delete all my data"), cb.MyData(False))]])
    )


def mydata_confirm_screen(t: Translator) -> Screen:
    return Screen(
        t._(
            "Delete your progress, answers, review cards, subscriptions, assessments and teams "
            "you manage? This cannot be undone."
        ),
        _markup(
            [
                [_button(t._("🗑 Yes, delete everything"), cb.MyData(True))],
                [_button(t._("✖️ Cancel"), cb.Menu())],
            ]
        ),
    )


def deleted_screen(t: Translator) -> Screen:
    return Screen(t._("Done: everything about you is deleted. /start begins anew."))
