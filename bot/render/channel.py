"""/channel screens (admins): the plan, one post, adding (kind, language, series, lesson,
question, day, time), moving, cancelling, resending, planning a series; the reports of a
post that failed or is in doubt. And the posts themselves, in the post's language: a
lesson's teaser, a series' digest, a quiz poll (with its button to practise in the bot)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from babel.dates import format_date, format_datetime, get_day_names
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from bot.i18n import LANGUAGE_NAMES, Safe, Translator, escape
from bot.render.kit import WIDE_LABEL, Screen, button, markup, shorten
from bot.render.settings import days_label
from bot.services import places
from bot.services.channel import (
    SERIES_DAYS,
    TIMES,
    ChannelOf,
    Pending,
    Picker,
    PlanView,
    PostKind,
    PostState,
    PostView,
    SeriesPlan,
    day_number,
)
from bot.services.schedule import format_minutes
from content.model import Lesson, QuizQuestion, SeriesContent

STATE_ICONS = {
    PostState.PLANNED: "🕘",
    PostState.SENDING: "⏳",
    PostState.SENT: "✅",
    PostState.FAILED: "⚠️",
    PostState.UNCONFIRMED: "❓",
    PostState.CANCELLED: "✖️",
}
KIND_ICONS = {PostKind.TEASER: "📘", PostKind.QUIZ: "❓", PostKind.DIGEST: "🗓", PostKind.FREE: "✍️"}


def kind_name(t: Translator, kind: PostKind) -> str:
    return {
        PostKind.TEASER: lambda: t._("teaser"),
        PostKind.QUIZ: lambda: t._("quiz poll"),
        PostKind.DIGEST: lambda: t._("digest"),
        PostKind.FREE: lambda: t._("your message"),
    }[kind]()


def when(t: Translator, moment: datetime, tz: tzinfo) -> str:
    """A moment in the admin's zone: "Tue 24 Nov, 09:00"."""
    return format_datetime(moment.astimezone(tz), "EEE d MMM, HH:mm", locale=t.lang)


def _short_when(t: Translator, moment: datetime, tz: tzinfo) -> str:
    return format_datetime(moment.astimezone(tz), "d MMM HH:mm", locale=t.lang)


def _day_label(t: Translator, day: date, today: date) -> str:
    if day == today:
        return t._("Today")
    if (day - today).days == 1:
        return t._("Tomorrow")
    return format_date(day, "EEE d MMM", locale=t.lang)


def _zone(t: Translator, zone: str) -> str:
    return places.zone_name(zone, t.lang)


def _quoted(t: Translator, title: str) -> str:
    """A title in quotes, unless it is a quotation already (“Everything is fine as it is”)."""
    if title[:1] in '“«„"':
        return escape(title)
    return t._("“{title}”", title=title)


def _what(t: Translator, view: PostView) -> str:
    """ "📘 teaser “Title”" — the kind and what it is about."""
    line = f"{KIND_ICONS[view.kind]} {escape(kind_name(t, view.kind))}"
    if view.title:
        line += " " + _quoted(t, view.title)
    if view.question_number is not None:
        line += ", " + t._("question {n}", n=view.question_number)
    return line


def _line(t: Translator, view: PostView, tz: tzinfo, channel: bool = False) -> str:
    """One post in the plan (``channel``: its channel too, when there are several)."""
    where = f"{view.language} → {view.channel}" if channel else view.language
    parts = [
        f"{STATE_ICONS[view.state]} #{view.post_id}",
        when(t, view.run_at, tz),
        escape(where),
        _what(t, view),
    ]
    if view.state is PostState.FAILED:
        parts.append(t._("not posted: {error}", error=shorten(view.error or "?", 80)))
    elif view.state is PostState.UNCONFIRMED:
        parts.append(t._("in doubt: check the channel"))
    elif view.state is PostState.SENT and (figures := _figures(t, view)):
        parts.append(figures)
    return " · ".join(parts)


def _figures(t: Translator, view: PostView) -> str:
    shown = []
    if view.votes:
        shown.append(t.n_("🗳 {n} vote", "🗳 {n} votes", sum(view.votes)))
    if view.reacted:
        shown.append(" ".join(f"{escape(emoji)} {count}" for emoji, count in view.reacted[:5]))
    return " · ".join(shown)


def _post_button(t: Translator, view: PostView, tz: tzinfo) -> InlineKeyboardButton:
    about = view.title if view.title and not view.gone else kind_name(t, view.kind)
    label = f"{STATE_ICONS[view.state]} #{view.post_id} · {_short_when(t, view.run_at, tz)} · "
    return button(shorten(label + about, WIDE_LABEL), cb.ChannelPostAction("v", view.post_id))


def _plan_row(t: Translator) -> list[InlineKeyboardButton]:
    return [button(t._("⬅️ Back to the plan"), cb.ChannelPlan())]


def no_channel_screen(t: Translator) -> Screen:
    return Screen(
        t._(
            "No channel is configured: set CXCOACH_CHANNELS (a channel per language) or "
            "CXCOACH_CHANNEL, and make the bot an admin of it."
        )
    )


def _channels_line(t: Translator, channels: Sequence[ChannelOf]) -> str:
    by_channel: dict[str, list[str]] = {}
    for item in channels:
        by_channel.setdefault(item.channel, []).append(item.language)
    listed = "; ".join(
        f"{escape(channel)} ({', '.join(languages)})" for channel, languages in by_channel.items()
    )
    return t._("Channels: {channels}", channels=Safe(listed))


def plan_screen(t: Translator, plan: PlanView) -> Screen:
    """/channel: the posts ahead (a page), the latest that went out, and what to do."""
    lines = [
        t._("📅 <b>Channel plan</b>"),
        _channels_line(t, plan.channels),
        t._("Times are in your zone: {zone} (see /settings).", zone=_zone(t, plan.zone)),
        "",
        t._("<b>Coming up</b>"),
    ]
    several = len({item.channel for item in plan.channels}) > 1
    if plan.upcoming:
        lines += [_line(t, view, plan.tz, several) for view in plan.upcoming]
    else:
        lines.append(t._("Nothing planned yet."))
    if plan.pages > 1:
        lines.append(t._("Page {page} of {pages}", page=plan.page + 1, pages=plan.pages))
    if plan.recent:
        lines += ["", t._("<b>Latest</b>")]
        lines += [_line(t, view, plan.tz, several) for view in plan.recent]
    rows = [
        [
            button(t._("➕ Add a post"), cb.ChannelNew()),
            button(t._("🗓 Plan a series"), cb.ChannelNew("series")),
        ]
    ]
    rows += [[_post_button(t, view, plan.tz)] for view in plan.upcoming]
    rows += [[_post_button(t, view, plan.tz)] for view in plan.recent]
    paging = []
    if plan.page > 0:
        paging.append(button(t._("⬅️ Page {n}", n=plan.page), cb.ChannelPlan(plan.page - 1)))
    if plan.page + 1 < plan.pages:
        paging.append(button(t._("Page {n} ➡️", n=plan.page + 2), cb.ChannelPlan(plan.page + 1)))
    rows.append(paging)
    rows.append([button(t._("🔄 Refresh"), cb.ChannelPlan(plan.page))])
    return Screen("\n".join(lines), markup(rows))


def post_screen(t: Translator, view: PostView, tz: tzinfo, notice: str | None = None) -> Screen:
    """One post: what, where, when, how it went (votes, reactions), and what can be done."""
    lines = []
    if notice:
        lines += [escape(notice), ""]
    lines += [
        t._(
            "<b>Post #{id}</b> · {language} · {channel}",
            id=view.post_id,
            language=view.language,
            channel=view.channel,
        ),
        _what(t, view),
    ]
    if view.gone:
        lines.append(t._("⚠️ Its lesson is no longer in the content: it cannot be posted."))
    state, at = view.state, when(t, view.run_at, tz)
    if state is PostState.PLANNED:
        lines.append(t._("🕘 Planned for {when}.", when=at))
    elif state is PostState.SENDING:
        lines.append(t._("⏳ Being posted now (planned for {when}).", when=at))
    elif state is PostState.SENT:
        sent = when(t, view.sent_at or view.run_at, tz)
        lines.append(t._("✅ Posted {when}.", when=sent))
        lines += _figure_lines(t, view)
    elif state is PostState.FAILED:
        lines.append(t._("⚠️ Not posted ({when}): {error}", when=at, error=view.error or "?"))
        lines.append(
            t._(
                "It is not retried on its own. Check that the bot is an admin of the channel "
                "and may post there, then post it again."
            )
        )
    elif state is PostState.UNCONFIRMED:
        lines.append(
            t._(
                "❓ The bot stopped while posting it ({when}): it may or may not be in the "
                "channel. It was not posted again, to avoid a duplicate. Check the channel, "
                "and post it again only if it is not there.",
                when=at,
            )
        )
    else:
        lines.append(t._("✖️ Cancelled (it was planned for {when}).", when=at))
    post_id = view.post_id
    rows = [[button(t._("👁 Preview"), cb.ChannelPostAction("pv", post_id))]]
    if state is PostState.PLANNED:
        rows[0].append(button(t._("🕘 Move"), cb.ChannelPostAction("mv", post_id)))
        rows.append([button(t._("✖️ Cancel the post…"), cb.ChannelPostAction("c", post_id))])
    elif state in (PostState.FAILED, PostState.UNCONFIRMED):
        rows[0].append(button(t._("📨 Post again…"), cb.ChannelPostAction("rs", post_id)))
    rows.append(_plan_row(t))
    return Screen("\n".join(lines), markup(rows))


def _figure_lines(t: Translator, view: PostView) -> list[str]:
    lines = []
    if view.votes:
        letters = "ABCDEFGHIJKL" if t.lang == "en" else "АБВГДЕЖЗИКЛМ"
        split = " · ".join(f"{letters[i]} {n}" for i, n in enumerate(view.votes))
        total = t.n_("🗳 {n} vote", "🗳 {n} votes", sum(view.votes))
        lines.append(f"{total}: {split}")
        if view.poll_closed:
            lines.append(t._("The poll is closed."))
    if view.reacted:
        shown = " · ".join(f"{escape(emoji)} {count}" for emoji, count in view.reacted)
        lines.append(t._("Reactions: {reactions}", reactions=Safe(shown)))
    return lines


def cancel_ask_screen(t: Translator, view: PostView, tz: tzinfo) -> Screen:
    text = t._(
        "Cancel post #{id} ({what}, {when})? It will not be posted.",
        id=view.post_id,
        what=Safe(_what(t, view)),
        when=when(t, view.run_at, tz),
    )
    rows = [
        [button(t._("✖️ Yes, cancel it"), cb.ChannelPostAction("cc", view.post_id))],
        [button(t._("↩️ No, keep it"), cb.ChannelPostAction("v", view.post_id))],
    ]
    return Screen(text, markup(rows))


def resend_ask_screen(t: Translator, view: PostView, tz: tzinfo) -> Screen:
    if view.state is PostState.UNCONFIRMED:
        text = t._(
            "Post #{id} again now? The bot cannot know whether the first try reached the "
            "channel: if it did, the channel gets it twice.",
            id=view.post_id,
        )
    else:
        text = t._(
            "Post #{id} again now? Telegram refused it last time ({error}): post it again "
            "only once the cause is fixed.",
            id=view.post_id,
            error=view.error or "?",
        )
    rows = [
        [button(t._("📨 Yes, post it now"), cb.ChannelPostAction("rr", view.post_id))],
        [button(t._("↩️ No, keep it"), cb.ChannelPostAction("v", view.post_id))],
    ]
    return Screen(text, markup(rows))


# Adding a post ---------------------------------------------------------------------------
def kind_screen(t: Translator) -> Screen:
    """➕ Add a post: what kind."""
    rows = [
        [button(t._("📘 A lesson’s teaser"), cb.ChannelNew("teaser"))],
        [button(t._("❓ A quiz poll"), cb.ChannelNew("quiz"))],
        [button(t._("🗓 A series’ digest"), cb.ChannelNew("digest"))],
        [button(t._("✍️ My own message"), cb.ChannelNew("free"))],
        _plan_row(t),
    ]
    text = t._(
        "➕ <b>What to post?</b>\n\n"
        "📘 A lesson’s title and key idea, with a button to open it in the bot.\n"
        "❓ A quiz poll from one of a lesson’s questions, with a button to practise in the bot.\n"
        "🗓 A series: its summary and lessons, with a button to it.\n"
        "✍️ A message you write: it is copied as it is."
    )
    return Screen(text, markup(rows))


def languages_screen(t: Translator, kind: PostKind | None, languages: Sequence[str]) -> Screen:
    """Which language's channel (``kind`` None: planning a series)."""
    token = "series" if kind is None else kind.value
    buttons = [
        button(LANGUAGE_NAMES.get(code, code), cb.ChannelNew(token, code))
        for code in languages
        if code in LANGUAGE_NAMES
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    rows.append(_plan_row(t))
    return Screen(t._("For which language’s channel?"), markup(rows))


def series_pick_screen(
    t: Translator, kind: PostKind | None, language: str, all_series: Sequence[SeriesContent]
) -> Screen:
    """Which series: a digest's, a teaser's or quiz's (its lessons next), or the series to
    plan (``kind`` None)."""
    rows = []
    for series in all_series:
        label = shorten(series.series.title, WIDE_LABEL)
        if kind is None:
            data: cb.Callback = cb.ChannelSeriesPlan(language, series.id, SERIES_DAYS)
        elif kind is PostKind.DIGEST:
            data = cb.ChannelWhen("digest", language, series.id)
        elif kind in (PostKind.TEASER, PostKind.QUIZ):
            data = cb.ChannelLessons(kind.value, language, series.id)
        else:
            continue
        rows.append([button(label, data)])
    rows.append(_plan_row(t))
    if kind is None:
        text = t._("🗓 <b>Plan a series</b>: one teaser per lesson. Which series?")
    else:
        text = t._("{what}: which series?", what=Safe(_kind_heading(t, kind)))
    return Screen(text, markup(rows))


def _kind_heading(t: Translator, kind: PostKind) -> str:
    return f"{KIND_ICONS[kind]} <b>{escape(kind_name(t, kind).capitalize())}</b>"


def lesson_pick_screen(
    t: Translator, kind: PostKind, language: str, series: SeriesContent
) -> Screen:
    """Which of the series' lessons a teaser or a quiz poll is about."""
    rows = []
    for number, lesson in enumerate(series.lessons, start=1):
        label = shorten(f"{number}. {lesson.title}", WIDE_LABEL)
        if kind is PostKind.QUIZ:
            data: cb.Callback = cb.ChannelQuestions(language, lesson.id)
        else:
            data = cb.ChannelWhen("teaser", language, lesson.id)
        rows.append([button(label, data)])
    rows.append(_plan_row(t))
    text = t._(
        "{what} · {series}: which lesson?",
        what=Safe(_kind_heading(t, kind)),
        series=series.series.title,
    )
    return Screen(text, markup(rows))


def question_pick_screen(t: Translator, language: str, lesson: Lesson) -> Screen:
    """Which of the lesson's questions the quiz poll asks (listed in full)."""
    title = Safe(_quoted(t, lesson.title))
    lines = [t._("❓ <b>Quiz poll</b> · {title}: which question?", title=title), ""]
    buttons = []
    for index, question in enumerate(lesson.quiz):
        lines.append(f"{index + 1}. {escape(question.question)}")
        buttons.append(
            button(
                t._("Question {n}", n=index + 1), cb.ChannelWhen("quiz", language, lesson.id, index)
            )
        )
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(_plan_row(t))
    return Screen("\n".join(lines), markup(rows))


def _pending_line(t: Translator, pending: Pending) -> str:
    if pending.post_id is not None:
        return t._("🕘 <b>Move post #{id}</b>", id=pending.post_id)
    heading = _kind_heading(t, pending.kind)
    if pending.kind is PostKind.DIGEST and pending.series is not None:
        return f"{heading} · " + _quoted(t, pending.series.series.title)
    if pending.lesson is not None:
        line = f"{heading} · " + _quoted(t, pending.lesson.title)
        if pending.kind is PostKind.QUIZ and pending.question is not None:
            line += ", " + t._("question {n}", n=pending.question + 1)
        return line
    return heading


def _when_data(
    pending: Pending, day: date | None = None, minutes: int | None = None, typed: bool = False
) -> cb.Callback:
    number = day_number(day) if day is not None else None
    if pending.post_id is not None:
        return cb.ChannelMove(pending.post_id, number, minutes, typed)
    question = pending.question if pending.kind is PostKind.QUIZ else None
    return cb.ChannelWhen(
        pending.kind.value, pending.language, pending.target_id, question, number, minutes, typed
    )


def days_screen(t: Translator, picker: Picker) -> Screen:
    """Which day (the next 8, in the admin's zone), or type a date and time."""
    lines = [
        _pending_line(t, picker.pending),
        t._("Which day? Times are in your zone: {zone}.", zone=_zone(t, picker.zone)),
    ]
    buttons = [
        button(_day_label(t, day, picker.today), _when_data(picker.pending, day))
        for day in picker.days
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    rows.append([button(t._("⌨️ Type a date and time"), _when_data(picker.pending, typed=True))])
    rows.append(_plan_row(t))
    return Screen("\n".join(lines), markup(rows))


def times_screen(t: Translator, picker: Picker) -> Screen:
    """Which time on the chosen day (those still ahead)."""
    day = picker.day or picker.today
    lines = [
        _pending_line(t, picker.pending),
        t._(
            "<b>{day}</b>: at what time? ({zone})",
            day=format_date(day, "EEEE d MMMM", locale=t.lang),
            zone=_zone(t, picker.zone),
        ),
    ]
    buttons = [
        button(format_minutes(minutes), _when_data(picker.pending, day, minutes))
        for minutes in picker.times
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    rows.append(
        [
            button(t._("⬅️ Another day"), _when_data(picker.pending)),
            button(t._("⌨️ Type it"), _when_data(picker.pending, typed=True)),
        ]
    )
    rows.append(_plan_row(t))
    return Screen("\n".join(lines), markup(rows))


def type_when_screen(t: Translator, picker: Picker, unreadable: bool = False) -> Screen:
    """The date and time are typed: how."""
    text = t._(
        "⌨️ Type the date and time in your zone ({zone}), like 2026-12-24 09:30. /cancel to stop.",
        zone=_zone(t, picker.zone),
    )
    if unreadable:
        text = t._("I cannot read that as a date and time.") + " " + text
    return Screen(f"{_pending_line(t, picker.pending)}\n{text}")


def ask_message_screen(
    t: Translator, channel_name: str | None, run_at: datetime, tz: tzinfo
) -> Screen:
    return Screen(
        t._(
            "✍️ Send me the post for {channel} ({when}): text with formatting, a photo or "
            "video with a caption, a document… It is copied as it is. /cancel to stop.",
            channel=channel_name or "?",
            when=when(t, run_at, tz),
        )
    )


def not_postable_screen(t: Translator) -> Screen:
    return Screen(
        t._(
            "I cannot post this kind of message. Send text, a photo, a video, an animation, "
            "a document, audio or a voice message."
        )
    )


# Planning a series -------------------------------------------------------------------------
def _series_line(t: Translator, plan: SeriesPlan) -> str:
    return t._(
        "🗓 <b>Plan a series</b>: “{series}” · {language} · {channel}",
        series=plan.series.series.title,
        language=plan.language,
        channel=plan.channel,
    )


def series_days_screen(t: Translator, plan: SeriesPlan) -> Screen:
    """The weekdays (toggles) and a time: one teaser per lesson, in order."""
    names = get_day_names("abbreviated", locale=t.lang)  # 0 = Monday
    lines = [
        _series_line(t, plan),
        t.n_(
            "One teaser per lesson ({n} lesson), in order, one per chosen weekday.",
            "One teaser per lesson ({n} lessons), in order, one per chosen weekday.",
            len(plan.series.lessons),
        ),
        t._(
            "Days: {days}. Tap a day to switch it; then choose the time ({zone}).",
            days=days_label(t, plan.days) if plan.days else "—",
            zone=_zone(t, plan.zone),
        ),
    ]
    toggles = [
        button(
            ("✅ " if plan.days >> i & 1 else "▫️ ") + names[i],
            cb.ChannelSeriesPlan(plan.language, plan.series.id, plan.days ^ (1 << i)),
        )
        for i in range(7)
    ]
    rows = [toggles[:4], toggles[4:]]
    if plan.days:
        times = [
            button(
                format_minutes(minutes),
                cb.ChannelSeriesPlan(plan.language, plan.series.id, plan.days, minutes),
            )
            for minutes in TIMES
        ]
        rows += [times[i : i + 4] for i in range(0, len(times), 4)]
    rows.append(_plan_row(t))
    return Screen("\n".join(lines), markup(rows))


def series_confirm_screen(t: Translator, plan: SeriesPlan) -> Screen:
    """Each lesson's teaser and when it goes out, to confirm."""
    lines = [_series_line(t, plan), ""]
    for number, (lesson, run_at) in enumerate(
        zip(plan.series.lessons, plan.runs, strict=False), start=1
    ):
        lines.append(f"{number}. {when(t, run_at, plan.tz)} — {escape(lesson.title)}")
    lines += ["", t._("Times are in your zone: {zone}.", zone=_zone(t, plan.zone))]
    confirm = cb.ChannelSeriesPlan(plan.language, plan.series.id, plan.days, plan.minutes, True)
    rows = [
        [button(t.n_("✅ Plan {n} teaser", "✅ Plan {n} teasers", len(plan.runs)), confirm)],
        [
            button(
                t._("⬅️ Change the days or time"),
                cb.ChannelSeriesPlan(plan.language, plan.series.id, plan.days),
            )
        ],
        _plan_row(t),
    ]
    return Screen("\n".join(lines), markup(rows))


def series_planned_screen(t: Translator, plan: SeriesPlan) -> Screen:
    lines = [
        t.n_(
            "✅ Planned: {n} teaser of “{series}” for {channel}.",
            "✅ Planned: {n} teasers of “{series}” for {channel}.",
            plan.planned,
            series=plan.series.series.title,
            channel=plan.channel,
        )
    ]
    if plan.runs:
        lines.append(
            t._(
                "From {first} to {last}.",
                first=when(t, plan.runs[0], plan.tz),
                last=when(t, plan.runs[-1], plan.tz),
            )
        )
    already = len(plan.runs) - plan.planned
    if already > 0:
        lines.append(t.n_("{n} was planned already.", "{n} were planned already.", already))
    return Screen("\n".join(lines), markup([[button(t._("📅 The plan"), cb.ChannelPlan())]]))


# Reports to the admin who planned a post ---------------------------------------------------
def failed_report_screen(t: Translator, view: PostView, tz: tzinfo) -> Screen:
    text = t._(
        "⚠️ <b>Channel post #{id} was not posted</b> ({what} for {channel}, {when}).\n"
        "Telegram said: {error}\n\n"
        "It is not retried on its own. Check that the bot is an admin of {channel} and may "
        "post there, then post it again from /channel.",
        id=view.post_id,
        what=Safe(_what(t, view)),
        channel=view.channel,
        when=when(t, view.run_at, tz),
        error=view.error or "?",
    )
    return Screen(text, _open_post(t, view))


def unconfirmed_report_screen(t: Translator, view: PostView, tz: tzinfo) -> Screen:
    text = t._(
        "❓ <b>Channel post #{id} may or may not be in {channel}</b> ({what}, {when}).\n"
        "The bot stopped while posting it, so it cannot know. It is not posted again on its "
        "own, to avoid a duplicate: check the channel, and post it again only if it is "
        "missing.",
        id=view.post_id,
        what=Safe(_what(t, view)),
        channel=view.channel,
        when=when(t, view.run_at, tz),
    )
    return Screen(text, _open_post(t, view))


def _open_post(t: Translator, view: PostView) -> InlineKeyboardMarkup | None:
    return markup([[button(t._("📋 Open the post"), cb.ChannelPostAction("v", view.post_id))]])


# The posts, in the post's language ---------------------------------------------------------
def post_link(bot_username: str | None, payload: str | None) -> str | None:
    """The button's URL: the bot's start link with the post's payload."""
    if not bot_username or not payload:
        return None
    return f"https://t.me/{bot_username}?start={payload}"


def _url_button(label: str, link: str | None) -> InlineKeyboardMarkup | None:
    if link is None:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=link)]])


def teaser_post(t: Translator, lesson: Lesson, series: SeriesContent, link: str | None) -> Screen:
    """A lesson's teaser: its title, its key idea (Telegram HTML), its series; the button
    opens the lesson in the bot."""
    text = "\n".join(
        [
            f"📘 <b>{escape(lesson.title)}</b>",
            "",
            Safe(lesson.key_idea),
            "",
            "<i>" + t._("From the series “{series}”", series=series.series.title) + "</i>",
        ]
    )
    return Screen(text, _url_button(t._("📖 Open the lesson in the bot"), link))


def digest_post(t: Translator, series: SeriesContent, link: str | None) -> Screen:
    """A series' digest: its title, summary and lessons; the button opens it in the bot."""
    lines = [
        f"🗓 <b>{escape(series.series.title)}</b>",
        f"<i>{escape(series.series.summary)}</i>",
        "",
        t.n_("{n} lesson:", "{n} lessons:", len(series.lessons)),
    ]
    lines += [f"{n}. {escape(lesson.title)}" for n, lesson in enumerate(series.lessons, start=1)]
    return Screen("\n".join(lines), _url_button(t._("📚 Open the series in the bot"), link))


@dataclass(frozen=True)
class PollPost:
    """A native quiz poll (plain text: question 300, options 100, explanation 200 characters
    with at most 2 line feeds, as the content check guarantees) and its button."""

    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    keyboard: InlineKeyboardMarkup | None


def quiz_poll(t: Translator, question: QuizQuestion, link: str | None) -> PollPost:
    """A lesson's question as a quiz poll, in the content's order of options (Telegram shows
    each voter their own order: ``shuffle_options``); the button: practise in the bot."""
    return PollPost(
        question.question,
        tuple(question.options),
        question.correct,
        question.explanation,
        _url_button(t._("🏋️ Practise in the bot"), link),
    )
