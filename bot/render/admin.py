"""Admin screens: broadcast drafts, progress reports, history and statistics."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.screens import HALF_LABEL, Screen, _button, _markup, shorten
from bot.services.broadcast import LANGUAGE_CODES, Progress
from content.model import Catalog, SeriesContent
from domain.records import Broadcast, QuestionStats, Stats


def duration(t: Translator, seconds: float | None) -> str:
    """A short localised duration: 42 s, 5 min 03 s, 2 h 05 min."""
    if seconds is None:
        return "—"
    whole = int(seconds)
    if whole < 60:
        return t._("{s} s", s=whole)
    if whole < 3600:
        return t._("{m} min {s} s", m=whole // 60, s=f"{whole % 60:02d}")
    return t._("{h} h {m} min", h=whole // 3600, m=f"{whole % 3600 // 60:02d}")


def _a(verb: str, broadcast: Broadcast, arg: str | None = None) -> cb.AdminAction:
    return cb.AdminAction(verb, broadcast.id, arg)


def ask_message_screen(t: Translator, channel: bool) -> Screen:
    where = t._("the channel") if channel else t._("learners")
    return Screen(
        t._(
            "Send me the message for {where}: text with formatting, a photo or video with a "
            "caption, a document… It is copied as it is. /cancel to stop.",
            where=where,
        )
    )


def not_broadcastable_screen(t: Translator) -> Screen:
    return Screen(
        t._(
            "I cannot broadcast this kind of message. Send text, a photo, a video, an "
            "animation, a document, audio or a voice message."
        )
    )


def draft_screen(
    t: Translator,
    broadcast: Broadcast,
    series: Sequence[SeriesContent],
    recipients: int,
    channel_name: str | None,
) -> Screen:
    """Controls under the preview: audience filters (or the channel), send, schedule, cancel."""
    rows: list[list[InlineKeyboardButton]] = []
    if broadcast.target == "channel":
        button = next((s for s in series if s.id == broadcast.button_series), None)
        lines = [
            t._(
                "📣 <b>Announcement for {channel}</b> (preview above).", channel=channel_name or "?"
            ),
            t._("Button: {button}", button=button.series.title if button else t._("none")),
        ]
        rows.append([_button(t._("🔗 Change the button"), _a("btn", broadcast))])
    else:
        audience = broadcast.audience
        languages = ", ".join(audience.languages) or t._("all")
        chosen = [s.series.title for s in series if s.id in audience.series]
        idle = (
            t.n_("idle {n} day or more", "idle {n} days or more", audience.idle_days)
            if audience.idle_days
            else t._("any activity")
        )
        lines = [
            t._("📣 <b>Broadcast</b> (preview above)."),
            t._("Languages: {languages}", languages=languages),
            t._("Subscribers of: {series}", series=", ".join(chosen) or t._("any series or none")),
            t._("Activity: {idle}", idle=idle),
            "",
            t.n_("👥 {n} recipient", "👥 {n} recipients", recipients),
        ]
        rows.append(
            [
                _button(
                    ("✅ " if code in audience.languages else "") + code,
                    _a("lang", broadcast, code),
                )
                for code in LANGUAGE_CODES
            ]
        )
        toggles = [
            _button(
                ("✅ " if s.id in audience.series else "") + shorten(s.series.title, HALF_LABEL),
                _a("ser", broadcast, str(i)),
            )
            for i, s in enumerate(series)
        ]
        rows += [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
        rows.append([_button(t._("💤 Activity filter"), _a("idle", broadcast))])
    rows.append([_button(t._("✅ Send now"), _a("go", broadcast))])
    rows.append(
        [
            _button(t._("🕐 In 1 hour"), _a("at", broadcast, "60")),
            _button(t._("🕘 Tomorrow 09:00"), _a("at", broadcast, "tm")),
        ]
    )
    rows.append([_button(t._("✖️ Cancel"), _a("x", broadcast))])
    return Screen("\n".join(lines), _markup(rows))


STATUS_NAMES = {
    "scheduled": "🕘",
    "queued": "⏳",
    "running": "▶️",
    "paused": "⏸",
    "done": "✅",
    "cancelled": "✖️",
}


def progress_screen(
    t: Translator, broadcast: Broadcast, progress: Progress, counts: dict[str, int], status: str
) -> Screen:
    head = {
        "scheduled": t._("🕘 Broadcast #{id} is scheduled.", id=broadcast.id),
        "queued": t._("⏳ Broadcast #{id} is queued.", id=broadcast.id),
        "running": t._("▶️ Broadcast #{id} is running.", id=broadcast.id),
        "paused": t._("⏸ Broadcast #{id} is paused.", id=broadcast.id),
        "done": t._("✅ Broadcast #{id} is finished.", id=broadcast.id),
        "cancelled": t._("✖️ Broadcast #{id} was cancelled.", id=broadcast.id),
    }[status]
    lines = [
        head,
        f"<code>{progress.bar()}</code> {progress.done}/{progress.total}",
        t._(
            "Sent: {sent} · failed: {failed} · blocked: {blocked} · remaining: {left}",
            sent=counts.get("sent", 0),
            failed=counts.get("failed", 0) + counts.get("unconfirmed", 0),
            blocked=counts.get("blocked", 0),
            left=progress.remaining,
        ),
    ]
    if status == "running":
        lines.append(
            t._(
                "Rate: {rate}/s · time left: {eta}",
                rate=f"{progress.rate:.1f}",
                eta=duration(t, progress.eta_seconds),
            )
        )
    if broadcast.target == "channel" and (counts.get("blocked") or counts.get("failed")):
        lines.append(
            t._(
                "Could not post to the channel: check CXCOACH_CHANNEL and that the bot is its "
                "admin. Nothing is lost: press Retry when it is fixed."
            )
        )
    if counts.get("unconfirmed"):
        lines.append(
            t._(
                "{n} send(s) were in flight when the bot stopped: not resent, to avoid duplicates.",
                n=counts["unconfirmed"],
            )
        )
    buttons = []
    if status == "running":
        buttons = [
            _button(t._("⏸ Pause"), _a("p", broadcast)),
            _button(t._("✖️ Cancel"), _a("c", broadcast)),
        ]
    elif status in ("paused", "queued", "scheduled"):
        if status == "paused":
            buttons.append(_button(t._("▶️ Resume"), _a("r", broadcast)))
        buttons.append(_button(t._("✖️ Cancel"), _a("c", broadcast)))
    elif status == "done" and (
        counts.get("failed") or (broadcast.target == "channel" and counts.get("blocked"))
    ):
        buttons = [_button(t._("🔁 Retry the failed"), _a("retry", broadcast))]
    rows = [buttons]
    if status == "done" and counts.get("unconfirmed"):
        rows.append([_button(t._("📨 Resend to the unconfirmed…"), _a("unc", broadcast, "ask"))])
    return Screen("\n".join(lines), _markup(rows))


def resend_unconfirmed_screen(t: Translator, broadcast: Broadcast, unconfirmed: int) -> Screen:
    """The admin's explicit choice: resending to the unconfirmed may send some of them twice."""
    text = t.n_(
        "{n} send of broadcast #{id} was on its way when a bot process stopped. Telegram may "
        "have delivered it: the bot cannot know, so it did not resend it.\n\n"
        "Resend now? If it did arrive, this recipient gets the message twice.",
        "{n} sends of broadcast #{id} were on their way when a bot process stopped. Telegram "
        "may have delivered them: the bot cannot know, so it did not resend them.\n\n"
        "Resend now? Those that did arrive get the message twice.",
        unconfirmed,
        id=broadcast.id,
    )
    return Screen(
        text,
        _markup(
            [
                [_button(t._("📨 Yes, resend"), _a("unc", broadcast, "ok"))],
                [_button(t._("↩️ No, keep the report"), _a("unc", broadcast, "no"))],
            ]
        ),
    )


def outcome_line(t: Translator, broadcast: Broadcast, counts: dict[str, int]) -> str:
    return t._(
        "{sent} sent, {failed} failed, {blocked} blocked of {total}",
        sent=counts.get("sent", 0),
        failed=counts.get("failed", 0) + counts.get("unconfirmed", 0),
        blocked=counts.get("blocked", 0),
        total=broadcast.total,
    )


def history_screen(t: Translator, items: Sequence[tuple[Broadcast, dict[str, int]]]) -> Screen:
    if not items:
        return Screen(t._("No broadcasts yet. Start one with /broadcast or /announce."))
    lines = [t._("<b>Broadcasts</b>"), ""]
    for broadcast, counts in items:
        target = t._("channel") if broadcast.target == "channel" else t._("learners")
        when = broadcast.created_at.strftime("%Y-%m-%d %H:%M")
        lines.append(
            f"{STATUS_NAMES.get(broadcast.status, '')} #{broadcast.id} · {when} UTC · "
            f"{escape(target)} · " + outcome_line(t, broadcast, counts)
        )
    return Screen("\n".join(lines))


def stats_screen(
    t: Translator,
    catalog: Catalog,
    language: str,
    stats: Stats,
    hardest: Sequence[QuestionStats],
    broadcasts: Sequence[tuple[Broadcast, dict[str, int]]],
) -> Screen:
    accuracy = round(100 * stats.correct / stats.answers) if stats.answers else 0
    lines = [
        t._("<b>Statistics</b>"),
        "",
        t._(
            "👥 Learners: {total} · active 7 days: {a7} · 30 days: {a30} · blocked: {blocked}",
            total=stats.learners,
            a7=stats.active_7,
            a30=stats.active_30,
            blocked=stats.blocked,
        ),
        t._(
            "🌍 By language: {langs}",
            langs=", ".join(f"{k} {v}" for k, v in stats.by_language.items()) or "—",
        ),
        t._(
            "📚 Lessons completed: {done} · quiz answers: {answers} ({percent}% right)",
            done=stats.lessons_completed,
            answers=stats.answers,
            percent=accuracy,
        ),
        "",
        t._("<b>Active subscriptions</b>"),
    ]
    for series_id, n in stats.subscriptions.items():
        series = catalog.series(language, series_id)
        lines.append(f"• {escape(series.series.title if series else series_id)}: {n}")
    if not stats.subscriptions:
        lines.append("—")
    lines += ["", t._("<b>Questions most learners get wrong</b>")]
    for q in hardest:
        found = catalog.lesson(language, q.lesson_id)
        title = found[1].title if found else q.lesson_id
        lines.append(
            f"⚠️ {escape(title)}, "
            + t._("question {n}", n=q.question + 1)
            + ": "
            + t._(
                "{percent}% right of {n}", percent=round(100 * q.correct / q.answers), n=q.answers
            )
        )
    if not hardest:
        lines.append(t._("none flagged (under 50% right, at least 5 answers)"))
    if broadcasts:
        lines += ["", t._("<b>Recent broadcasts</b>")]
        for broadcast, counts in broadcasts[:3]:
            lines.append(f"#{broadcast.id}: " + outcome_line(t, broadcast, counts))
    return Screen("\n".join(lines))
