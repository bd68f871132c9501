"""Attribution: where learners come from. Tracked links — named links for an article, a
partner or an ad, and named channel invite links, made in /links (admins) — and the channel
posts' tracked buttons; who started the bot through which (the first source kept), who
joined a channel through which invite link, and the funnel per source: /stats → 🔗 Sources,
its chart, and /export's ``funnel.csv``. The report shows counts only, never who.

A start through a tracked link (``/start c_<code>``) is counted in ``services/start.py``."""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.services.env import Env, Gone
from bot.services.joins import configured_channel
from bot.services.start import deep_link_payload, parse_deep_link
from content.model import Catalog, SeriesContent
from domain.records import ChannelPost, TrackedLink, User
from storage.attribution import FunnelSteps, LinkTally

CODE_BYTES = 6  # secrets.token_urlsafe(6): 8 characters of A-Za-z0-9_- (48 random bits)
NAME_LIMIT = 64  # characters of a link's name
INVITE_NAME_LIMIT = 32  # an invite link's name: Telegram keeps 32 characters
AWAIT_LINK = "lk"  # users.awaiting = "lk:<what it opens>" ("lk:" home): the next text names it
AWAIT_INVITE = "li"  # users.awaiting = "li:<channel>": the next text names the invite link
_AWAITED = (AWAIT_LINK + ":", AWAIT_INVITE + ":")


def new_code() -> str:
    """A tracked link's code: short, random and URL-safe (the payload ``c_<code>`` is 10 of
    the 64 characters a start parameter may have)."""
    return secrets.token_urlsafe(CODE_BYTES)


def start_payload(code: str) -> str:
    return f"c_{code}"


# What a named link opens ------------------------------------------------------------------
@dataclass(frozen=True)
class Destination:
    """What a tracked link opens, as the admin reads it."""

    kind: str  # "home", "series" or "lesson"
    target_id: str | None = None
    title: str | None = None  # in the admin's language; None: home, or no longer there

    @property
    def payload(self) -> str | None:
        """The deep link it stores (``l_<lesson>``, ``s_<series>``; None: home)."""
        return None if self.target_id is None else deep_link_payload(self.kind, self.target_id)


def destination(catalog: Catalog, lang: str, payload: str | None) -> Destination:
    """What a stored target (``l_<lesson>``, ``s_<series>``, None) opens; a lesson or series
    since removed keeps its kind, without a title."""
    link = parse_deep_link(payload)
    if link is None or link.kind not in ("lesson", "series"):
        return Destination("home")
    if link.kind == "lesson":
        found = catalog.lesson(lang, link.target_id)
        return Destination("lesson", link.target_id, found[1].title if found else None)
    series = catalog.series(lang, link.target_id)
    return Destination("series", link.target_id, series.series.title if series else None)


# /links -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinkRow:
    """One of /links' links with what came through it."""

    tally: LinkTally
    destination: Destination | None  # a named link's; None for an invite link


@dataclass(frozen=True)
class LinksView:
    rows: tuple[LinkRow, ...]  # named links and invite links, the newest first


async def _forget_name(env: Env, user: User) -> None:
    """An awaited link or invite name is no longer awaited (the admin went elsewhere)."""
    if (user.awaiting or "").startswith(_AWAITED):
        await env.storage.set_awaiting(user.id, None)


async def links(env: Env, user: User, lang: str) -> LinksView:
    """/links: the named links and invite links with their counts (an awaited name is
    forgotten: the admin is back at the list)."""
    await _forget_name(env, user)
    tallies = await env.storage.link_tallies(env.now(), ("link", "invite"))
    rows = tuple(
        LinkRow(t, destination(env.catalog, lang, t.link.target) if t.link.kind == "link" else None)
        for t in tallies
    )
    return LinksView(rows)


async def series_choice(env: Env, user: User, lang: str) -> tuple[SeriesContent, ...]:
    """A new named link: what it may open (home, or a series: its page or a lesson)."""
    await _forget_name(env, user)
    return tuple(env.catalog.series_list(lang))


async def series_lessons(env: Env, lang: str, series_id: str) -> SeriesContent:
    """A series whose page or lesson a new link may open; Gone when it is no more."""
    series = env.catalog.series(lang, series_id)
    if series is None:
        raise Gone("series")
    return series


async def ask_link_name(
    env: Env, user: User, lang: str, kind: str, target_id: str | None
) -> Destination:
    """What the new link opens is chosen: its name is awaited next. Gone when the series or
    lesson is no more."""
    chosen = Destination(kind, target_id) if kind != "home" else Destination("home")
    found = destination(env.catalog, lang, chosen.payload)
    if found.kind != kind or (kind != "home" and found.title is None):
        raise Gone(kind)
    await env.storage.set_awaiting(user.id, f"{AWAIT_LINK}:{found.payload or ''}")
    return found


@dataclass(frozen=True)
class Named:
    """A name typed for a new link: the link made, or why not (the name is still awaited)."""

    link: TrackedLink | None
    destination: Destination | None = None  # a named link's
    empty: bool = False
    too_long: int = 0  # the limit the name went over
    refused: bool = False  # an invite link: Telegram refused (the bot is no admin there)
    channel: str | None = None  # an invite link's


def clean_name(text: str, limit: int) -> tuple[str, bool]:
    """A typed name on one line, spaces collapsed; and whether it is over ``limit``."""
    name = " ".join(text.split())
    return name, len(name) > limit


async def name_link(env: Env, user: User, lang: str, text: str) -> Named:
    """The awaited name of a new named link: the link made (its code new and random) with
    the target chosen before; an empty or overlong name is asked again."""
    target = (user.awaiting or "").partition(":")[2] or None
    name, over = clean_name(text, NAME_LIMIT)
    opens = destination(env.catalog, lang, target)
    if not name or over:
        return Named(None, opens, empty=not name, too_long=NAME_LIMIT if over else 0)
    await env.storage.set_awaiting(user.id, None)
    link = await env.storage.create_tracked_link(
        await _free_code(env), "link", name, env.now(), target=opens.payload, created_by=user.id
    )
    return Named(link, opens)


async def _free_code(env: Env) -> str:
    while await env.storage.tracked_link(code := new_code()) is not None:
        pass  # 48 random bits: practically never taken
    return code


@dataclass(frozen=True)
class InviteAsk:
    """A new invite link: the channel chosen (its name awaited next), or the channels to
    choose from (none: no channel is configured)."""

    channels: tuple[str, ...]
    channel: str | None = None


async def ask_invite_name(env: Env, user: User, channel: str | None) -> InviteAsk:
    """A new channel invite link for ``channel`` (None: the only channel, else a choice):
    its name is awaited next. A channel no longer configured is a choice again."""
    channels = tuple(env.settings.channel_list)
    if channel is None and len(channels) == 1:
        channel = channels[0]
    if channel not in channels:
        await _forget_name(env, user)
        return InviteAsk(channels)
    await env.storage.set_awaiting(user.id, f"{AWAIT_INVITE}:{channel}")
    return InviteAsk(channels, channel)


# Makes an invite link named ``name`` in ``channel`` (createChatInviteLink); its URL, or None
# when Telegram refuses (the bot is not an administrator with the right to invite).
MakeInvite = Callable[[str, str], Awaitable[str | None]]


async def name_invite(env: Env, user: User, text: str, make: MakeInvite) -> Named:
    """The awaited name of a new invite link: the link made in the channel (``make``) and
    stored as a tracked link of kind 'invite'; an empty or overlong name is asked again; a
    refusal (the bot is no admin of the channel) ends the wait and says so."""
    channel = (user.awaiting or "").partition(":")[2]
    name, over = clean_name(text, INVITE_NAME_LIMIT)
    if not name or over:
        return Named(None, empty=not name, too_long=INVITE_NAME_LIMIT if over else 0,
                     channel=channel)  # fmt: skip
    await env.storage.set_awaiting(user.id, None)
    if channel not in env.settings.channel_list:
        return Named(None, refused=True, channel=channel)
    url = await make(channel, name)
    if url is None:
        return Named(None, refused=True, channel=channel)
    link = await env.storage.create_tracked_link(
        await _free_code(env), "invite", name, env.now(), channel=channel, invite_link=url,
        created_by=user.id,
    )  # fmt: skip
    return Named(link, channel=channel)


# Channel members ---------------------------------------------------------------------------
async def member_changed(
    env: Env,
    chat_id: int,
    username: str | None,
    user_id: int,
    invite_link: str | None,
    joined: bool,
    via_request: bool = False,
) -> bool:
    """Someone joined or left a chat (a ``chat_member`` update). In a configured channel, a
    join through one of our invite links is counted for it, and a leave is noted. True when
    something was recorded."""
    channel = configured_channel(env.settings.channel_list, chat_id, username)
    if channel is None:
        return False
    now = env.now()
    if not joined:
        await env.storage.record_channel_left(channel, user_id, now)
        return True
    tracked = await env.storage.tracked_invite(invite_link) if invite_link else None
    if tracked is None or tracked.kind != "invite":
        return False
    via = "request" if via_request else "link"
    await env.storage.record_channel_join(channel, user_id, tracked.code, via, now)
    return True


# The funnel report -------------------------------------------------------------------------
@dataclass(frozen=True)
class PollOption:
    letter: str  # A, B, C ...
    text: str  # the option (empty when the lesson's question is no longer there)
    votes: int


@dataclass(frozen=True)
class Source:
    """One source of learners and its funnel: a channel post (its tracked buttons together),
    a named link, or an invite link (its channel joins). Counts only."""

    kind: str  # "post", "link" or "invite"
    name: str
    steps: FunnelSteps
    learners: int = 0  # came through it at all
    starts: int = 0  # starts through it in all
    destination: Destination | None = None  # a named link's
    post: ChannelPost | None = None
    title: str | None = None  # a post's lesson (or series), in the admin's language
    poll: tuple[PollOption, ...] = ()  # a quiz post's poll: votes per option
    reactions: tuple[tuple[str, int], ...] = ()  # a post's reactions, the most first
    channel: str | None = None  # an invite link's (a post's: post.channel)
    joins: int = 0  # an invite link: channel joins through it
    left: int = 0  # ... who left since
    joiners_started: int = 0  # ... who started the bot

    @property
    def posted_at(self) -> datetime | None:
        post = self.post
        return None if post is None else post.sent_at or post.run_at


@dataclass(frozen=True)
class FunnelReport:
    sources: tuple[Source, ...]  # the most first starts first
    now: datetime


LETTERS = "ABCDEFGHIJKL"  # a poll has at most 12 options


def poll_results(catalog: Catalog, post: ChannelPost) -> tuple[PollOption, ...]:
    """A quiz post's votes per option (as the poll last stood), with the options' texts."""
    try:
        counts = [int(n) for n in json.loads(post.poll_counts or "[]")]
    except (ValueError, TypeError):
        return ()
    options: list[str] = []
    found = catalog.lesson(post.language, post.lesson_id) if post.lesson_id else None
    if found is not None and post.question is not None and post.question < len(found[1].quiz):
        options = list(found[1].quiz[post.question].options)
    return tuple(
        PollOption(LETTERS[i], options[i] if i < len(options) else "", n)
        for i, n in enumerate(counts[: len(LETTERS)])
    )


def reaction_counts(post: ChannelPost) -> tuple[tuple[str, int], ...]:
    """A post's reactions (emoji -> count, as last counted), the most first."""
    try:
        found = json.loads(post.reactions or "{}")
        pairs = [(str(k), int(v)) for k, v in found.items()]
    except (ValueError, TypeError, AttributeError):
        return ()
    return tuple(sorted(pairs, key=lambda pair: (-pair[1], pair[0])))


def post_title(catalog: Catalog, lang: str, post: ChannelPost) -> str | None:
    if post.lesson_id is not None:
        found = catalog.lesson(lang, post.lesson_id) or catalog.lesson(
            post.language, post.lesson_id
        )
        return found[1].title if found else None
    if post.series_id is not None:
        series = catalog.series(lang, post.series_id) or catalog.series(
            post.language, post.series_id
        )
        return series.series.title if series else None
    return None


def sources(
    catalog: Catalog, lang: str, tallies: Sequence[LinkTally], posts: Sequence[ChannelPost]
) -> tuple[Source, ...]:
    """Every source: each post with its tracked buttons together, each named link, each
    invite link; the most first starts first (then starts, joins)."""
    by_post: dict[int, list[LinkTally]] = {}
    found = []
    for tally in tallies:
        link = tally.link
        if link.kind == "post":
            by_post.setdefault(link.post_id or 0, []).append(tally)
        elif link.kind == "invite":
            found.append(Source("invite", link.name, tally.steps, channel=link.channel,
                                joins=tally.joins, left=tally.left,
                                joiners_started=tally.joiners_started))  # fmt: skip
        else:
            found.append(Source("link", link.name, tally.steps, tally.learners, tally.starts,
                                destination(catalog, lang, link.target)))  # fmt: skip
    for post in posts:
        own = by_post.get(post.id, [])
        steps = sum((t.steps for t in own), FunnelSteps())
        name = " / ".join(t.link.name for t in own) or f"#{post.id}"
        found.append(
            Source("post", name, steps, sum(t.learners for t in own), sum(t.starts for t in own),
                   post=post, title=post_title(catalog, lang, post),
                   poll=poll_results(catalog, post), reactions=reaction_counts(post),
                   channel=post.channel)
        )  # fmt: skip
    order = {"post": 0, "link": 1, "invite": 2}
    found.sort(key=lambda s: (-s.steps.firsts, -s.starts, -s.joins, order[s.kind], s.name))
    return tuple(found)


async def funnel(env: Env, lang: str) -> FunnelReport:
    """The funnel per source (titles in ``lang``), the most first starts first."""
    now = env.now()
    tallies = await env.storage.link_tallies(now)
    posts = await env.storage.funnel_posts()
    return FunnelReport(sources(env.catalog, lang, tallies, posts), now)


TOP_SOURCES = 6  # the chart's panels


def top_sources(report: FunnelReport, top: int = TOP_SOURCES) -> list[Source]:
    """The sources the chart draws: the most first starts, those with any."""
    return [s for s in report.sources if s.steps.firsts][:top]


# /export: funnel.csv -------------------------------------------------------------------------
FUNNEL_COLUMNS = (
    "source_kind", "source", "channel", "post_id", "post_kind", "post_language", "lesson_id",
    "series_id", "title", "posted_at", "opens", "first_starts", "learners", "starts",
    "first_lesson_opened", "quiz_done", "subscribed", "arrived_7_days_ago", "active_after_7_days",
    "arrived_30_days_ago", "active_after_30_days", "channel_joins", "channel_left",
    "joiners_started_bot", "poll_votes", "reactions",
)  # fmt: skip


def funnel_rows(report: FunnelReport) -> list[dict[str, object]]:
    """/export's funnel.csv: one row per source (counts only; free text is guarded against
    formulas by ``stats.csv_bytes``). "active after N days" counts only the learners who
    arrived at least N days ago (``arrived_N_days_ago``)."""
    rows = []
    for s in report.sources:
        post, steps, opens = s.post, s.steps, s.destination
        rows.append({
            "source_kind": s.kind,
            "source": s.name,
            "channel": s.channel or "",
            "post_id": post.id if post else "",
            "post_kind": post.kind if post else "",
            "post_language": post.language if post else "",
            "lesson_id": (post.lesson_id if post else opens.target_id if opens and
                          opens.kind == "lesson" else None) or "",
            "series_id": (post.series_id if post else opens.target_id if opens and
                          opens.kind == "series" else None) or "",
            "title": s.title or (opens.title if opens else None) or "",
            "posted_at": s.posted_at.isoformat() if s.posted_at else "",
            "opens": opens.kind if opens else "",
            "first_starts": steps.firsts,
            "learners": s.learners,
            "starts": s.starts,
            "first_lesson_opened": steps.opened,
            "quiz_done": steps.quiz,
            "subscribed": steps.subscribed,
            "arrived_7_days_ago": steps.old_7,
            "active_after_7_days": steps.active_7,
            "arrived_30_days_ago": steps.old_30,
            "active_after_30_days": steps.active_30,
            "channel_joins": s.joins,
            "channel_left": s.left,
            "joiners_started_bot": s.joiners_started,
            "poll_votes": "; ".join(f"{o.letter} {o.text}".strip() + f": {o.votes}"
                                    for o in s.poll),
            "reactions": "; ".join(f"{emoji} {n}" for emoji, n in s.reactions),
        })  # fmt: skip
    return rows
