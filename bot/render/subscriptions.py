"""Screens of subscriptions: the confirmation, /subscriptions, a pause, a series' recap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.kit import (
    HALF_LABEL,
    WIDE_LABEL,
    Screen,
    button,
    lesson_counts_text,
    markup,
    next_delivery_label,
    sentence,
    short_day,
    shorten,
)
from bot.render.settings import days_label, guess_line, not_my_time, zone_label
from bot.services.lessons import LessonCounts
from bot.services.schedule import Prefs, format_minutes
from bot.services.subscriptions import Overview, SubscriptionChange
from content.model import Catalog, Lesson, SeriesContent
from domain.records import MemberAssignment, SubscriptionRow

STATUS_ICONS = {"active": "🔔", "paused": "⏸", "finished": "🎓"}


def subscribed_screen(
    t: Translator,
    series: SeriesContent,
    next_lesson: Lesson | None,
    next_slot: datetime | None,
    prefs: Prefs,
    tz_chosen: bool,
    now: datetime | None = None,
) -> Screen:
    lines = [
        t._("🔔 You are subscribed to <b>{title}</b>.", title=series.series.title),
        t._(
            "At {time}, {days}, you get the next lesson of each series you follow. "
            "Time zone: {zone}.",
            time=format_minutes(prefs.time),
            days=days_label(t, prefs.days),
            zone=zone_label(t, prefs, tz_chosen, now),
        ),
        t._("Next delivery: {when}.", when=next_delivery_label(t, next_slot, prefs)),
    ]
    if not tz_chosen:
        lines.append(guess_line(t))
    rows = []
    if not tz_chosen:
        rows.append([button(not_my_time(t), cb.Settings("z"))])
    if next_lesson is not None:
        rows.append([button(t._("📖 Read the next lesson now"), cb.OpenLesson(next_lesson.id))])
    rows.append(
        [
            button(t._("⚙️ Lesson schedule"), cb.Settings()),
            button(t._("📋 My subscriptions"), cb.Subscriptions()),
        ]
    )
    return Screen("\n".join(lines), markup(rows))


def change_toast(t: Translator, action: str) -> str:
    """What a pause, resume or unsubscribe says in its toast."""
    if action == "pause":
        return t._("Paused. Resume whenever you like.")
    if action == "resume":
        return t._("Resumed: the next lesson comes at your delivery time.")
    return t._("Unsubscribed. Your progress stays.")


def change_screen(t: Translator, change: SubscriptionChange, now: datetime) -> Screen:
    """A subscription just made: what comes when (see :func:`subscribed_screen`)."""
    assert change.series is not None and change.user is not None and change.prefs is not None
    return subscribed_screen(
        t,
        change.series,
        change.next_lesson,
        change.user.next_slot_at,
        change.prefs,
        change.user.tz_chosen,
        now,
    )


def overview_screen(
    t: Translator,
    catalog: Catalog,
    language: str,
    view: Overview,
    unsubscribed: SeriesContent | None = None,
) -> Screen:
    """/subscriptions from its use case (see :func:`subscriptions_screen`)."""
    return subscriptions_screen(
        t,
        catalog,
        language,
        view.subs,
        view.counts,
        view.next_slot,
        view.prefs,
        unsubscribed,
        view.assigned,
    )


def subscriptions_screen(
    t: Translator,
    catalog: Catalog,
    language: str,
    subs: Sequence[SubscriptionRow],
    done: dict[str, LessonCounts],
    next_slot: datetime | None,
    prefs: Prefs,
    unsubscribed: SeriesContent | None = None,
    assigned: Mapping[str, MemberAssignment] | None = None,
) -> Screen:
    """The learner's subscriptions; after an unsubscribe, say so and offer to undo it. An
    assigned series says by which team and when it is due; one assigned but left (paused,
    unsubscribed) stays in the list with a way back."""
    assigned = assigned or {}
    head: list[str] = []
    undo: list[list] = []
    if unsubscribed is not None:
        head = [
            t._(
                "✖️ You have unsubscribed from <b>{title}</b>. Your progress stays.",
                title=unsubscribed.series.title,
            ),
            "",
        ]
        undo = [
            [
                button(
                    shorten(
                        t._("↩️ Subscribe again: {title}", title=unsubscribed.series.title),
                        WIDE_LABEL,
                    ),
                    cb.SubscriptionAction("subscribe", unsubscribed.id),
                )
            ]
        ]
    if not subs and not assigned:
        text = t._(
            "You have no subscriptions yet. Open a series and press “Subscribe”: I will send "
            "you one lesson at a time, at the hour you choose."
        )
        return Screen(
            "\n".join(head).strip() if head else text,
            markup([*undo, [button(t._("📚 Lessons"), cb.SeriesList(0))]]),
        )
    lines = [*head, t._("<b>Your subscriptions</b>"), ""]
    rows = [*undo]
    for sub in subs:
        series = catalog.series(language, sub.series_id)
        if series is None:
            continue
        status = {
            "active": t._("active"),
            "paused": t._("paused"),
            "finished": t._("all lessons sent"),
        }[sub.status]
        counts = done.get(series.id) or LessonCounts(0, 0, len(series.lessons))
        lines.append(
            f"{STATUS_ICONS[sub.status]} <b>{escape(series.series.title)}</b> — {escape(status)}, "
            + lesson_counts_text(t, counts)
        )
        if series.id in assigned:
            lines.append("    " + _assigned_note(t, assigned[series.id]))
        toggle = (
            button(t._("⏸ Pause"), cb.SubscriptionAction("pause", series.id))
            if sub.status == "active"
            else button(t._("▶️ Resume"), cb.SubscriptionAction("resume", series.id))
        )
        rows.append(
            [
                toggle,
                button(
                    "✖️ " + shorten(series.series.short_title, HALF_LABEL - len("✖️ ")),
                    cb.SubscriptionAction("unsubscribe", series.id),
                ),
            ]
        )
    subscribed = {sub.series_id for sub in subs}
    for series_id, item in assigned.items():
        series = catalog.series(language, series_id)
        if series is None or series_id in subscribed:
            continue
        counts = done.get(series_id) or LessonCounts(0, 0, len(series.lessons))
        lines.append(
            f"📌 <b>{escape(series.series.title)}</b> — {escape(t._('not subscribed'))}, "
            + lesson_counts_text(t, counts)
        )
        lines.append("    " + _assigned_note(t, item))
        label = shorten(t._("🔔 Subscribe: {title}", title=series.series.short_title), WIDE_LABEL)
        rows.append([button(label, cb.SubscriptionAction("subscribe", series.id))])
    if any(sub.status == "active" for sub in subs):
        when = t._(
            "Next delivery: {when}. ✖️ unsubscribes (your progress stays).",
            when=next_delivery_label(t, next_slot, prefs),
        )
    else:  # a slot may still be planned (a review nudge), but no lesson comes
        when = t._(
            "No lessons come while none of your subscriptions is active: press ▶️ Resume. "
            "✖️ unsubscribes (your progress stays)."
        )
    lines += ["", when]
    rows.append(
        [button(t._("⚙️ Lesson schedule"), cb.Settings()), button(t._("🏠 Menu"), cb.Menu())]
    )
    return Screen("\n".join(lines), markup(rows))


def _assigned_note(t: Translator, item: MemberAssignment) -> str:
    return t._(
        "📌 assigned by your team <b>{team}</b>, due <b>{day}</b>",
        team=item.team_name,
        day=short_day(t, item.due_on),
    )


def paused_screen(t: Translator, series: SeriesContent) -> Screen:
    """A series paused from its drip message: said in a new message, the lesson stays."""
    text = t._(
        "⏸ <b>{title}</b> is paused: no more lessons from it until you resume it.",
        title=series.series.title,
    )
    rows = [
        [
            button(t._("▶️ Resume"), cb.SubscriptionAction("resume", series.id)),
            button(t._("📋 My subscriptions"), cb.Subscriptions()),
        ]
    ]
    return Screen(text, markup(rows))


def recap_screen(
    t: Translator,
    series: SeriesContent,
    suggestions: Sequence[SeriesContent],
    counts: LessonCounts | None = None,
) -> Screen:
    """A series' recap. "Complete" only when every quiz is finished; a series whose lessons
    were all delivered but not all completed says how many are and where to go on."""
    rows = []
    if counts is None or counts.finished:
        lines = [t._("🎓 <b>Series complete: {title}</b>", title=series.series.title)]
    else:
        lines = [
            t._("📬 You have received every lesson of <b>{title}</b>.", title=series.series.title),
            sentence(lesson_counts_text(t, counts))
            + ". "
            + t._("Finish the remaining quizzes to complete the series."),
        ]
        rows.append([button(t._("📚 Open the series"), cb.SeriesPage(series.id))])
    lines += ["", Safe(series.series.recap.strip())]
    if suggestions:
        lines += ["", t._("What to take next:")]
        for other in suggestions:
            lines.append(f"• <b>{escape(other.series.title)}</b> — {escape(other.series.summary)}")
            rows.append(
                [
                    button(
                        "🔔 " + shorten(other.series.title, WIDE_LABEL - len("🔔 ")),
                        cb.SubscriptionAction("subscribe", other.id),
                    )
                ]
            )
    rows.append([button(t._("📈 Progress"), cb.Progress()), button(t._("🏠 Menu"), cb.Menu())])
    return Screen("\n".join(lines), markup(rows))
