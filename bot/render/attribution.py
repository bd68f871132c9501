"""Screens of /links (named links and channel invite links: making them, their counts) and of
/stats → 🔗 Sources (the funnel per source; its chart is drawn by ``render/chart.py``). Counts
only, never who."""

from __future__ import annotations

from collections.abc import Sequence

from babel.dates import format_date

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.kit import WIDE_LABEL, Screen, button, markup, menu_row, pager, shorten
from bot.services import attribution as rules
from bot.services.attribution import (
    Destination,
    FunnelReport,
    FunnelSteps,
    InviteAsk,
    LinkRow,
    LinksView,
    Named,
    Source,
)
from bot.services.lessons import paginate
from content.model import SeriesContent

LINKS_PER_PAGE = 8
SOURCES_PER_PAGE = 6
NONE = "—"  # no figure yet (nobody arrived long enough ago)


def start_url(bot_username: str | None, code: str) -> str:
    """The link to share: ``https://t.me/<bot>?start=c_<code>``."""
    payload = rules.start_payload(code)
    return f"https://t.me/{bot_username}?start={payload}" if bot_username else f"?start={payload}"


def destination_text(t: Translator, opens: Destination | None) -> str:
    if opens is None or opens.kind not in ("series", "lesson"):
        return t._("the home screen")
    if opens.title is None:
        return t._("a lesson or series no longer in the lessons")
    if opens.kind == "series":
        return t._("series: {title}", title=opens.title)
    return t._("lesson: {title}", title=opens.title)


def joins_line(t: Translator, joins: int, left: int, started: int) -> str:
    return t._(
        "👥 Joined the channel: {joins} · left since: {left} · started the bot: {started}",
        joins=joins,
        left=left,
        started=started,
    )


def link_lines(t: Translator, row: LinkRow, bot_username: str | None) -> list[str]:
    """One link of /links: its name, what it opens (or its channel), the link to share, what
    came through it."""
    tally, link = row.tally, row.tally.link
    if link.kind == "invite":
        return [
            f"📨 <b>{escape(link.name)}</b> · {escape(link.channel or NONE)}",
            escape(link.invite_link or NONE),
            joins_line(t, tally.joins, tally.left, tally.joiners_started),
        ]
    return [
        f"🔗 <b>{escape(link.name)}</b> → {destination_text(t, row.destination)}",
        escape(start_url(bot_username, link.code)),
        t._(
            "▶️ Came here first: {firsts} · starts in all: {starts}",
            firsts=tally.steps.firsts,
            starts=tally.starts,
        ),
    ]


def links_screen(t: Translator, view: LinksView, page: int, bot_username: str | None) -> Screen:
    """/links: the named links and invite links, the newest first, with their counts; make
    a new one."""
    shown = paginate(view.rows, page, LINKS_PER_PAGE)
    lines = [
        t._("🔗 <b>Tracked links</b>"),
        t._(
            "Links for articles, partners and ads, and channel invite links: each counts who "
            "came through it. The whole funnel per source: /stats → 🔗 Sources."
        ),
    ]
    if not view.rows:
        lines += ["", t._("No links yet.")]
    elif shown.count > 1:
        lines += ["", t._("Page {page} of {pages}", page=shown.number + 1, pages=shown.count)]
    for row in shown.items:
        lines += ["", *link_lines(t, row, bot_username)]
    rows = [
        [button(t._("➕ New link"), cb.LinkNew()), button(t._("📨 Invite link"), cb.InviteNew())],
        pager(t, shown, cb.Links),
        [button(t._("🔗 Sources"), cb.Sources(0, new=True)), *menu_row(t)],
    ]
    return Screen("\n".join(lines), markup(rows))


def link_target_screen(t: Translator, all_series: Sequence[SeriesContent]) -> Screen:
    """A new named link: what it opens — the home screen, or a series (then its page or one
    of its lessons)."""
    text = t._(
        "<b>A new link</b>: what should it open? The home screen, or a series (then its page "
        "or one of its lessons)."
    )
    rows = [[button(t._("🏡 The home screen"), cb.LinkTarget("home"))]]
    for series in all_series:
        label = shorten(f"📚 {series.series.title}", WIDE_LABEL)
        rows.append([button(label, cb.LinkSeries(series.id))])
    rows.append([button(t._("⬅️ Links"), cb.Links(0)), *menu_row(t)])
    return Screen(text, markup(rows))


def link_series_screen(t: Translator, series: SeriesContent) -> Screen:
    """A new named link into a series: the series' page, or one of its lessons."""
    text = t._(
        "<b>{title}</b>: should the link open the series’ page, or one of its lessons?",
        title=series.series.title,
    )
    rows = [[button(t._("📚 The series’ page"), cb.LinkTarget("series", series.id))]]
    for number, lesson in enumerate(series.lessons, start=1):
        label = shorten(f"{number}. {lesson.title}", WIDE_LABEL)
        rows.append([button(label, cb.LinkTarget("lesson", lesson.id))])
    rows.append([button(t._("⬅️ Back"), cb.LinkNew()), *menu_row(t)])
    return Screen(text, markup(rows))


def link_name_screen(t: Translator, opens: Destination) -> Screen:
    """What the new link opens is chosen: its name is asked for."""
    text = "\n".join(
        [
            t._("A new link to {where}.", where=destination_text(t, opens)),
            "",
            t._(
                "Type its name: where it will be published, e.g. “Article on vc.ru, May” or "
                "“Partner: CX Club” (up to {n} characters).",
                n=rules.NAME_LIMIT,
            ),
        ]
    )
    return Screen(text, markup([[button(t._("✖️ Cancel"), cb.Links(0))]]))


def invite_ask_screen(t: Translator, ask: InviteAsk) -> Screen:
    """A new channel invite link: its name asked for, or its channel to choose (or that no
    channel is configured)."""
    back = [button(t._("⬅️ Links"), cb.Links(0)), *menu_row(t)]
    if not ask.channels:
        text = t._(
            "No channel is configured: set CXCOACH_CHANNELS or CXCOACH_CHANNEL (the bot must "
            "be an administrator of the channel)."
        )
        return Screen(text, markup([back]))
    if ask.channel is None:
        rows = [[button(shorten(c, WIDE_LABEL), cb.InviteNew(c))] for c in ask.channels]
        return Screen(t._("Which channel is the invite link for?"), markup([*rows, back]))
    text = "\n".join(
        [
            t._("A new invite link to {channel}.", channel=ask.channel),
            "",
            t._(
                "Type its name, e.g. “Partner: CX Club” (up to {n} characters): whoever joins "
                "the channel through it is counted for it.",
                n=rules.INVITE_NAME_LIMIT,
            ),
        ]
    )
    return Screen(text, markup([[button(t._("✖️ Cancel"), cb.Links(0))]]))


def named_screen(t: Translator, named: Named, bot_username: str | None) -> Screen:
    """After a name was typed: the link made (the one to share), or why not."""
    back = [button(t._("⬅️ Links"), cb.Links(0)), *menu_row(t)]
    cancel = [[button(t._("✖️ Cancel"), cb.Links(0))]]
    if named.empty:
        return Screen(t._("The name is empty: type a name for the link."), markup(cancel))
    if named.too_long:
        text = t._("That name is too long: type one of up to {n} characters.", n=named.too_long)
        return Screen(text, markup(cancel))
    if named.refused or named.link is None:
        text = t._(
            "Telegram refused to make an invite link for {channel}. The bot must be an "
            "administrator of the channel, with the right to invite users: make it one, then "
            "try again.",
            channel=named.channel or NONE,
        )
        retry = (
            [button(t._("🔁 Try again"), cb.InviteNew(named.channel))] if _channel(named) else []
        )
        return Screen(text, markup([retry, back]))
    link = named.link
    if link.kind == "invite":
        lines = [
            t._("✅ Invite link made: <b>{name}</b> · {channel}", name=link.name,
                channel=link.channel or NONE),
            escape(link.invite_link or NONE),
            "",
            t._("Joins through it are counted in /links and in /stats → 🔗 Sources."),
        ]  # fmt: skip
    else:
        lines = [
            t._("✅ Link made: <b>{name}</b> → {where}", name=link.name,
                where=destination_text(t, named.destination)),
            escape(start_url(bot_username, link.code)),
            "",
            t._("Every start through it is counted in /links and in /stats → 🔗 Sources."),
        ]  # fmt: skip
    return Screen("\n".join(lines), markup([back]))


def _channel(named: Named) -> bool:
    return named.channel is not None and cb.CHANNEL_RE.match(named.channel) is not None


# /stats → 🔗 Sources -------------------------------------------------------------------------
def post_kind_text(t: Translator, kind: str) -> str:
    words = {
        "teaser": t._("teaser post"),
        "quiz": t._("quiz poll"),
        "digest": t._("digest post"),
        "free": t._("free post"),
    }
    return words.get(kind, escape(kind))


def active_text(t: Translator, active: int, old: int) -> str:
    """Still active after N days, of those who arrived at least N days ago."""
    return t._("{active} of {arrived}", active=active, arrived=old) if old else NONE


def steps_line(t: Translator, steps: FunnelSteps, starts: int) -> str:
    return t._(
        "▶️ {firsts} ({starts}) · 📖 {opened} · 📝 {quiz} · 🔔 {subscribed} · 📅 7 days: "
        "{active_7} · 30 days: {active_30}",
        firsts=steps.firsts,
        starts=starts,
        opened=steps.opened,
        quiz=steps.quiz,
        subscribed=steps.subscribed,
        active_7=active_text(t, steps.active_7, steps.old_7),
        active_30=active_text(t, steps.active_30, steps.old_30),
    )


def source_lines(t: Translator, source: Source) -> list[str]:
    """One source: what it is, then its funnel (an invite link: its channel joins)."""
    name = escape(source.name)
    if source.kind == "invite":
        return [
            f"📨 <b>{name}</b> · {escape(source.channel or NONE)}",
            joins_line(t, source.joins, source.left, source.joiners_started),
        ]
    if source.kind != "post" or source.post is None:
        return [
            f"🔗 <b>{name}</b> → {destination_text(t, source.destination)}",
            steps_line(t, source.steps, source.starts),
        ]
    post = source.post
    about = [post_kind_text(t, post.kind)]
    if source.title:
        about.append(escape(source.title))
    if source.posted_at is not None:
        about.append(format_date(source.posted_at, "d MMM y", locale=t.lang))
    about.append(escape(post.channel))
    lines = [f"📣 <b>{name}</b>", " · ".join(about)]
    if source.poll:
        votes = " · ".join(f"{o.letter} {o.votes}" for o in source.poll)
        lines.append(t._("📊 Poll: {votes}", votes=votes))
    if source.reactions:
        counted = " · ".join(f"{emoji} {n}" for emoji, n in source.reactions)
        lines.append(t._("Reactions: {counted}", counted=counted))
    lines.append(steps_line(t, source.steps, source.starts))
    return lines


def sources_legend(t: Translator) -> str:
    return t._(
        "▶️ learners who started the bot here first (in brackets: every start through it) · "
        "then, after arriving: 📖 opened a lesson · 📝 completed one (its quiz done) · "
        "🔔 subscribed to a series · 📅 still active 7 and 30 days later, of those who arrived "
        "at least 7 or 30 days ago. Counts only, never who."
    )


def sources_screen(t: Translator, report: FunnelReport, page: int) -> Screen:
    """/stats → 🔗 Sources: each channel post, named link and invite link with its funnel,
    the most first starts first, a page at a time."""
    shown = paginate(report.sources, page, SOURCES_PER_PAGE)
    lines = [t._("🔗 <b>Sources</b>: where learners came from")]
    if shown.count > 1:
        lines.append(t._("Page {page} of {pages}", page=shown.number + 1, pages=shown.count))
    lines += ["", sources_legend(t)]
    if not report.sources:
        lines += ["", t._("No sources yet: make a named link or an invite link in /links.")]
    for source in shown.items:
        lines += ["", *source_lines(t, source)]
    rows = [
        pager(t, shown, cb.Sources),
        [
            button(t._("📈 Chart"), cb.SourcesChart()),
            button(t._("🔗 Links"), cb.Links(0)),
            *menu_row(t),
        ],
    ]
    return Screen("\n".join(lines), markup(rows))


ChartPanel = tuple[str, list[tuple[int, str]]]  # a source's name; per step: its count, label


def sources_chart_args(
    t: Translator, report: FunnelReport
) -> tuple[list[ChartPanel], list[str], str]:
    """What ``chart.funnel_chart`` draws: per top source its name and, per step, the count
    and its label; the steps' names; the title."""
    panels = []
    for source in rules.top_sources(report):
        s = source.steps
        bars = [(s.firsts, str(s.firsts)), (s.opened, str(s.opened)), (s.quiz, str(s.quiz)),
                (s.subscribed, str(s.subscribed)),
                (s.active_7, active_text(t, s.active_7, s.old_7)),
                (s.active_30, active_text(t, s.active_30, s.old_30))]  # fmt: skip
        kind = post_kind_text(t, source.post.kind) if source.post else None
        name = f"{kind}: {source.name}" if kind else source.name
        panels.append((shorten(name, 48), bars))
    steps = [
        t._("started the bot here first"),
        t._("opened a lesson"),
        t._("completed a lesson"),
        t._("subscribed to a series"),
        t._("active after 7 days"),
        t._("active after 30 days"),
    ]
    return panels, steps, t._("CX Coach: the funnel of the top sources")


def sources_chart_caption(t: Translator) -> str:
    return t._(
        "📈 The sources most learners came from first: of those who started the bot there "
        "first, how many went how far. Active after 7 or 30 days: of those who arrived at "
        "least that long ago."
    )
