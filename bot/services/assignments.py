"""Team assignments: a manager assigns a series with a due date; its members get it in their
daily slot, one reminder before the due date when they are behind; the managers see how the
team is doing under the privacy rule.

Rules the tests pin down:

* a team's managers (the owner and co-managers) assign; its other members take the
  assignment: each gets the series as a subscription (one they already have, even paused or
  finished, is left as it is), and a member who joins later takes the open assignments;
* *done*: every lesson of the series completed (its quiz passed); *on track*: at least the
  lessons an even pace from the assignment (or joining, when later) to the due date asks for
  by today; *behind*: fewer — and anyone not done once the due date has come;
* the reminder: once per member and assignment, in the slot (so never in quiet hours and
  never a second unprompted message that day), on a day within :data:`REMIND_WORKDAYS`
  working days before the due date, only when behind, and under the nudge rules (one a day,
  none after three ignored); when a lesson comes that day, the reminder rides along with it;
* what a manager sees (the team screen, the weekly digest, the dashboard) counts the members
  **other than the viewer**: shares of done / on track / behind only from at least
  :data:`MIN_TEAM` (3) of them, and never when 1 or 2 members who do not share their progress
  could be told apart from those who do (named + shares = their status); quiz accuracy and
  lesson ratings of the week only from at least 3 people who gave them. Names only for the
  members who chose to share their progress with the team's managers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from bot.services import privacy
from bot.services.assessment import Obstacle
from bot.services.env import Env, Gone
from bot.services.learners import stored_language
from bot.services.schedule import local_day, prefs_of, reschedule
from content.model import Catalog, SeriesContent
from domain.records import (
    Assignment,
    MemberAssignment,
    MemberProgress,
    Team,
    User,
    WeekFigures,
)

MIN_TEAM = privacy.MIN_TEAM


REMIND_WORKDAYS = 3  # the reminder comes within this many working days of the due date


DUE_WEEKS = (1, 2, 3, 4)  # the due dates a manager picks from: this many weeks from today


SHOWN_AFTER_DUE = timedelta(days=7)  # a past assignment stays in view (and the digest) a week


WEEK = timedelta(days=7)


TOP = 3  # the strongest obstacles a report names


class Status(enum.Enum):
    DONE = "done"
    ON_TRACK = "on track"
    BEHIND = "behind"


def workdays_until(today: date, due: date) -> int:
    """Working days (Monday to Friday) after ``today`` up to and including ``due``."""
    days = 0
    day = today + timedelta(days=1)
    while day <= due:
        days += day.weekday() < 5
        day += timedelta(days=1)
    return days


def expected(total: int, start: date, due: date, today: date) -> int:
    """Lessons an even pace from ``start`` asks for by ``today`` to finish by ``due``."""
    if today >= due or due <= start:
        return total
    elapsed = max(0, (today - start).days)
    return min(total, total * elapsed // (due - start).days)


def status(total: int, completed: int, start: date, due: date, today: date) -> Status:
    if completed >= total:
        return Status.DONE
    if today > due:
        return Status.BEHIND
    return Status.ON_TRACK if completed >= expected(total, start, due, today) else Status.BEHIND


def series_lessons(catalog: Catalog, lang: str, series_id: str) -> list[str]:
    series = catalog.series(lang, series_id)
    return [lesson.id for lesson in series.lessons] if series is not None else []


def reminder_for(
    catalog: Catalog,
    lang: str,
    assignments: Iterable[MemberAssignment],
    completed: Iterable[str],
    today: date,
) -> tuple[MemberAssignment, int, int] | None:
    """The assignment whose reminder is due today (and the lessons completed of how many):
    not reminded yet, due within :data:`REMIND_WORKDAYS` working days, the learner behind."""
    done = set(completed)
    for item in assignments:
        if item.reminded_at is not None or today > item.due_on:
            continue
        if workdays_until(today, item.due_on) > REMIND_WORKDAYS:
            continue
        lessons = series_lessons(catalog, lang, item.series_id)
        if not lessons:
            continue
        count = sum(1 for lesson in lessons if lesson in done)
        start = item.created_at.date()
        if status(len(lessons), count, start, item.due_on, today) is Status.BEHIND:
            return item, count, len(lessons)
    return None


# What a manager sees ------------------------------------------------------------------------
@dataclass(frozen=True)
class AssignmentFigures:
    """One assignment as a manager sees it: the shares (None: too few to show), and the
    members who share their progress by name."""

    assignment: Assignment
    series: SeriesContent | None
    lessons: int
    people: int  # assignees other than the viewer
    shares: dict[Status, int] | None
    named: list[tuple[str, int, Status]]  # (first name, lessons completed, status)

    @property
    def title(self) -> str:
        return self.series.series.title if self.series is not None else self.assignment.series_id


@dataclass(frozen=True)
class TeamReport:
    team: Team
    assignments: list[AssignmentFigures]
    week: WeekFigures
    strongest: list[tuple[Obstacle, float]]  # from the latest self-assessments, with means
    since: datetime  # the week's start
    tz_today: date

    @property
    def accuracy(self) -> float | None:
        """The week's share of correct quiz answers, from at least 3 people; else None."""
        w = self.week
        return w.correct / w.answers if w.answerers >= MIN_TEAM and w.answers else None

    @property
    def rating(self) -> float | None:
        """The week's mean usefulness rating, from at least 3 people; else None."""
        w = self.week
        return w.rating_sum / w.ratings if w.raters >= MIN_TEAM and w.ratings else None


def figures(
    assignment: Assignment,
    series: SeriesContent | None,
    progress: Sequence[MemberProgress],
    today: date,
) -> AssignmentFigures:
    """An assignment's figures over the assignees other than the viewer (``progress``)."""
    total = len(series.lessons) if series is not None else 0
    shares: dict[Status, int] = {s: 0 for s in Status}
    named = []
    for member in progress:
        start = max(assignment.created_at.date(), member.joined_at.date())
        state = status(total, member.completed, start, assignment.due_on, today)
        shares[state] += 1
        if member.shares:
            named.append((member.first_name, member.completed, state))
    hidden = sum(1 for member in progress if not member.shares)
    visible = len(progress) >= MIN_TEAM and (hidden == 0 or hidden >= MIN_TEAM)
    return AssignmentFigures(
        assignment, series, total, len(progress), shares if visible else None, named
    )


async def team_report(env: Env, viewer: User, lang: str, team: Team) -> TeamReport:
    """What the team's managers see (call only after checking the viewer manages it)."""
    now = env.now()
    today = local_day(now, prefs_of(viewer, lang))
    items = []
    for assignment in await env.storage.team_assignments(team.id, today - SHOWN_AFTER_DUE):
        series = env.catalog.series(lang, assignment.series_id)
        lessons = [lesson.id for lesson in series.lessons] if series is not None else []
        progress = await env.storage.assignment_progress(team.id, viewer.id, lessons)
        items.append(figures(assignment, series, progress, today))
    since = now - WEEK
    week = await env.storage.week_figures(team.id, viewer.id, since)
    from bot.services.teams import team_results  # teams show this report: imported here

    results = await team_results(env, viewer, lang, team)
    strongest = [(o, results.data.means[o.lesson.id]) for o in results.strongest[:TOP]]
    return TeamReport(team, items, week, strongest, since, today)


# The manager's actions -----------------------------------------------------------------------
class Step(enum.Enum):
    MENU = "menu"  # the team's assignments and the series to assign
    PICK_DUE = "pick due"  # a series chosen: the due dates to pick from
    ASSIGNED = "assigned"
    ASK_CANCEL = "ask cancel"
    CANCELLED = "cancelled"
    REFUSED = "refused"  # not a manager of the team
    GONE = "gone"  # the team is no more


@dataclass(frozen=True)
class AssignOutcome:
    step: Step
    team: Team | None = None
    assignments: list[Assignment] = field(default_factory=list)
    series: list[SeriesContent] = field(default_factory=list)  # what may be assigned
    chosen: SeriesContent | None = None
    dates: list[date] = field(default_factory=list)  # PICK_DUE: the due dates offered
    assignment: Assignment | None = None  # ASSIGNED, ASK_CANCEL, CANCELLED
    members: int = 0  # ASSIGNED: members who take it
    today: date | None = None
    teams: list[Team] = field(default_factory=list)  # GONE: the viewer's teams


def due_dates(today: date) -> list[date]:
    """The due dates offered: 1 to 4 weeks from today, each moved back to a working day."""
    dates = []
    for weeks in DUE_WEEKS:
        day = today + timedelta(weeks=weeks)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        dates.append(day)
    return dates


async def _managed(env: Env, user: User, team_id: int) -> AssignOutcome | Team:
    team = await env.storage.get_team(team_id)
    if team is None:
        return AssignOutcome(Step.GONE, teams=await env.storage.teams_of(user.id))
    if not await env.storage.is_manager(team.id, user.id):
        return AssignOutcome(Step.REFUSED, team)
    return team


async def menu(env: Env, user: User, lang: str, team_id: int) -> AssignOutcome:
    """The team's open assignments and the series one may assign (managers only)."""
    team = await _managed(env, user, team_id)
    if isinstance(team, AssignOutcome):
        return team
    today = local_day(env.now(), prefs_of(user, lang))
    current = await env.storage.team_assignments(team.id, today - SHOWN_AFTER_DUE)
    series = env.catalog.series_list(lang)
    return AssignOutcome(Step.MENU, team, current, list(series), today=today)


async def pick(env: Env, user: User, lang: str, team_id: int, series_id: str) -> AssignOutcome:
    """A series chosen: the due dates to pick from (Gone: the series)."""
    team = await _managed(env, user, team_id)
    if isinstance(team, AssignOutcome):
        return team
    series = env.catalog.series(lang, series_id)
    if series is None:
        raise Gone("series")
    today = local_day(env.now(), prefs_of(user, lang))
    return AssignOutcome(Step.PICK_DUE, team, chosen=series, dates=due_dates(today), today=today)


async def assign(
    env: Env, user: User, lang: str, team_id: int, series_id: str, weeks: int
) -> AssignOutcome:
    """Assign the series, due ``weeks`` from today (see :func:`due_dates`); its members are
    subscribed and given a daily slot when they have none."""
    team = await _managed(env, user, team_id)
    if isinstance(team, AssignOutcome):
        return team
    series = env.catalog.series(lang, series_id)
    if series is None or weeks not in DUE_WEEKS:
        raise Gone("series")
    now = env.now()
    today = local_day(now, prefs_of(user, lang))
    due = due_dates(today)[DUE_WEEKS.index(weeks)]
    assignment, members = await env.storage.assign(team.id, series.id, due, user.id, now)
    await _start_slots(env, members, now)
    shown = await menu(env, user, lang, team.id)  # the list again, with it
    return replace(
        shown, step=Step.ASSIGNED, chosen=series, assignment=assignment, members=len(members)
    )


async def _start_slots(env: Env, member_ids: Iterable[int], now: datetime) -> None:
    """Members now subscribed get their daily slot (those who have one keep it)."""
    for member_id in member_ids:
        member = await env.storage.get_user(member_id)
        if member is not None and member.next_slot_at is None and not member.blocked:
            lang = stored_language(member, env.settings.default_language)
            await reschedule(env.storage, member, lang, now)


async def cancel(
    env: Env, user: User, lang: str, team_id: int, assignment_id: int, sure: bool
) -> AssignOutcome:
    """Withdraw an assignment (asked first); members keep their subscriptions."""
    team = await _managed(env, user, team_id)
    if isinstance(team, AssignOutcome):
        return team
    today = local_day(env.now(), prefs_of(user, lang))
    current = await env.storage.team_assignments(team.id, today - SHOWN_AFTER_DUE)
    found = next((a for a in current if a.id == assignment_id), None)
    if found is None:
        raise Gone("assignment")
    if not sure:
        series = env.catalog.series(lang, found.series_id)
        return AssignOutcome(Step.ASK_CANCEL, team, chosen=series, assignment=found, today=today)
    await env.storage.cancel_assignment(team.id, found.id, env.now())
    return await menu(env, user, lang, team.id)
