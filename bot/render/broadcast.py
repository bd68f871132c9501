"""Admins' broadcast screens: asking for the message, the draft with its audience, the
progress report (edited in place), resending in doubt, the history."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.kit import HALF_LABEL, Screen, button, markup, shorten
from bot.services.broadcast import LANGUAGE_CODES, Progress
from content.model import SeriesContent
from domain.records import Broadcast


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
        linked = next((s for s in series if s.id == broadcast.button_series), None)
        lines = [
            t._(
                "📣 <b>Announcement for {channel}</b> (preview above).", channel=channel_name or "?"
            ),
            t._("Button: {button}", button=linked.series.title if linked else t._("none")),
        ]
        rows.append([button(t._("🔗 Change the button"), _a("btn", broadcast))])
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
                button(
                    ("✅ " if code in audience.languages else "") + code,
                    _a("lang", broadcast, code),
                )
                for code in LANGUAGE_CODES
            ]
        )
        toggles = [
            button(
                ("✅ " if s.id in audience.series else "") + shorten(s.series.title, HALF_LABEL),
                _a("ser", broadcast, str(i)),
            )
            for i, s in enumerate(series)
        ]
        rows += [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
        rows.append([button(t._("💤 Activity filter"), _a("idle", broadcast))])
    rows.append([button(t._("✅ Send now"), _a("go", broadcast))])
    rows.append(
        [
            button(t._("🕐 In 1 hour"), _a("at", broadcast, "60")),
            button(t._("🕘 Tomorrow 09:00"), _a("at", broadcast, "tm")),
        ]
    )
    rows.append([button(t._("✖️ Cancel"), _a("x", broadcast))])
    return Screen("\n".join(lines), markup(rows))


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
            button(t._("⏸ Pause"), _a("p", broadcast)),
            button(t._("✖️ Cancel"), _a("c", broadcast)),
        ]
    elif status in ("paused", "queued", "scheduled"):
        if status == "paused":
            buttons.append(button(t._("▶️ Resume"), _a("r", broadcast)))
        buttons.append(button(t._("✖️ Cancel"), _a("c", broadcast)))
    elif status == "done" and (
        counts.get("failed") or (broadcast.target == "channel" and counts.get("blocked"))
    ):
        buttons = [button(t._("🔁 Retry the failed"), _a("retry", broadcast))]
    rows = [buttons]
    if status == "done" and counts.get("unconfirmed"):
        rows.append([button(t._("📨 Resend to the unconfirmed…"), _a("unc", broadcast, "ask"))])
    return Screen("\n".join(lines), markup(rows))


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
        markup(
            [
                [button(t._("📨 Yes, resend"), _a("unc", broadcast, "ok"))],
                [button(t._("↩️ No, keep the report"), _a("unc", broadcast, "no"))],
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
