"""/channel: the channel's posting calendar — planning posts (a lesson's teaser, a quiz poll
from one of its questions, a series' digest, the admin's own message), a whole series of
teasers on chosen weekdays, moving, cancelling, previewing and resending them; what a post
says and when it is due; the quiz polls' votes and the posts' reactions as Telegram reports
them. Posting is the runner's (:mod:`bot.poster`).

Every use case is an admin's: the handler checks the caller against CXCOACH_ADMIN_IDS on
every call before it gets here. Times are chosen in the admin's own zone (their /settings
zone, else their language's) and stored in UTC.

Each post goes to its language's channel (``CXCOACH_CHANNELS``, else ``CXCOACH_CHANNEL``),
stored with the post, so a later change of the setting does not move planned posts.
"""

from __future__ import annotations

import enum
import json
import math
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as dtime

from bot.services.broadcast import BROADCASTABLE, LANGUAGE_CODES
from bot.services.env import Env, Gone
from bot.services.learners import stored_language
from bot.services.schedule import prefs_of
from content.model import Catalog, Lesson, QuizQuestion, SeriesContent
from domain.records import ChannelPost, User
from storage.channel import NewPost


class PostKind(enum.Enum):
    TEASER = "teaser"  # a lesson's title and key idea, a button to the lesson
    QUIZ = "quiz"  # a native quiz poll from one of the lesson's questions, a button to it
    DIGEST = "digest"  # a series: title, summary, its lessons' titles, a button to it
    FREE = "free"  # the admin's own message, copied


class PostState(enum.Enum):
    PLANNED = "planned"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"
    CANCELLED = "cancelled"


# users.awaiting while an admin's input is awaited: the message of a free post
# ("cpf:<language>:<unix seconds>") or a typed date and time ("cpt:<what it is for>").
AWAIT_FREE, AWAIT_TYPED = "cpf", "cpt"

DAYS_AHEAD = 8  # today and the next 7 days (the same weekday next week included)
TIMES = (8 * 60, 9 * 60, 10 * 60, 12 * 60, 14 * 60, 17 * 60, 19 * 60, 21 * 60)
FURTHEST = timedelta(days=366)  # a typed date at most this far ahead
PER_PAGE = 8  # upcoming posts on a page of the plan
RECENT = 5  # past posts shown under them
SERIES_DAYS = 0b0010101  # "plan a series" starts with Monday, Wednesday and Friday
STOPPED = "the bot stopped while it was posting this"  # an unconfirmed post's error
CONTENT_GONE = "no longer in the lessons"  # a failed post's error when its lesson left

_CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
_TYPED = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2})[:.](\d{2})\s*$")


# Rules -----------------------------------------------------------------------------------
def is_due(post: ChannelPost, now: datetime) -> bool:
    """Whether the runner may take the post now: planned, and its time has come."""
    return post.status == PostState.PLANNED.value and post.run_at <= now


def local_moment(day: date, minutes: int, tz: tzinfo) -> datetime:
    """The UTC instant of a local wall-clock time on ``day``. DST is the zone's: 09:00
    stays 09:00 on both sides of a change; a time skipped by spring-forward comes an hour
    later in the wall clock (the same instant as the earlier offset gives), an ambiguous one
    is taken once (its first occurrence)."""
    return datetime.combine(day, dtime(minutes // 60, minutes % 60), tzinfo=tz).astimezone(UTC)


def series_times(count: int, days: int, minutes: int, tz: tzinfo, now: datetime) -> list[datetime]:
    """``count`` moments for "plan a series": ``minutes`` local time on each chosen weekday
    (``days``: bit 0 = Monday ... bit 6 = Sunday), one per chosen day, from the first such
    moment after ``now``."""
    if not days & 0b1111111 or count <= 0:
        return []
    found: list[datetime] = []
    day = now.astimezone(tz).date()
    while len(found) < count:
        if days >> day.weekday() & 1 and (moment := local_moment(day, minutes, tz)) > now:
            found.append(moment)
        day += timedelta(days=1)
    return found


def day_choices(now: datetime, tz: tzinfo) -> list[date]:
    """The days the picker offers: today (while one of the times is still ahead) and on."""
    today = now.astimezone(tz).date()
    days = [today + timedelta(days=n) for n in range(DAYS_AHEAD)]
    return [day for day in days if time_choices(day, now, tz)]


def time_choices(day: date, now: datetime, tz: tzinfo) -> list[int]:
    """The times the picker offers on ``day``: those still ahead."""
    return [minutes for minutes in TIMES if local_moment(day, minutes, tz) > now]


def day_of(number: int | None) -> date | None:
    """A picker's day (20261224) as a date; None for anything that is not one."""
    if number is None:
        return None
    try:
        return date(number // 10000, number // 100 % 100, number % 100)
    except ValueError:
        return None


def day_number(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def parse_when(text: str, tz: tzinfo) -> datetime | None:
    """A typed date and time in the admin's zone ("2026-12-24 09:30") as UTC; None if it is
    not one."""
    match = _TYPED.match(text)
    if not match:
        return None
    year, month, day, hour, minute = (int(part) for part in match.groups())
    if hour > 23 or minute > 59:
        return None
    try:
        return local_moment(date(year, month, day), hour * 60 + minute, tz)
    except ValueError:
        return None


def chat_of(channel: str) -> int | str:
    """A stored channel as the Bot API takes it: -100... ids as numbers, @usernames as they
    are."""
    return int(channel) if channel.lstrip("-").isdigit() else channel


def new_code() -> str:
    """A tracked link's code (``?start=c_<code>``): 10 random letters and digits."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def poll_counts(post: ChannelPost) -> tuple[int, ...]:
    return tuple(json.loads(post.poll_counts)) if post.poll_counts else ()


def reactions(post: ChannelPost) -> tuple[tuple[str, int], ...]:
    """The post's reactions, the most given first."""
    counted = json.loads(post.reactions) if post.reactions else {}
    return tuple(sorted(((k, int(v)) for k, v in counted.items() if v), key=lambda kv: -kv[1]))


# What the screens show ---------------------------------------------------------------------
@dataclass(frozen=True)
class PostView:
    """A post as the admin's screens show it."""

    post_id: int
    kind: PostKind
    state: PostState
    run_at: datetime
    language: str
    channel: str
    title: str  # the lesson's (teaser, quiz) or the series' (digest); "" for a free post
    question_number: int | None = None  # a quiz: which of the lesson's questions (1-based)
    sent_at: datetime | None = None
    error: str | None = None
    votes: tuple[int, ...] = ()  # a quiz poll: voters per option, as the poll last stood
    poll_closed: bool = False
    reacted: tuple[tuple[str, int], ...] = ()  # emoji and count, the most given first
    gone: bool = False  # its lesson or series is no longer in the content


def view_of(catalog: Catalog, post: ChannelPost) -> PostView:
    title, gone = "", False
    if post.lesson_id is not None:
        found = catalog.lesson(post.language, post.lesson_id)
        title, gone = (found[1].title, False) if found else (post.lesson_id, True)
    elif post.series_id is not None:
        series = catalog.series(post.language, post.series_id)
        title, gone = (series.series.title, False) if series else (post.series_id, True)
    return PostView(
        post.id,
        PostKind(post.kind),
        PostState(post.status),
        post.run_at,
        post.language,
        post.channel,
        title,
        None if post.question is None else post.question + 1,
        post.sent_at,
        post.error,
        poll_counts(post),
        post.poll_closed,
        reactions(post),
        gone,
    )


@dataclass(frozen=True)
class ChannelOf:
    language: str
    channel: str


@dataclass(frozen=True)
class PlanView:
    """/channel: the posts ahead (a page of them) and the latest that went out."""

    channels: tuple[ChannelOf, ...]
    upcoming: tuple[PostView, ...]
    recent: tuple[PostView, ...]
    page: int
    pages: int
    zone: str  # the admin's zone, in which times are shown
    tz: tzinfo
    now: datetime


@dataclass(frozen=True)
class Pending:
    """What the day and time pickers choose a moment for: a new post (its kind, language,
    lesson or series, question), or, with ``post_id``, a planned post to move."""

    kind: PostKind
    language: str
    lesson: Lesson | None = None
    series: SeriesContent | None = None
    question: int | None = None  # 0-based
    post_id: int | None = None

    @property
    def target_id(self) -> str | None:
        if self.kind is PostKind.DIGEST:
            return self.series.id if self.series else None
        return self.lesson.id if self.lesson else None


@dataclass(frozen=True)
class Picker:
    """The choices of the day picker (``day`` None) or of a day's time picker."""

    pending: Pending
    days: tuple[date, ...]
    today: date
    zone: str
    tz: tzinfo
    day: date | None = None
    times: tuple[int, ...] = ()


@dataclass(frozen=True)
class SeriesPlan:
    """ "Plan a series": one teaser per lesson, on the chosen weekdays at a time."""

    language: str
    channel: str
    series: SeriesContent
    days: int  # bit 0 = Monday
    minutes: int | None  # None: not chosen yet
    runs: tuple[datetime, ...]  # when each lesson's teaser goes out (minutes chosen)
    zone: str
    tz: tzinfo
    planned: int = 0  # after confirming: how many were new (the rest were planned already)


@dataclass(frozen=True)
class PostContent:
    """What a post says, for the runner and the preview: the lesson (teaser, quiz), the
    question (quiz), the series (digest; a lesson's too), the tracked code of its button,
    or the admin's message (free)."""

    kind: PostKind
    language: str
    lesson: Lesson | None = None
    series: SeriesContent | None = None
    question: QuizQuestion | None = None
    code: str | None = None  # the button's start payload is c_<code>
    source_chat_id: int | None = None
    source_message_id: int | None = None

    @property
    def payload(self) -> str | None:
        """The button's start payload: the tracked code, else the plain deep link."""
        if self.code:
            return f"c_{self.code}"
        if self.kind is PostKind.DIGEST and self.series is not None:
            return f"s_{self.series.id}"
        if self.lesson is not None:
            return f"l_{self.lesson.id}"
        return None


class Step(enum.Enum):
    """What an admin's command, press or message comes to (the screen to show)."""

    NO_CHANNEL = "no channel"  # none configured
    KINDS = "kinds"  # what kind of post
    OUT_OF_DATE = "out of date"  # a post that is not there, a choice that no longer fits
    PLAN = "plan"  # the plan (plan)
    LANGUAGES = "languages"  # which language's channel (kind, languages)
    SERIES = "series"  # which series (kind, language, all_series)
    LESSONS = "lessons"  # which of a series' lessons (kind, language, series)
    QUESTIONS = "questions"  # which of a lesson's questions (language, lesson)
    DAYS = "days"  # the day picker (picker)
    TIMES = "times"  # a day's time picker (picker)
    PAST = "past"  # that moment has passed: the day picker again (picker)
    TOO_FAR = "too far"  # over a year ahead: the day picker again (picker)
    TYPE_WHEN = "type when"  # the next text is the date and time (picker)
    ASK_MESSAGE = "ask message"  # the next message is the free post (pending, run_at)
    NOT_POSTABLE = "not postable"  # that kind of message cannot be posted
    UNREADABLE = "unreadable"  # a typed date that is not one (picker)
    PLANNED = "planned"  # a new post (view)
    ALREADY = "already"  # the same post was planned for that moment already (view)
    MOVED = "moved"  # (view)
    NOT_PLANNED = "not planned"  # moving or cancelling a post that is no longer planned
    VIEW = "view"  # one post (view)
    PREVIEW = "preview"  # the post as it will look (view, content)
    ASK_CANCEL = "ask cancel"  # (view)
    CANCELLED = "cancelled"  # (view)
    ASK_RESEND = "ask resend"  # (view)
    RESENT = "resent"  # planned again, for now (view)
    SERIES_DAYS = "series days"  # weekdays and a time for a series (series_plan)
    SERIES_CONFIRM = "series confirm"  # the moments, to confirm (series_plan)
    SERIES_PLANNED = "series planned"  # (series_plan, planned)


@dataclass(frozen=True)
class Outcome:
    step: Step
    kind: PostKind | None = None
    language: str | None = None
    channel: str | None = None
    languages: tuple[str, ...] = ()
    all_series: tuple[SeriesContent, ...] = ()
    series: SeriesContent | None = None
    lesson: Lesson | None = None
    plan: PlanView | None = None
    picker: Picker | None = None
    pending: Pending | None = None
    run_at: datetime | None = None
    view: PostView | None = None
    content: PostContent | None = None
    series_plan: SeriesPlan | None = None
    tz: tzinfo = UTC


def _post_view(env: Env, post: ChannelPost) -> PostView:
    return view_of(env.catalog, post)


def _languages(env: Env) -> tuple[str, ...]:
    """The languages whose channel is configured (en, ru, uk)."""
    channels = env.settings.channel_by_language
    return tuple(lang for lang in LANGUAGE_CODES if lang in channels)


def _channel(env: Env, language: str) -> str | None:
    return env.settings.channel_by_language.get(language)


# Use cases -------------------------------------------------------------------------------
async def overview(env: Env, user: User, lang: str, page: int = 0) -> Outcome:
    """/channel: the posts ahead, a page at a time, and the latest ones that went out."""
    languages = _languages(env)
    if not languages:
        return Outcome(Step.NO_CHANNEL)
    prefs = prefs_of(user, lang)
    total = await env.storage.count_upcoming_channel_posts()
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 0), pages - 1)
    upcoming = await env.storage.upcoming_channel_posts(PER_PAGE, page * PER_PAGE)
    recent = await env.storage.recent_channel_posts(RECENT)
    channels = tuple(ChannelOf(code, _channel(env, code) or "") for code in languages)
    plan = PlanView(
        channels,
        tuple(_post_view(env, post) for post in upcoming),
        tuple(_post_view(env, post) for post in recent),
        page,
        pages,
        prefs.timezone,
        prefs.tz,
        env.now(),
    )
    return Outcome(Step.PLAN, plan=plan, tz=prefs.tz)


async def new_post(
    env: Env, user: User, lang: str, kind: str | None, language: str | None
) -> Outcome:
    """➕ Add a post (``kind`` None: which kind) / 🗓 Plan a series (``kind`` "series"): the
    language's channel (asked when several are configured), then what to post from."""
    languages = _languages(env)
    if not languages:
        return Outcome(Step.NO_CHANNEL)
    if kind is None:
        return Outcome(Step.KINDS)
    if language is None and len(languages) > 1:
        post_kind = None if kind == "series" else PostKind(kind)
        return Outcome(Step.LANGUAGES, kind=post_kind, languages=languages)
    language = language or languages[0]
    if language not in languages:
        return Outcome(Step.OUT_OF_DATE)
    if kind == "free":
        return await _days(env, user, lang, Pending(PostKind.FREE, language))
    post_kind = None if kind == "series" else PostKind(kind)
    return Outcome(
        Step.SERIES,
        kind=post_kind,
        language=language,
        all_series=env.catalog.series_list(language),
    )


async def lessons_of(env: Env, kind: str, language: str, series_id: str) -> Outcome:
    """A series' lessons, to choose the one a teaser or a quiz is about."""
    series = env.catalog.series(language, series_id)
    if series is None:
        raise Gone("series")
    return Outcome(Step.LESSONS, kind=PostKind(kind), language=language, series=series)


async def questions_of(env: Env, language: str, lesson_id: str) -> Outcome:
    """A lesson's questions, to choose the one a quiz poll asks."""
    found = env.catalog.lesson(language, lesson_id)
    if found is None:
        raise Gone("lesson")
    return Outcome(
        Step.QUESTIONS, kind=PostKind.QUIZ, language=language, lesson=found[1], series=found[0]
    )


def _pending(
    env: Env, kind: str, language: str, target_id: str | None, question: int | None
) -> Pending:
    """A new post's choices, checked against the content (Gone when it left it)."""
    post_kind = PostKind(kind)
    if post_kind is PostKind.FREE:
        return Pending(post_kind, language)
    if post_kind is PostKind.DIGEST:
        series = env.catalog.series(language, target_id or "")
        if series is None:
            raise Gone("series")
        return Pending(post_kind, language, series=series)
    found = env.catalog.lesson(language, target_id or "")
    if found is None:
        raise Gone("lesson")
    series, lesson = found
    if post_kind is PostKind.QUIZ and (question is None or question >= len(lesson.quiz)):
        raise Gone("question")
    return Pending(post_kind, language, lesson, series, question)


async def _days(
    env: Env, user: User, lang: str, pending: Pending, step: Step = Step.DAYS
) -> Outcome:
    prefs, now = prefs_of(user, lang), env.now()
    days = tuple(day_choices(now, prefs.tz))
    today = now.astimezone(prefs.tz).date()
    picker = Picker(pending, days, today, prefs.timezone, prefs.tz)
    return Outcome(step, picker=picker, pending=pending, tz=prefs.tz)


async def when(
    env: Env,
    user: User,
    lang: str,
    kind: str,
    language: str,
    target_id: str | None,
    question: int | None,
    day: int | None = None,
    minutes: int | None = None,
    typed: bool = False,
) -> Outcome:
    """A new post's moment, step by step: the day picker, a day's times, then the post is
    planned (a free post: its message is asked for first). ``typed``: the admin types the
    date and time instead."""
    if language not in _languages(env):
        return Outcome(Step.OUT_OF_DATE)
    pending = _pending(env, kind, language, target_id, question)
    return await _choose(env, user, lang, pending, day, minutes, typed)


async def _choose(
    env: Env,
    user: User,
    lang: str,
    pending: Pending,
    day: int | None,
    minutes: int | None,
    typed: bool,
) -> Outcome:
    if typed:
        await env.storage.set_awaiting(user.id, f"{AWAIT_TYPED}:{_typed_spec(pending)}")
        return await _days(env, user, lang, pending, Step.TYPE_WHEN)
    if day is None:
        return await _days(env, user, lang, pending)
    chosen = day_of(day)
    if chosen is None:
        return Outcome(Step.OUT_OF_DATE)
    prefs, now = prefs_of(user, lang), env.now()
    if minutes is None:
        times = tuple(time_choices(chosen, now, prefs.tz))
        if not times:
            return await _days(env, user, lang, pending, Step.PAST)
        today = now.astimezone(prefs.tz).date()
        picker = Picker(pending, (), today, prefs.timezone, prefs.tz, chosen, times)
        return Outcome(Step.TIMES, picker=picker, pending=pending, tz=prefs.tz)
    return await _at(env, user, lang, pending, local_moment(chosen, minutes, prefs.tz))


async def _at(env: Env, user: User, lang: str, pending: Pending, run_at: datetime) -> Outcome:
    """The moment is chosen: plan (or move) the post, unless the moment has passed."""
    now = env.now()
    if run_at <= now:
        return await _days(env, user, lang, pending, Step.PAST)
    if run_at > now + FURTHEST:
        return await _days(env, user, lang, pending, Step.TOO_FAR)
    tz = prefs_of(user, lang).tz
    if pending.post_id is not None:
        moved = await env.storage.move_channel_post(pending.post_id, run_at)
        if moved is None:
            current = await env.storage.channel_post(pending.post_id)
            view = _post_view(env, current) if current else None
            return Outcome(Step.NOT_PLANNED if view else Step.OUT_OF_DATE, view=view, tz=tz)
        return Outcome(Step.MOVED, view=_post_view(env, moved), tz=tz)
    channel = _channel(env, pending.language)
    if channel is None:
        return Outcome(Step.NO_CHANNEL)
    if pending.kind is PostKind.FREE:
        stamp = int(run_at.timestamp())
        await env.storage.set_awaiting(user.id, f"{AWAIT_FREE}:{pending.language}:{stamp}")
        return Outcome(
            Step.ASK_MESSAGE,
            pending=pending,
            run_at=run_at,
            tz=tz,
            language=pending.language,
            channel=channel,
        )
    [(post, created)] = await env.storage.plan_channel_posts(
        [_new_post(pending, channel, run_at)], user.id, now
    )
    return Outcome(Step.PLANNED if created else Step.ALREADY, view=_post_view(env, post), tz=tz)


def _new_post(pending: Pending, channel: str, run_at: datetime) -> NewPost:
    """A new teaser, quiz or digest with its tracked button (to the lesson, or the series)."""
    kind = pending.kind.value
    if pending.kind is PostKind.DIGEST:
        assert pending.series is not None
        target, what = f"s_{pending.series.id}", pending.series.id
    else:
        assert pending.lesson is not None
        target, what = f"l_{pending.lesson.id}", pending.lesson.id
    name = f"{kind} {what} {run_at:%Y-%m-%d %H:%M} UTC ({pending.language})"
    return NewPost(
        channel,
        pending.language,
        kind,
        run_at,
        lesson_id=pending.lesson.id if pending.lesson else None,
        series_id=pending.series.id if pending.series else None,
        question=pending.question if pending.kind is PostKind.QUIZ else None,
        link_code=new_code(),
        link_name=name,
        link_target=target,
    )


def _typed_spec(pending: Pending) -> str:
    """What a typed date is for, kept in users.awaiting: m:<post> (a move), or
    w:<kind>:<language>:<lesson or series>:<question>."""
    if pending.post_id is not None:
        return f"m:{pending.post_id}"
    question = "-" if pending.question is None else str(pending.question)
    return f"w:{pending.kind.value}:{pending.language}:{pending.target_id or '-'}:{question}"


def _from_spec(env: Env, spec: str) -> Pending | None:
    parts = spec.split(":")
    try:
        if parts[0] == "m" and len(parts) == 2:
            return Pending(PostKind.FREE, "", post_id=int(parts[1]))
        if parts[0] == "w" and len(parts) == 5:
            _, kind, language, target, question = parts
            return _pending(
                env,
                kind,
                language,
                None if target == "-" else target,
                None if question == "-" else int(question),
            )
    except (ValueError, Gone):
        return None
    return None


async def typed_when(env: Env, user: User, lang: str, text: str) -> Outcome:
    """A date and time typed when asked: the post is planned (or moved) then; a text that is
    not one is asked again."""
    awaiting = user.awaiting or ""
    pending = _from_spec(env, awaiting.partition(":")[2])
    if pending is None:
        await env.storage.set_awaiting(user.id, None)
        return Outcome(Step.OUT_OF_DATE)
    prefs = prefs_of(user, lang)
    run_at = parse_when(text, prefs.tz)
    if run_at is None:
        return await _days(env, user, lang, pending, Step.UNREADABLE)
    if pending.post_id is not None:
        post = await env.storage.channel_post(pending.post_id)
        if post is None:
            await env.storage.set_awaiting(user.id, None)
            return Outcome(Step.OUT_OF_DATE)
        pending = _move_pending(post)
    outcome = await _at(env, user, lang, pending, run_at)
    # refused: it may be typed again; a free post: its message is awaited now
    if outcome.step not in (Step.PAST, Step.TOO_FAR, Step.ASK_MESSAGE):
        await env.storage.set_awaiting(user.id, None)
    return outcome


def _move_pending(post: ChannelPost) -> Pending:
    return Pending(PostKind(post.kind), post.language, post_id=post.id)


async def move(
    env: Env,
    user: User,
    lang: str,
    post_id: int,
    day: int | None = None,
    minutes: int | None = None,
    typed: bool = False,
) -> Outcome:
    """Another day and time for a planned post, chosen as for a new one."""
    post = await env.storage.channel_post(post_id)
    if post is None:
        return Outcome(Step.OUT_OF_DATE)
    if post.status != PostState.PLANNED.value:
        return Outcome(Step.NOT_PLANNED, view=_post_view(env, post))
    return await _choose(env, user, lang, _move_pending(post), day, minutes, typed)


async def free_awaited(env: Env, user_id: int) -> bool:
    """Whether the admin's next message is awaited as a free post."""
    user = await env.storage.get_user(user_id)
    return user is not None and (user.awaiting or "").startswith(f"{AWAIT_FREE}:")


async def free_message(
    env: Env, user: User, lang: str, kind: str, chat_id: int, message_id: int
) -> Outcome:
    """The admin's message (of ``kind``) becomes the free post awaited; a kind that cannot
    be posted (a sticker, a poll...) is refused and the message stays awaited."""
    try:
        _, language, stamp = (user.awaiting or "").split(":")
        run_at = datetime.fromtimestamp(int(stamp), UTC)
    except ValueError:
        await env.storage.set_awaiting(user.id, None)
        return Outcome(Step.OUT_OF_DATE)
    if kind not in BROADCASTABLE:
        return Outcome(Step.NOT_POSTABLE)
    await env.storage.set_awaiting(user.id, None)
    channel = _channel(env, language)
    if channel is None:
        return Outcome(Step.NO_CHANNEL)
    tz = prefs_of(user, lang).tz
    if run_at <= env.now():  # the admin took a while: it goes out now
        run_at = env.now()
    new = NewPost(
        channel,
        language,
        PostKind.FREE.value,
        run_at,
        source_chat_id=chat_id,
        source_message_id=message_id,
    )
    [(post, created)] = await env.storage.plan_channel_posts([new], user.id, env.now())
    return Outcome(Step.PLANNED if created else Step.ALREADY, view=_post_view(env, post), tz=tz)


ACTIONS = ("v", "pv", "mv", "c", "cc", "rs", "rr")


async def post_action(env: Env, user: User, lang: str, verb: str, post_id: int) -> Outcome:
    """A post's buttons: view it (v), preview it (pv), move it (mv: the day picker), cancel
    it (c asks, cc does it), post it again (rs asks, rr does it: failed and unconfirmed
    posts only)."""
    post = await env.storage.channel_post(post_id)
    if post is None or verb not in ACTIONS:
        return Outcome(Step.OUT_OF_DATE)
    tz = prefs_of(user, lang).tz
    view = _post_view(env, post)
    planned = post.status == PostState.PLANNED.value
    if verb == "v":
        return Outcome(Step.VIEW, view=view, tz=tz)
    if verb == "pv":
        return Outcome(Step.PREVIEW, view=view, content=await content_of(env, post), tz=tz)
    if verb == "mv":
        if not planned:
            return Outcome(Step.NOT_PLANNED, view=view, tz=tz)
        return await _days(env, user, lang, _move_pending(post))
    if verb in ("c", "cc"):
        if not planned:
            return Outcome(Step.NOT_PLANNED, view=view, tz=tz)
        if verb == "c":
            return Outcome(Step.ASK_CANCEL, view=view, tz=tz)
        cancelled = await env.storage.cancel_channel_post(post.id)
        if cancelled is None:
            current = await env.storage.channel_post(post.id) or post
            return Outcome(Step.NOT_PLANNED, view=_post_view(env, current), tz=tz)
        return Outcome(Step.CANCELLED, view=_post_view(env, cancelled), tz=tz)
    if post.status not in (PostState.FAILED.value, PostState.UNCONFIRMED.value):
        return Outcome(Step.OUT_OF_DATE, view=view, tz=tz)
    if verb == "rs":
        return Outcome(Step.ASK_RESEND, view=view, tz=tz)
    resent = await env.storage.resend_channel_post(post.id, env.now())
    if resent is None:
        return Outcome(Step.OUT_OF_DATE, view=view, tz=tz)
    return Outcome(Step.RESENT, view=_post_view(env, resent), tz=tz)


async def series_plan(
    env: Env,
    user: User,
    lang: str,
    language: str,
    series_id: str,
    days: int,
    minutes: int | None = None,
    confirmed: bool = False,
) -> Outcome:
    """🗓 Plan a series: its weekdays and time (a screen of toggles and times), the moments
    each lesson's teaser goes out (to confirm), then every teaser planned at once — each with
    its tracked button; a double press plans nothing twice."""
    channel = _channel(env, language)
    if channel is None:
        return Outcome(Step.NO_CHANNEL)
    series = env.catalog.series(language, series_id)
    if series is None:
        raise Gone("series")
    prefs, now = prefs_of(user, lang), env.now()
    runs: tuple[datetime, ...] = ()
    if minutes is not None and days:
        runs = tuple(series_times(len(series.lessons), days, minutes, prefs.tz, now))
    plan = SeriesPlan(
        language, channel, series, days, minutes if days else None, runs, prefs.timezone, prefs.tz
    )
    if not runs:
        return Outcome(Step.SERIES_DAYS, series_plan=plan, tz=prefs.tz)
    if not confirmed:
        return Outcome(Step.SERIES_CONFIRM, series_plan=plan, tz=prefs.tz)
    posts = [
        _new_post(Pending(PostKind.TEASER, language, lesson, series), channel, run_at)
        for lesson, run_at in zip(series.lessons, runs, strict=True)
    ]
    done = await env.storage.plan_channel_posts(posts, user.id, now)
    planned = sum(1 for _, created in done if created)
    return Outcome(
        Step.SERIES_PLANNED,
        series_plan=SeriesPlan(
            language, channel, series, days, minutes, runs, prefs.timezone, prefs.tz, planned
        ),
        tz=prefs.tz,
    )


# What a post says (the runner's and the preview's) -----------------------------------------
async def content_of(env: Env, post: ChannelPost) -> PostContent:
    """The content a post is made of, read now (Gone: its lesson, series or question is no
    longer in the content)."""
    kind = PostKind(post.kind)
    if kind is PostKind.FREE:
        return PostContent(
            kind,
            post.language,
            source_chat_id=post.source_chat_id,
            source_message_id=post.source_message_id,
        )
    links = await env.storage.post_links(post.id)
    code = links[0].code if links else None
    if kind is PostKind.DIGEST:
        series = env.catalog.series(post.language, post.series_id or "")
        if series is None:
            raise Gone("series")
        return PostContent(kind, post.language, series=series, code=code)
    found = env.catalog.lesson(post.language, post.lesson_id or "")
    if found is None:
        raise Gone("lesson")
    series, lesson = found
    question = None
    if kind is PostKind.QUIZ:
        if post.question is None or post.question >= len(lesson.quiz):
            raise Gone("question")
        question = lesson.quiz[post.question]
    return PostContent(kind, post.language, lesson, series, question, code)


@dataclass(frozen=True)
class AdminReport:
    """A post that failed or is in doubt, as its admin is told."""

    admin_id: int
    lang: str
    tz: tzinfo
    view: PostView


async def report_of(env: Env, post: ChannelPost) -> AdminReport:
    """Who planned the post, in their language and zone, and the post as they see it."""
    admin = await env.storage.get_user(post.created_by)
    lang = stored_language(admin, env.settings.default_language) if admin else "en"
    tz = prefs_of(admin, lang).tz if admin else UTC
    return AdminReport(post.created_by, lang, tz, _post_view(env, post))


# Telegram's figures ------------------------------------------------------------------------
async def record_poll(env: Env, poll_id: str, counts: Sequence[int], closed: bool) -> bool:
    """A channel quiz poll's votes as Telegram reports them (with every vote; closed when an
    admin stops it). False: not one of our posts' polls."""
    return await env.storage.record_channel_poll(poll_id, list(counts), closed)


async def record_reactions(
    env: Env, chat_id: int, username: str | None, message_id: int, counted: dict[str, int]
) -> bool:
    """The reactions to a channel message (emoji -> count); False: not one of our posts."""
    return await env.storage.record_channel_reactions(chat_id, username, message_id, counted)
