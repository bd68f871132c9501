"""Screens of the self-assessment, teams and /mydata."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from babel.numbers import format_decimal

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.screens import (
    HALF_LABEL,
    WIDE_LABEL,
    Screen,
    _button,
    _markup,
    shorten,
)
from bot.services.assessment import (
    MIN_SPREAD,
    MIN_TEAM,
    RATINGS,
    GroupScore,
    Obstacle,
    TeamAggregate,
)
from domain.records import Assessment, Team


# Numbers and dates in the learner's language --------------------------------------------
def score(t: Translator, value: float) -> str:
    """A mean on the 1–5 scale with one decimal, in the learner's notation: 3.0 / 3,0."""
    return format_decimal(value, "0.0", locale=t.lang)


def change(t: Translator, delta: float) -> str:
    """A signed change of a score: +0.5 / -2,0."""
    return format_decimal(delta, "+0.0;-0.0", locale=t.lang)


def local_date(t: Translator, moment: datetime, tz: tzinfo) -> str:
    """A day as the learner reads it: 1 Dec 2026 / 1 дек. 2026."""
    return format_datetime(moment.astimezone(tz), "d MMM y", locale=t.lang)


def local_datetime(t: Translator, moment: datetime, tz: tzinfo) -> str:
    """A moment as the learner reads it: 1 Dec 2026, 21:41 / 1 груд. 2026, 21:41."""
    return format_datetime(moment.astimezone(tz), "d MMM y, HH:mm", locale=t.lang)


def _menu_row(t: Translator) -> list:
    return [_button(t._("🏠 Menu"), cb.Menu())]


def _continue_button(t: Translator, done: int, total: int):
    return _button(t._("▶️ Continue ({done}/{n})", done=done, n=total), cb.AssessStart(False))


# Self-assessment ---------------------------------------------------------------------------
def intro_screen(t: Translator, unfinished: Assessment | None, total: int) -> Screen:
    """One screen: what the assessment is, and Start (or Continue / Start over)."""
    lines = [
        t._("📋 <b>Self-assessment</b>"),
        t.n_(
            "You will see {n} statement, one for each obstacle to customer-centricity. "
            "Rate how true each is of your company: 1 — not at all, 5 — very much. "
            "About three minutes; you can stop and go on later.",
            "You will see {n} statements, one for each obstacle to customer-centricity. "
            "Rate how true each is of your company: 1 — not at all, 5 — very much. "
            "About three minutes; you can stop and go on later.",
            total,
        ),
    ]
    if unfinished is None:
        rows = [[_button(t._("▶️ Start"), cb.AssessStart(True))], _menu_row(t)]
        return Screen("\n".join(lines), _markup(rows))
    done = len(unfinished.ratings)
    lines += [
        "",
        t._("In progress: {done} of {n} rated.", done=done, n=total),
    ]
    rows = [[_continue_button(t, done, total)]]
    if done:
        rows.append([_button(t._("🔄 Start over"), cb.AssessRestart(unfinished.id))])
    rows.append(_menu_row(t))
    return Screen("\n".join(lines), _markup(rows))


def restart_confirm_screen(t: Translator, unfinished: Assessment) -> Screen:
    done = len(unfinished.ratings)
    return Screen(
        t.n_(
            "Start over? The {n} rating you have given so far will be discarded.",
            "Start over? The {n} ratings you have given so far will be discarded.",
            done,
        ),
        _markup(
            [
                [_button(t._("🔄 Yes, start over"), cb.AssessRestart(unfinished.id, True))],
                [_button(t._("✖️ Cancel"), cb.AssessIntro())],
            ]
        ),
    )


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
    """After "Continue later": what is kept, and the way back in (or out to the menu)."""
    return Screen(
        t._(
            "⏸ Saved: {done} of {n} rated. Go on whenever you like: the button below or "
            "/assess continues where you stopped.",
            done=done,
            n=total,
        ),
        _markup([[_continue_button(t, done, total)], _menu_row(t)]),
    )


def chart_title(t: Translator) -> str:
    return t._("How true each group of obstacles is of your company (1–5)")


def result_caption(t: Translator, previous_at: datetime | None, tz: tzinfo) -> str:
    """The radar chart's caption: what it shows (and the earlier result, if overlaid)."""
    lines = [
        t._(
            "📊 Your self-assessment by group of obstacles: 1 — not true of your company at "
            "all, 5 — very true. Your plan follows below."
        )
    ]
    if previous_at is not None:
        lines.append(
            t._("Grey: your previous result, {date}.", date=local_date(t, previous_at, tz))
        )
    return "\n".join(lines)


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
        delta = ""
        if previous is not None and previous[index].mean:
            delta = f" ({change(t, group.mean - previous[index].mean)})"
        lines.append(f"• {escape(group.series.series.title)}: {score(t, group.mean)}/5{delta}")
    rows = []
    if strongest:
        lines += ["", t._("<b>What holds you back most</b>")]
        for number, o in enumerate(strongest, start=1):
            lines.append(
                f"{number}. <b>{escape(o.lesson.title)}</b> ({ratings[o.lesson.id]}/5) — "
                + Safe(o.lesson.key_idea)
            )
            label = shorten(t._("📖 {title}", title=o.lesson.title), WIDE_LABEL)
            rows.append([_button(label, cb.OpenLesson(o.lesson.id))])
        lines += ["", t._("<b>Your plan:</b> read these lessons first, then take their series:")]
        seen = []
        for o in strongest:
            if o.series.id in seen or o.series.id in subscribed:
                continue
            seen.append(o.series.id)
            label = shorten(
                t._("🔔 Subscribe: {title}", title=o.series.series.short_title), WIDE_LABEL
            )
            rows.append([_button(label, cb.SubscriptionAction("subscribe", o.series.id))])
    else:
        lines += ["", t._("No obstacle rated 3 or more: a strong position. Keep it with reviews.")]
    if previous is not None:
        lines += ["", t._("In brackets: the change since your previous result.")]
    rows.append(_menu_row(t))
    return Screen("\n".join(lines), _markup(rows))


# Teams ----------------------------------------------------------------------------------
def _teams_row(t: Translator) -> list:
    return [_button(t._("👥 My teams"), cb.Teams()), _button(t._("🏠 Menu"), cb.Menu())]


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
        _markup([[_button(t._("📊 Team results"), cb.TeamAction("r", team.id))], _teams_row(t)]),
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
        _markup([_teams_row(t)]),
    )


def teams_screen(
    t: Translator,
    teams: Sequence[Team],
    user_id: int,
    links: dict[int, str],
    notice: str | None = None,
) -> Screen:
    """The teams one manages or belongs to; ``notice`` heads it after a change."""
    head = [notice, ""] if notice else []
    if not teams:
        return Screen("\n".join([*head, team_usage_screen(t).text]), _markup([_menu_row(t)]))
    lines = [*head, t._("<b>Your teams</b>"), ""]
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
                    _button(
                        shorten(t._("📊 {name}", name=team.name), HALF_LABEL),
                        cb.TeamAction("r", team.id),
                    ),
                    _button(t._("🗑 Delete"), cb.TeamAction("d", team.id)),
                ]
            )
        else:
            label = shorten(t._("🚪 Leave {name}", name=team.name), WIDE_LABEL)
            rows.append([_button(label, cb.TeamAction("l", team.id))])
    lines += ["", team_usage_screen(t).text]
    rows.append(_menu_row(t))
    return Screen("\n".join(lines), _markup(rows))


def joined_screen(
    t: Translator,
    team: Team,
    new: bool,
    unfinished: Assessment | None,
    latest_at: datetime | None,
    total: int,
    other_teams: Sequence[Team],
    tz: tzinfo,
) -> Screen:
    """After a team's link: what happens to the learner's assessment, and the way on.

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
        rows = [[_continue_button(t, done, total)]]
    elif latest_at is not None:
        lines.append(
            t._(
                "Your latest self-assessment ({date}) already counts for the team. If things "
                "have changed since, take it again: your newest one counts.",
                date=local_date(t, latest_at, tz),
            )
        )
        rows = [[_button(t._("📋 Take it again"), cb.AssessStart(True))], _menu_row(t)]
    else:
        lines.append(t._("Take the self-assessment now; it takes about three minutes."))
        rows = [[_button(t._("📋 Start the assessment"), cb.AssessStart(True))]]
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
    return Screen("\n".join(lines), _markup(rows))


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
        _markup([_teams_row(t)]),
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
    return Screen("\n".join(lines), _markup([_teams_row(t)]))


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
        _markup(
            [
                [_button(t._("🗑 Yes, delete"), cb.TeamAction("dd", team.id))],
                [_button(t._("✖️ Cancel"), cb.Teams())],
            ]
        ),
    )


def team_leave_screen(t: Translator, team: Team) -> Screen:
    return Screen(
        t._(
            "Leave the team <b>{name}</b>? Your answers will no longer count in its averages.",
            name=team.name,
        ),
        _markup(
            [
                [_button(t._("🚪 Yes, leave"), cb.TeamAction("ll", team.id))],
                [_button(t._("✖️ Cancel"), cb.Teams())],
            ]
        ),
    )


def team_deleted_notice(t: Translator, team: Team) -> str:
    return t._("🗑 The team <b>{name}</b> is deleted.", name=team.name)


def team_left_notice(t: Translator, team: Team) -> str:
    return t._("🚪 You left the team <b>{name}</b>.", name=team.name)


def not_manager_screen(t: Translator) -> Screen:
    return Screen(t._("Only the team’s manager can see its results."), _markup([_teams_row(t)]))


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
        "unsubscribed_at": t._("last unsubscribed from a series"),
        "lessons": t._("lessons opened (completed ones included)"),
        "quiz_answers": t._("quiz answers"),
        "review_cards": t._("review cards"),
        "review_history": t._("review answers (history)"),
        "subscriptions": t._("subscriptions"),
        "assessments": t._("assessments"),
        "teams": t._("teams"),
        "teams_managed": t._("teams you manage"),
        "activity_days": t._("days with activity"),
        "deliveries": t._("lessons sent on schedule"),
        "broadcast_receipts": t._("announcements delivered to you"),
        "broadcasts_sent": t._("broadcasts you created"),
    }


def language_name(code: str) -> str:
    """A language code as its speakers name it (CLDR via Babel): uk -> Українська, pt-br ->
    Português (Brasil); an unknown code stays as it is."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


def _profile_value(t: Translator, key: str, value: object, tz: tzinfo, zone: str) -> str:
    """One stored profile field as the learner reads it elsewhere in the bot."""
    if key == "timezone":
        return escape(zone)  # the zone deliveries use: the guess until one is set
    if key in ("language", "tg_language"):
        if value:
            return escape(language_name(str(value)))
        return t._("not chosen (the bot follows your Telegram language)")
    if key in ("first_seen", "last_seen", "unsubscribed_at") and value:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return escape(local_datetime(t, moment, tz))
    if key == "unsubscribed_at":
        return t._("never")
    return escape(value)


def mydata_screen(t: Translator, data: dict[str, object], tz: tzinfo, zone: str) -> Screen:
    """``tz`` and ``zone``: the learner's zone and its label as /settings shows them."""
    profile = data.get("profile", {})
    counts = data.get("counts", {})
    labels = _data_labels(t)
    lines = [t._("<b>What CX Coach stores about you</b>"), ""]
    for key, value in dict(profile).items():  # type: ignore[call-overload]
        shown = _profile_value(t, key, value, tz, zone)
        lines.append(f"• {labels.get(key, escape(key))}: {shown}")
    lines.append("")
    for key, value in dict(counts).items():  # type: ignore[call-overload]
        lines.append(f"• {labels.get(key, escape(key))}: {value}")
    lines += [
        "",
        t._("No message texts are stored, only what you chose and answered."),
        t._("Who sees what: /privacy."),
    ]
    return Screen(
        "\n".join(lines), _markup([[_button(t._("🗑 Delete all my data"), cb.MyData(False))]])
    )


def mydata_confirm_screen(t: Translator) -> Screen:
    return Screen(
        t._(
            "Delete your progress, answers, review cards and their history, subscriptions, "
            "assessments, teams you manage and the record of announcements sent to you? "
            "This cannot be undone."
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
