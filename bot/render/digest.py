"""The managers' weekly digest and the choice of its weekday."""

from __future__ import annotations

from babel.dates import get_day_names

from bot import callbacks as cb
from bot.i18n import Translator
from bot.render.assignments import report_lines
from bot.render.kit import Screen, button, local_datetime, markup, menu_row, short_day
from bot.render.teams import team_privacy_line
from bot.services.digest import OFF, Digest, DigestChoice


def weekday_name(t: Translator, day: int) -> str:
    """0 = Monday, as CLDR names it in the reader's language (Babel)."""
    return get_day_names("wide", locale=t.lang)[day]


def digest_screen(t: Translator, digest: Digest) -> Screen:
    """One message: each team the manager manages, as its report sees it."""
    first = digest.reports[0]
    lines = [
        t._(
            "🗓 <b>Your weekly digest</b> · {start} – {end}",
            start=short_day(t, first.since.astimezone(digest.tz).date()),
            end=short_day(t, first.tz_today),
        )
    ]
    rows = []
    for report in digest.reports:
        lines += ["", t.n_(
            "👥 <b>{name}</b> · {n} member", "👥 <b>{name}</b> · {n} members",
            report.team.members, name=report.team.name,
        ), ""]  # fmt: skip
        lines += report_lines(t, report)
        rows.append([button(t._("👥 {name}", name=report.team.name), cb.TeamOpen(report.team.id))])
    lines += ["", team_privacy_line(t), t._("Names appear only for members who chose to share.")]
    rows.append(menu_row(t))
    return Screen("\n".join(lines), markup(rows))


def digest_day_screen(t: Translator, choice: DigestChoice) -> Screen:
    """The weekday picker (from a team's screen; the digest covers every team managed)."""
    team = choice.team
    assert team is not None
    if choice.day is None:
        now = t._("🗓 The weekly digest is off.")
    else:
        now = t._("🗓 Your weekly digest comes on <b>{day}</b>.", day=weekday_name(t, choice.day))
        if choice.next_at is not None and choice.tz is not None:
            now += " " + t._("Next: {when}.", when=local_datetime(t, choice.next_at, choice.tz))
    text = "\n".join(
        [
            now,
            "",
            t._(
                "Once a week, at your lesson time, one message about every team you manage: "
                "each assignment’s share of members done, on track and behind, the week’s quiz "
                "answers and lesson ratings, and the strongest obstacles. Figures only from at "
                "least 3 people other than you; names only of members who chose to share."
            ),
        ]
    )
    days = [
        button(
            ("✓ " if choice.day == d else "") + weekday_name(t, d)[:12], cb.DigestDay(team.id, d)
        )
        for d in range(7)
    ]
    rows = [days[0:3], days[3:5], days[5:7]]
    rows.append(
        [
            button(t._("🔕 No digest"), cb.DigestDay(team.id, OFF)),
            button(t._("↩️ Back to the team"), cb.TeamOpen(team.id)),
        ]
    )
    return Screen(text, markup(rows))


def digest_set_notice(t: Translator, choice: DigestChoice) -> str:
    if choice.day is None:
        return t._("🔕 No weekly digest.")
    return t._("🗓 Weekly digest: {day}.", day=weekday_name(t, choice.day))
