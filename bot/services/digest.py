"""The managers' weekly digest: on the weekday a manager chooses, at their delivery time
(never in their quiet hours), one message with each team they manage as
:func:`bot.services.assignments.team_report` sees it (the privacy rule applies there).

Sent at most once: the runner takes a due digest by moving ``next_digest_at`` on with a
compare-and-set (:meth:`Storage.claim_digest`) before sending, so two processes (or a tick
that overlaps a slow run) never send the same week twice; a crash between the claim and the
send loses that week's digest rather than repeating it. A manager who manages no team any
more when it is due gets nothing, and the digest is switched off.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo

from bot.services.assignments import TeamReport, team_report
from bot.services.env import Env
from bot.services.learners import stored_language
from bot.services.schedule import next_slot, prefs_of
from domain.records import Team, User

OFF = 7  # the picker's "no digest"


def next_digest(user: User, lang: str, day: int, after: datetime) -> datetime | None:
    """The next digest after ``after``: weekday ``day`` at the manager's delivery time, moved
    out of their quiet hours like a lesson slot (:func:`bot.services.schedule.slot_on`)."""
    prefs = replace(prefs_of(user, lang), days=1 << day)
    return next_slot(prefs, after)


class Step(enum.Enum):
    SHOWN = "shown"  # the picker
    SET = "set"  # a day chosen (or none)
    REFUSED = "refused"  # not a manager of this team
    GONE = "gone"


@dataclass(frozen=True)
class DigestChoice:
    step: Step
    team: Team | None = None
    day: int | None = None  # the weekday chosen (None: no digest)
    next_at: datetime | None = None
    tz: tzinfo | None = None
    teams: list[Team] = field(default_factory=list)  # GONE: the viewer's teams


async def choose(env: Env, user: User, lang: str, team_id: int, day: int | None) -> DigestChoice:
    """dgd:<team>[:<day>]: the weekday picker (from a team's screen), or a day chosen (OFF:
    none). A manager of the team only (the digest covers every team they manage)."""
    storage = env.storage
    team = await storage.get_team(team_id)
    if team is None:
        return DigestChoice(Step.GONE, teams=await storage.teams_of(user.id))
    if not await storage.is_manager(team.id, user.id):
        return DigestChoice(Step.REFUSED, team)
    tz = prefs_of(user, lang).tz
    if day is None:
        return DigestChoice(Step.SHOWN, team, user.digest_day, user.next_digest_at, tz)
    chosen = None if day == OFF else day
    next_at = next_digest(user, lang, chosen, env.now()) if chosen is not None else None
    await storage.set_digest(user.id, chosen, next_at)
    return DigestChoice(Step.SET, team, chosen, next_at, tz)


@dataclass(frozen=True)
class Digest:
    manager: User
    lang: str
    reports: list[TeamReport]
    tz: tzinfo


async def take(env: Env, manager: User) -> Digest | None:
    """A due digest, taken (moved on to next week) before it is built: None when another
    process took it, the digest was switched off meanwhile, or there is no team to report."""
    storage, now = env.storage, env.now()
    lang = stored_language(manager, env.settings.default_language)
    if manager.next_digest_at is None:
        return None
    day = manager.digest_day
    next_at = next_digest(manager, lang, day, now) if day is not None else None
    if not await storage.claim_digest(manager.id, manager.next_digest_at, next_at):
        return None
    if manager.blocked:
        return None
    team_ids = await storage.managed_teams(manager.id)
    if not team_ids:
        await storage.set_digest(manager.id, None, None)
        return None
    reports = []
    for team_id in sorted(team_ids):
        team = await storage.get_team(team_id)
        if team is not None:
            reports.append(await team_report(env, manager, lang, team))
    return Digest(manager, lang, reports, prefs_of(manager, lang).tz)


async def due(env: Env, limit: int = 50) -> list[User]:
    """Managers whose digest is due now."""
    return await env.storage.due_digests(env.now(), limit)
