"""The dashboard (a Telegram Mini App): who may see what, and what each view contains.

Authentication is Telegram's for Mini Apps: the page sends the launch's ``initData`` with
every request (``Authorization: tma <initData>``); :func:`check_init_data` checks its
signature (HMAC-SHA-256 keyed with ``HMAC_SHA256("WebAppData", bot token)`` over the sorted
``key=value`` lines without ``hash``, compared in constant time) and its age. There is no
session: the rights are read again on every request (:func:`viewer`: the admin list from the
settings, the teams managed from storage).

Views, each reusing the services behind the chat screens:

* a learner's own page: /progress, the streak, /journal, /certificates;
* the admins': learners and activity over a date range, the channel funnel, broadcasts with
  their outcome, per-lesson figures, the questions that confuse, and the CSV exports of
  /export; filters by the learners' language, a series and a date range;
* a manager's team: members, the assessment's means under the team privacy rule
  (``services/teams.aggregate``: a mean only from ``MIN_TEAM`` members other than the
  viewer, else "too few answers", never a member's own figure), the team's lessons (the
  same rule), and its assignments and week (``services/assignments.team_report``: the
  figures the team screen and the weekly digest show, under the same rule).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from bot.config import TELEGRAM_API_URL
from bot.i18n import LANGUAGES, pick_language
from bot.services import (
    assignments,
    attribution,
    broadcast,
    certificates,
    journal,
    progress,
    stats,
    teams,
)
from bot.services.assessment import Obstacle, obstacles
from bot.services.assignments import TeamReport
from bot.services.env import Env
from content.model import SeriesContent
from domain.records import Broadcast, Stats, Team, User
from storage.dashboard import RangeActivity

SKEW = 60  # seconds an auth_date may be ahead of our clock (clocks drift)
RANGE_DAYS = 30  # the default date range: the last 30 days
MAX_RANGE_DAYS = 366
CONFUSING = 0.5  # a question right at first try for under half of ...
MIN_CONFUSING = 5  # ... at least this many learners confuses them
CONFUSING_SHOWN = 10
BROADCASTS_SHOWN = 10
JOURNAL_SHOWN = 50  # a learner's latest journal entries on their page (the chat pages by 5)
MAX_BROADCASTS = 50  # the latest, of which those created in the range are shown
SOURCES_SHOWN = 10
EXPORTS = ("progress", "lessons", "comments", "funnel")


# initData: Telegram's signature -------------------------------------------------------------
class InitDataError(ValueError):
    """The initData is refused; ``reason`` says why (for logs and tests, never the data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebAppUser:
    """Who opened the Mini App, as Telegram signed it."""

    id: int
    first_name: str
    language_code: str | None
    auth_date: datetime


def secret_key(token: str) -> bytes:
    """The key initData is signed with: HMAC-SHA-256 of the bot token, keyed "WebAppData"."""
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def data_check_string(fields: Mapping[str, str]) -> str:
    """Every field but ``hash``, as ``key=value`` lines sorted by key."""
    return "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")


def signature(fields: Mapping[str, str], token: str) -> str:
    """The hex ``hash`` Telegram puts in initData for these fields."""
    return hmac.new(
        secret_key(token), data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()


def sign_init_data(fields: Mapping[str, str], token: str) -> str:
    """initData as Telegram passes it (``fields`` and their ``hash``, URL-encoded): for the
    sandbox's link and the tests; Telegram signs the real ones."""
    return urlencode({**fields, "hash": signature(fields, token)})


def check_init_data(
    raw: str, token: str, now: datetime, max_age: float, skew: float = SKEW
) -> WebAppUser:
    """The user of a genuine, fresh initData; :class:`InitDataError` otherwise: no or a
    malformed field, a repeated field, no hash, a hash that does not match (another bot's
    token, a changed field), signed more than ``max_age`` seconds ago or more than ``skew``
    seconds in the future, or no user."""
    if not raw or len(raw) > 8192:
        raise InitDataError("missing")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("malformed") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("repeated field")
    given = fields.get("hash", "")
    if not given:
        raise InitDataError("no hash")
    if not hmac.compare_digest(signature(fields, token), given.lower()):
        raise InitDataError("bad hash")
    try:
        signed = datetime.fromtimestamp(int(fields.get("auth_date", "")), UTC)
    except (ValueError, OverflowError, OSError):
        raise InitDataError("no auth_date") from None
    if signed > now + timedelta(seconds=skew):
        raise InitDataError("in the future")
    if now - signed > timedelta(seconds=max_age):
        raise InitDataError("expired")
    try:
        user = json.loads(fields.get("user", ""))
        user_id = user["id"]
    except (ValueError, KeyError, TypeError):
        raise InitDataError("no user") from None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise InitDataError("no user")
    code = user.get("language_code")
    return WebAppUser(
        user_id,
        str(user.get("first_name") or ""),
        code if isinstance(code, str) else None,
        signed,
    )


# Who is looking --------------------------------------------------------------------------
@dataclass(frozen=True)
class Viewer:
    """The rights of one request, read afresh: an admin (``CXCOACH_ADMIN_IDS``) and the teams
    they manage (``team_managers``)."""

    id: int
    first_name: str
    lang: str
    user: User | None  # None: never used the bot
    admin: bool
    teams: tuple[Team, ...]  # managed (owner or co-manager), by name

    def manages(self, team_id: int) -> Team | None:
        return next((team for team in self.teams if team.id == team_id), None)


async def viewer(env: Env, who: WebAppUser) -> Viewer:
    """The viewer's rights and language (the one chosen in the bot, else Telegram's, else
    the default)."""
    storage = env.storage
    user = await storage.get_user(who.id)
    default = env.settings.default_language
    lang = user.language if user is not None and user.language in LANGUAGES else None
    lang = lang or pick_language(who.language_code, default)
    managed = await storage.managed_teams(who.id)
    mine = [team for team in await storage.teams_of(who.id) if team.id in managed]
    mine.sort(key=lambda team: (team.name.casefold(), team.id))
    return Viewer(
        who.id,
        user.first_name if user is not None else who.first_name,
        lang,
        user,
        env.settings.is_admin(who.id),
        tuple(mine),
    )


# A learner's own page ----------------------------------------------------------------------
@dataclass(frozen=True)
class LearnerView:
    progress: progress.Progress | None  # None: never used the bot
    journal: journal.JournalPage | None
    certificates: tuple[certificates.Issued, ...]


async def learner_view(env: Env, me: Viewer) -> LearnerView:
    """The viewer's own progress, streak, journal (its latest entries) and certificates."""
    if me.user is None:
        return LearnerView(None, None, ())
    return LearnerView(
        await progress.progress(env, me.user, me.lang),
        await journal.journal(env, me.user, me.lang, per_page=JOURNAL_SHOWN),
        tuple(await certificates.mine(env, me.user, me.lang)),
    )


# The admins' views -------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    """The admin view's filters: the learners' language, a series, a date range."""

    start: date
    end: date
    language: str | None = None
    series: str | None = None

    def query(self) -> dict[str, str]:
        found = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.language:
            found["language"] = self.language
        if self.series:
            found["series"] = self.series
        return found


def parse_filters(query: Mapping[str, str], today: date, series_ids: Sequence[str]) -> Filters:
    """Filters from a request's query; what is unknown or malformed falls back to the default
    (every language, every series, the last ``RANGE_DAYS`` days), a range is at most
    ``MAX_RANGE_DAYS`` long and ends today at the latest."""

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(query.get(name, ""))
        except ValueError:
            return None

    end = min(day("to") or today, today)
    start = day("from") or end - timedelta(days=RANGE_DAYS - 1)
    if start > end:
        start, end = end, start
    start = max(start, end - timedelta(days=MAX_RANGE_DAYS - 1))
    language = query.get("language") if query.get("language") in LANGUAGES else None
    series = query.get("series") if query.get("series") in series_ids else None
    return Filters(start, end, language, series)


@dataclass(frozen=True)
class Confusing:
    """A quiz question most learners get wrong at their first try."""

    figures: stats.LessonFigures
    accuracy: stats.Accuracy

    @property
    def question(self) -> str:
        quiz = self.figures.lesson.quiz
        index = self.accuracy.question
        return quiz[index].question if index < len(quiz) else ""


@dataclass(frozen=True)
class AdminView:
    filters: Filters
    series: tuple[SeriesContent, ...]  # every series, for the filter
    totals: Stats  # all time, every learner (as /stats)
    activity: RangeActivity  # in the range, the filters applied
    days: tuple[tuple[date, int, int], ...]  # every day of the range (zeros included)
    lessons: tuple[stats.LessonFigures, ...]  # the series' (or all), the language's learners
    confusing: tuple[Confusing, ...]
    broadcasts: tuple[tuple[Broadcast, dict[str, int]], ...]
    funnel: tuple[attribution.Source, ...]


def every_day(start: date, end: date, days: Sequence[tuple[date, int, int]]):
    """One row per day of the range, zeros where nothing happened."""
    known = {d: (a, c) for d, a, c in days}
    count = (end - start).days + 1
    return tuple(
        (d, *known.get(d, (0, 0))) for d in (start + timedelta(days=i) for i in range(count))
    )


def confusing(figures: Sequence[stats.LessonFigures]) -> tuple[Confusing, ...]:
    """Questions right at first try for under ``CONFUSING`` of at least ``MIN_CONFUSING``
    learners, the worst first."""
    found = [
        Confusing(f, q)
        for f in figures
        for q in f.questions
        if q is not None and q.answered >= MIN_CONFUSING and q.right < CONFUSING * q.answered
    ]
    found.sort(key=lambda c: (c.accuracy.right / c.accuracy.answered, -c.accuracy.answered))
    return tuple(found[:CONFUSING_SHOWN])


async def admin_view(env: Env, lang: str, query: Mapping[str, str]) -> AdminView:
    """Everything the admins' page shows, with the filters of ``query``."""
    catalog, storage = env.catalog, env.storage
    series_list = tuple(catalog.series_list(lang))
    chosen = parse_filters(query, env.now().date(), [s.id for s in series_list])
    default = env.settings.default_language
    lesson_ids = None
    if chosen.series is not None:
        lesson_ids = [x.id for s in series_list if s.id == chosen.series for x in s.lessons]
    activity = await storage.dashboard_activity(
        chosen.start, chosen.end, default, chosen.language, lesson_ids
    )
    tallies = await storage.dashboard_lesson_tallies(
        chosen.language, default, chosen.start, chosen.end
    )
    figures = [
        f
        for f in stats.lesson_figures(catalog, lang, tallies)
        if chosen.series is None or f.series.id == chosen.series
    ]
    funnel = await attribution.funnel(env, lang)
    return AdminView(
        chosen,
        series_list,
        await storage.stats(env.now(), default),
        activity,
        every_day(chosen.start, chosen.end, activity.days),
        tuple(figures),
        confusing(figures),
        tuple(
            (b, counts)
            for b, counts in await broadcast.history(env, MAX_BROADCASTS)
            if chosen.start <= b.created_at.date() <= chosen.end
        )[:BROADCASTS_SHOWN],
        funnel.sources[:SOURCES_SHOWN],
    )


async def export(env: Env, lang: str, kind: str) -> stats.Export | None:
    """One of /export's CSV files (``EXPORTS``), as /export sends it; None: no such kind."""
    if kind not in EXPORTS:
        return None
    return next(e for e in await stats.exports(env, lang) if e.kind == kind)


# A manager's team --------------------------------------------------------------------------
@dataclass(frozen=True)
class TeamDashboard:
    team: Team
    data: teams.TeamAggregate  # the others' means, each from MIN_TEAM of them at least
    obstacles: tuple[Obstacle, ...]
    lessons: tuple[stats.LessonFigures, ...]  # each figure from MIN_TEAM others at least
    report: TeamReport  # assignments and the week, as the team screen and the digest see it

    @property
    def minimum(self) -> int:
        return teams.MIN_TEAM


async def team_view(env: Env, me: Viewer, team_id: int) -> TeamDashboard | None:
    """A team its viewer manages (None for anyone else, checked against storage now): the
    members, the assessment under the privacy rule, the lessons, the assignments."""
    team = me.manages(team_id)
    if team is None or me.user is None or not await env.storage.is_manager(team_id, me.id):
        return None
    others = await env.storage.team_latest_ratings(team.id, excluding=me.id)
    found = await teams.team_lessons(env, me.user, me.lang, team.id)
    return TeamDashboard(
        team,
        teams.aggregate(others),
        tuple(obstacles(env.catalog, me.lang)),
        tuple(found.lessons or ()),
        await assignments.team_report(env, me.user, me.lang, team),
    )


# /dashboard in the chat ----------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """What /dashboard tells its user they will find: the admins' and managers' views."""

    admin: bool
    manager: bool


def openable(url: str | None, bot_api_url: str) -> str | None:
    """The Mini App's URL if a client can open it: Telegram opens https only (a loopback
    http URL serves the sandbox and the tests, whose stand-in allows it)."""
    if url is None or (not url.startswith("https://") and bot_api_url == TELEGRAM_API_URL):
        return None
    return url


async def entry(env: Env, user: User) -> Entry:
    return Entry(env.settings.is_admin(user.id), bool(await env.storage.managed_teams(user.id)))
