"""/journal: what the learner took on, how it went, and their own notes."""

from __future__ import annotations

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.commitments import journal_row
from bot.render.kit import (
    WIDE_LABEL,
    Screen,
    button,
    day_name,
    local_date,
    markup,
    menu_row,
    pager,
    shorten,
)
from bot.services.journal import Entry, JournalPage
from content.telegram_html import parse_html

ACTION_CHARS = 160  # of a lesson's action, in a journal entry
NOTE_CHARS = 300  # of a note, in a journal entry (kept whole in storage and /mydata)


def _status(t: Translator, entry: Entry, journal: JournalPage) -> str:
    c = entry.commitment
    today = journal.now.astimezone(journal.tz).date()
    when = c.follow_up_at and day_name(t, c.follow_up_at.astimezone(journal.tz).date(), today)
    if c.status == "open":
        if when:
            return t._("🎯 trying it: I will ask how it went on {day}", day=when)
        return t._("🎯 trying it: asked how it went")
    if c.status == "later":
        if when:
            return t._("⏳ not yet: I will ask again on {day}", day=when)
        return t._("⏳ not yet: asked again")
    if c.status == "done":
        return t._("✅ done")
    if c.status == "failed":
        return t._("❌ did not work")
    return t._("⏸ not yet")


def journal_screen(t: Translator, journal: JournalPage) -> Screen:
    if not journal.total:
        text = "\n".join(
            [
                t._("📓 <b>Your journal</b>"),
                "",
                t._(
                    "It is empty for now. After a lesson’s quiz, take on its “Try this week” "
                    "action: a few working days later I will ask how it went, and your "
                    "answers and notes gather here."
                ),
            ]
        )
        rows = [[button(t._("📚 Lessons"), cb.SeriesList())], menu_row(t)]
        return Screen(text, markup(rows))
    lines = [
        t.n_(
            "📓 <b>Your journal</b>: {n} commitment, newest first.",
            "📓 <b>Your journal</b>: {n} commitments, newest first.",
            journal.total,
        )
    ]
    rows = []
    for entry in journal.page.items:
        c = entry.commitment
        title = entry.lesson.title if entry.lesson else t._("(a lesson no longer offered)")
        made = local_date(t, c.made_at, journal.tz)
        lines += ["", f"<b>{escape(title)}</b> · {made}"]
        if entry.lesson is not None:
            lines.append(
                f"<i>{escape(shorten(parse_html(entry.lesson.action).text, ACTION_CHARS))}</i>"
            )
            rows.append(
                [button("📖 " + shorten(title, WIDE_LABEL - 2), cb.OpenLesson(c.lesson_id))]
            )
        lines.append(_status(t, entry, journal))
        if c.note:
            lines.append("📝 " + escape(shorten(c.note, NOTE_CHARS)))
    if nav := pager(t, journal.page, cb.Journal):
        rows.append(nav)
    rows.append(journal_row(t)[1:])
    return Screen("\n".join(lines), markup(rows))
