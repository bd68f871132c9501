"""Teams: names, join codes, and the privacy rule for what a manager sees."""

from __future__ import annotations

import enum
import secrets
import statistics
import string
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal

from bot.services import privacy
from bot.services.assessment import GroupScore, Obstacle, group_scores, obstacles, strongest
from bot.services.assignments import TeamReport, team_report
from bot.services.env import Env, Gone
from bot.services.learners import stored_language
from bot.services.schedule import prefs_of, reschedule
from bot.services.stats import LessonFigures, lesson_figures
from domain.records import Assessment, Team, User, team_name_key

# others' ratings an obstacle needs before the viewer sees anything about it: the rule's
MIN_TEAM = privacy.MIN_TEAM


MIN_SPREAD = 5  # others' ratings an obstacle needs before the viewer sees how they spread


AGREE_BELOW = 1.0  # a population spread below this reads "mostly agree", from it "differ"


AGREE_MEANS = (Decimal("1.7"), Decimal("4.3"))  # the shown means that may carry that word


_CODE_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class TeamAggregate:
    """What a team's viewer may see: figures per obstacle, each only where the rule allows."""

    answered: int  # members other than the viewer with a finished assessment
    means: dict[str, float]  # lesson id -> mean rating, only from MIN_TEAM others
    agree: dict[str, bool]  # lesson id -> the answers mostly agree, only from MIN_SPREAD others

    @property
    def visible(self) -> bool:
        """Anything to show at all: at least one obstacle has enough answers."""
        return bool(self.means)

    def too_few(self, items: list[Obstacle]) -> list[Obstacle]:
        """The obstacles shown as "not enough answers yet"."""
        return [o for o in items if o.lesson.id not in self.means]


def aggregate(others: list[dict[str, int]]) -> TeamAggregate:
    """The team's figures from the latest assessments of everyone **but the viewer**.

    The privacy rule ("aggregates only from at least 3 people other than the viewer"), made
    airtight against a viewer who knows their own answers and can do the arithmetic:

    * The viewer's own answers are left out (storage's ``team_latest_ratings(excluding=)``),
      so knowing them subtracts nothing, and the count below counts only other people.
    * Per obstacle, not per team: an obstacle gets a mean only when at least ``MIN_TEAM`` (3)
      others rated it. Below that it is "not enough answers yet": an obstacle that one member
      rated (a lesson added after the others answered) never shows that member's rating.
      Group means, the strongest obstacles and the chart use only these means.
    * The spread is never a number. With integer ratings 1–5 a mean and a population spread
      to one decimal pin down the multiset of ratings for small n (3 others: 4.0 ± 0.8 can
      only be 3, 4, 5), and a spread of 0.0 reveals that every one of them gave the same
      rating, which a mean of 3.0 alone never does (1+3+5, 2+3+4, ...). So the spread is
      shown only from ``MIN_SPREAD`` (5) others, and only as a word: "mostly agree" (below
      ``AGREE_BELOW`` = 1.0) or "differ". The "agree" word always also covers ratings that
      differ (r−1, r, …, r, r+1 has a spread of √(2/n) ≤ 0.64 < 1), so it never gives away
      a unanimous answer.
    * Near the ends of the scale even a word would single someone out: 5 others, mean 1.6
      and "differ" can only be 1, 1, 1, 1, 4 (the mean alone also allows 1, 1, 1, 2, 3 and
      1, 1, 2, 2, 2). So the word appears only for a shown mean from 1.7 to 4.3
      (``AGREE_MEANS``). That choice depends on the shown mean alone, so leaving the word
      out tells nothing either. Enumerated for 5 to 22 others: within that band the word
      never narrows the ratings to one combination where the mean alone leaves several.
    * What remains, and no summary can hide: a mean of 1.0 or 5.0 means that all of the at
      least 3 others gave that rating. That is the group's answer, not one person's, and it
      is what the rule allows. ``tests/unit/test_assessment.py`` enumerates every combination
      of ratings near the thresholds and checks that nothing shown determines a member's
      rating beyond that.
    """
    values: dict[str, list[int]] = {}
    for ratings in others:
        for lesson_id, rating in ratings.items():
            values.setdefault(lesson_id, []).append(rating)
    return TeamAggregate(
        answered=len(others),
        means={k: statistics.fmean(v) for k, v in values.items() if len(v) >= MIN_TEAM},
        agree={
            k: statistics.pstdev(v) < AGREE_BELOW
            for k, v in values.items()
            if len(v) >= MIN_SPREAD and _word_allowed(statistics.fmean(v))
        },
    )


def shown_mean(mean: float) -> Decimal:
    """A mean as the screens show it: one decimal, half to even (as Babel formats it)."""
    return Decimal(str(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


def _word_allowed(mean: float) -> bool:
    low, high = AGREE_MEANS
    return low <= shown_mean(mean) <= high


def team_code() -> str:
    """A 10-character join code for ?start=t_<code> (about 52 bits: not guessable)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def clean_team_name(text: str) -> str | None:
    name = " ".join(text.split())[:60]
    return name or None


# Use cases -------------------------------------------------------------------------------
@dataclass(frozen=True)
class TeamCreated:
    team: Team | None  # None: refused (see usage / taken)
    usage: bool = False  # no usable name was given: show how /team new works
    taken: str | None = None  # the manager's team of the same name (names are per manager)


async def create(env: Env, user: User, text: str) -> TeamCreated:
    """/team new <name>: a team the learner manages, with a fresh join code."""
    name = clean_team_name(text)
    if name is None:
        return TeamCreated(None, usage=True)
    team = await env.storage.create_team(user.id, name, team_code(), env.now())
    if team is not None:
        return TeamCreated(team)
    mine = await env.storage.teams_of(user.id)
    key = team_name_key(name)
    taken = next((other.name for other in mine if team_name_key(other.name) == key), name)
    return TeamCreated(None, taken=taken)


async def teams_of(env: Env, user: User) -> list[Team]:
    """The teams the learner manages or belongs to."""
    return await env.storage.teams_of(user.id)


async def managed(env: Env, user: User) -> set[int]:
    """The ids of the teams the learner manages (as owner or co-manager)."""
    return await env.storage.managed_teams(user.id)


@dataclass(frozen=True)
class Joined:
    """The team deep link, followed: what becomes of the learner's assessment (one in progress
    is kept and counts once finished; a finished one counts already)."""

    team: Team
    new: bool  # joined just now (False: was a member already)
    unfinished: Assessment | None
    latest_at: datetime | None  # the finished assessment that counts, if none is in progress
    total: int  # obstacles to rate
    others: list[Team]  # the learner's other teams
    tz: tzinfo
    assigned: list[tuple[str, date]] = field(default_factory=list)  # (series title, due on)


async def join(env: Env, user: User, lang: str, code: str) -> Joined | None:
    """Join the team with this code; None if there is none."""
    storage = env.storage
    team = await storage.team_by_code(code)
    if team is None:
        return None
    new = await storage.join_team(team.id, user.id, env.now())
    if new:  # the team's open assignments became subscriptions: the daily slot starts
        await reschedule(storage, user, lang, env.now())
    unfinished = await storage.current_assessment(user.id)
    finished = await storage.finished_assessments(user.id, 1)
    latest_at = finished[0].finished_at if finished and unfinished is None else None
    others = [other for other in await storage.teams_of(user.id) if other.id != team.id]
    total = len(obstacles(env.catalog, lang))
    assigned = [
        (series.series.title, item.due_on)
        for item in await storage.my_assignments(user.id)
        if item.team_id == team.id and (series := env.catalog.series(lang, item.series_id))
    ]
    tz = prefs_of(user, lang).tz
    return Joined(team, new, unfinished, latest_at, total, others, tz, assigned)


@dataclass(frozen=True)
class TeamResults:
    """What a manager sees of their team: the figures without their own answers, each only
    where :func:`aggregate` (the privacy rule) allows."""

    team: Team
    data: TeamAggregate
    groups: list[GroupScore]
    strongest: list[Obstacle]
    too_few: list[Obstacle]

    @property
    def chart_groups(self) -> list[GroupScore]:
        """The groups a radar chart shows: those with a mean (a group with no obstacle above
        the threshold gets no axis); fewer than three axes make no chart."""
        shown = [g for g in self.groups if g.mean]
        return shown if len(shown) >= 3 else []


class Step(enum.Enum):
    """What a press on a team's button comes to."""

    GONE = "gone"  # the team no longer exists
    RESULTS = "results"  # the manager's view of the figures
    NOT_MANAGER = "not manager"  # results asked for by someone else: never the numbers
    MANAGER_STAYS = "manager stays"  # a manager deletes the team instead of leaving it
    ASK_LEAVE = "ask leave"
    LEFT = "left"  # left (or was not a member: nothing changed, see TeamOutcome.changed)
    ASK_DELETE = "ask delete"
    DELETED = "deleted"
    REFUSED = "refused"  # a manager's verb from someone else


@dataclass(frozen=True)
class TeamOutcome:
    step: Step
    team: Team | None = None
    changed: bool = False  # LEFT: the learner was a member and is not any more
    results: TeamResults | None = None
    teams: list[Team] | None = None  # after leaving or deleting (or a gone team): the list


async def act(env: Env, user: User, lang: str, team_id: int, verb: str) -> TeamOutcome:
    """tm:<verb>:<team>: r results (its managers: the owner and co-managers), l/ll leave
    (asked, confirmed; not the owner), d/dd delete (the owner only; asked, confirmed). Rights
    are checked on every press (``team_managers``)."""
    storage = env.storage
    team = await storage.get_team(team_id)
    if team is None:
        return TeamOutcome(Step.GONE, teams=await storage.teams_of(user.id))
    owner = team.manager_id == user.id
    manager = owner or await storage.is_manager(team.id, user.id)
    if verb == "r":
        if not manager:
            return TeamOutcome(Step.NOT_MANAGER, team)
        return TeamOutcome(Step.RESULTS, team, results=await team_results(env, user, lang, team))
    if verb in ("l", "ll") and owner:  # a co-manager may leave (and stops managing)
        return TeamOutcome(Step.MANAGER_STAYS, team)
    if verb == "l":
        return TeamOutcome(Step.ASK_LEAVE, team)
    if verb == "ll":
        left = await storage.leave_team(team.id, user.id)
        return TeamOutcome(Step.LEFT, team, left, teams=await storage.teams_of(user.id))
    if verb == "d" and owner:
        return TeamOutcome(Step.ASK_DELETE, team)
    if verb == "dd" and owner:
        await storage.delete_team(team.id, user.id)
        return TeamOutcome(Step.DELETED, team, True, teams=await storage.teams_of(user.id))
    return TeamOutcome(Step.REFUSED, team)


async def team_results(env: Env, user: User, lang: str, team: Team) -> TeamResults:
    others = await env.storage.team_latest_ratings(team.id, excluding=user.id)
    data = aggregate(others)
    items = obstacles(env.catalog, lang)
    return TeamResults(
        team,
        data,
        group_scores(items, data.means),
        strongest(items, data.means),
        data.too_few(items),
    )


# A team's lessons ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TeamLessons:
    """What a press on a team's lessons button comes to: GONE, NOT_MANAGER, or RESULTS with
    the lessons' figures (all of them, or the one asked for)."""

    step: Step
    team: Team | None = None
    lessons: list[LessonFigures] | None = None
    teams: list[Team] | None = None  # a gone team: the viewer's teams


async def team_lessons(
    env: Env, user: User, lang: str, team_id: int, lesson_id: str | None = None
) -> TeamLessons:
    """The team's figures per lesson (``lesson_id``: that lesson), for
    its managers only (``team_managers``, checked on every press), under the same privacy rule as
    :func:`aggregate`:

    * only the members other than the viewer count (``excluding=`` in storage): the
      manager's own reading, answers, ratings and commitments never do;
    * each figure is shown only when at least ``MIN_TEAM`` (3) of them contributed to it —
      readers and finishers from 3 readers, a question's first-try accuracy from 3 first
      answers, usefulness from 3 ratings, commitments from 3 who took them on or declined
      — else "not enough answers yet";
    * never the members' "what was unclear" texts: free text goes to the learner and, without
      names, the bot's admins only (in a small team, words can name their writer).
    """
    storage = env.storage
    team = await storage.get_team(team_id)
    if team is None:
        return TeamLessons(Step.GONE, teams=await storage.teams_of(user.id))
    if not await storage.is_manager(team.id, user.id):
        return TeamLessons(Step.NOT_MANAGER, team)
    if lesson_id is not None and env.catalog.lesson(lang, lesson_id) is None:
        raise Gone("lesson")
    tallies = await storage.team_lesson_tallies(team.id, user.id, lesson_id)
    figures = lesson_figures(env.catalog, lang, tallies, None, MIN_TEAM, only=lesson_id)
    return TeamLessons(Step.RESULTS, team, figures)


# A team's screen: co-managers, hand-over, progress shared by name -------------------------
class Role(enum.Enum):
    OWNER = "owner"
    MANAGER = "manager"  # a co-manager
    MEMBER = "member"


@dataclass(frozen=True)
class TeamView:
    """One team's screen as its viewer may see it. ``sharers``: the names and lessons
    completed of the members who chose to share them (managers only); ``members``: everyone
    by first name (the owner only, to choose co-managers); ``sharing``: the viewer shares."""

    step: Step  # GONE, REFUSED (not in the team), RESULTS (shown)
    team: Team | None = None
    role: Role | None = None
    sharing: bool = False
    sharers: list[tuple[str, int]] | None = None
    members: list[tuple[int, str, bool]] | None = None
    teams: list[Team] | None = None
    notice: str | None = None  # what just changed: added, removed, handed, shared, unshared
    target: tuple[int, str] | None = None  # ask hand-over: the co-manager (id, first name)
    report: TeamReport | None = None  # managers: assignments, the week, the obstacles
    digest_day: int | None = None  # managers: the weekday of their digest (None: off)


async def _role(env: Env, team: Team, user: User) -> Role | None:
    if team.manager_id == user.id:
        return Role.OWNER
    if await env.storage.is_manager(team.id, user.id):
        return Role.MANAGER
    if await env.storage.is_member(team.id, user.id):
        return Role.MEMBER
    return None


async def view(
    env: Env,
    user: User,
    team_id: int,
    notice: str | None = None,
    members: bool = False,
    lang: str | None = None,
) -> TeamView:
    """The team's screen (``members``: the owner's list of members by first name)."""
    storage = env.storage
    team = await storage.get_team(team_id)
    if team is None:
        return TeamView(Step.GONE, teams=await storage.teams_of(user.id))
    role = await _role(env, team, user)
    if role is None:
        return TeamView(Step.REFUSED, team)
    manages = role is not Role.MEMBER
    report = None
    if manages:
        report = await team_report(
            env, user, lang or stored_language(user, env.settings.default_language), team
        )
    return TeamView(
        Step.RESULTS,
        team,
        role,
        await storage.is_sharing(team.id, user.id),
        await storage.shared_progress(team.id) if manages else None,
        await storage.named_members(team.id) if members and role is Role.OWNER else None,
        notice=notice,
        report=report,
        digest_day=user.digest_day,
    )


MANAGER_VERBS = ("m", "a", "x", "h", "hs", "hl")


async def manage(env: Env, user: User, team_id: int, verb: str, target: int) -> TeamView:
    """tmc:<verb>:<team>:<user>: m the members to choose from, a add a co-manager, x remove
    one (or a co-manager steps down: ``target`` is themselves), h ask to hand the team over,
    hs/hl hand it over (the old owner stays a co-manager / stops managing). Everything but
    stepping down is the owner's, checked on every press."""
    storage = env.storage
    team = await storage.get_team(team_id)
    if team is None:
        return TeamView(Step.GONE, teams=await storage.teams_of(user.id))
    owner = team.manager_id == user.id
    if verb == "x" and target in (0, user.id) and not owner:  # 0: the viewer themselves
        if await storage.remove_manager(team.id, user.id):
            return await view(env, user, team.id, "stepped down")
        return TeamView(Step.REFUSED, team)
    if not owner:
        return TeamView(Step.REFUSED, team)
    if verb == "m":
        return await view(env, user, team.id, members=True)
    if verb == "a":
        added = await storage.add_manager(team.id, target, user.id, env.now())
        return await view(env, user, team.id, "added" if added else None, members=True)
    if verb == "x":
        removed = await storage.remove_manager(team.id, target)
        return await view(env, user, team.id, "removed" if removed else None, members=True)
    if verb == "h":
        if not await storage.is_manager(team.id, target) or target == user.id:
            return await view(env, user, team.id, members=True)
        shown = await view(env, user, team.id, "ask hand-over", members=True)
        name = next(n for i, n, _ in shown.members or [] if i == target)
        return replace(shown, target=(target, name))
    if verb in ("hs", "hl") and target != user.id:
        handed = await storage.hand_over(team.id, user.id, target, stay=verb == "hs")
        return await view(env, user, team.id, "handed over" if handed else None)
    return TeamView(Step.REFUSED, team)


async def share(env: Env, user: User, team_id: int, on: bool) -> TeamView:
    """tsh:<team>:<1|0>: a member shares their progress by name with the team's managers,
    or stops (off by default; any time)."""
    storage = env.storage
    team = await storage.get_team(team_id)
    if team is None:
        return TeamView(Step.GONE, teams=await storage.teams_of(user.id))
    if not await storage.set_sharing(team.id, user.id, on, env.now()):
        return TeamView(Step.REFUSED, team)
    return await view(env, user, team.id, "shared" if on else "unshared")
