"""The week's action as a commitment: offered, taken on, followed up, noted."""

from __future__ import annotations

from datetime import date

from bot import callbacks as cb
from bot.i18n import Safe, Translator
from bot.render.kit import Screen, button, day_name, markup, menu_row
from bot.services.commitments import (
    NOTE_LIMIT,
    CommitOffer,
    CommitOutcome,
    FollowUpOutcome,
    NoteOutcome,
)
from content.model import Lesson


def journal_row(t: Translator) -> list:
    return [button(t._("📓 Journal"), cb.Journal()), *menu_row(t)]


def offer_screen(t: Translator, offer: CommitOffer) -> Screen:
    if offer.open is not None:
        text = t._("🎯 You are already trying this lesson’s action: it is in your /journal.")
        return Screen(text, markup([journal_row(t)]))
    text = "\n".join(
        [
            t._("🛠 <b>Try this week:</b> {text}", text=Safe(offer.lesson.action)),
            "",
            t._("Will you try it at work? In a few working days I will ask how it went."),
        ]
    )
    rows = [
        [
            button(t._("✅ I’ll try it"), cb.Commit(offer.lesson.id, True)),
            button(t._("Not now"), cb.Commit(offer.lesson.id, False)),
        ]
    ]
    return Screen(text, markup(rows))


def committed_screen(t: Translator, outcome: CommitOutcome, today: date) -> Screen:
    if outcome.commitment.status == "declined":
        text = t._("Fine. The action stays in the lesson for when the time is right.")
        return Screen(text, markup([menu_row(t)]))
    if outcome.ask_on is None:  # taken on earlier and asked about already
        text = t._("🎯 This action is in your /journal already.")
    else:
        text = t._(
            "👍 Noted. I will ask how it went on {day}.\nYour commitments and notes: /journal",
            day=day_name(t, outcome.ask_on, today),
        )
    return Screen(text, markup([journal_row(t)]))


def follow_up_screen(t: Translator, commitment_id: int, lesson: Lesson) -> Screen:
    """The daily slot's question about a commitment."""
    text = "\n".join(
        [
            t._("🎯 <b>How did it go?</b>"),
            t._("A few days ago you planned to try:"),
            f"<i>{Safe(lesson.action)}</i>",
            t._("(from “{title}”)", title=lesson.title),
            "",
            t._("Did you?"),
        ]
    )
    rows = [
        [
            button(t._("✅ Done"), cb.FollowUp(commitment_id, "done")),
            button(t._("⏳ Not yet"), cb.FollowUp(commitment_id, "later")),
        ],
        [button(t._("❌ It didn’t work"), cb.FollowUp(commitment_id, "failed"))],
    ]
    return Screen(text, markup(rows))


def answered_screen(t: Translator, outcome: FollowUpOutcome, today: date) -> Screen:
    status = outcome.commitment.status
    if outcome.ask_note:
        first = (
            t._("✅ Well done!")
            if status == "done"
            else t._("Thank you for saying so: not every try works the first time.")
        )
        text = "\n".join(
            [
                first,
                "",
                t._(
                    "✍️ What happened? One line is enough: what worked, what got in the way, "
                    "what the customer or the team said."
                ),
            ]
        )
        skip = button(t._("Skip ➡️"), cb.SkipNote(outcome.commitment.id))
        return Screen(text, markup([[skip]]))
    if status == "later" and outcome.ask_on is not None:
        text = t._(
            "⏳ All right: I will ask again on {day}.", day=day_name(t, outcome.ask_on, today)
        )
        return Screen(text, markup([journal_row(t)]))
    text = t._("Noted as not yet. It stays in your /journal for when the time is right.")
    rows = []
    if outcome.lesson is not None:
        rows.append([button(t._("📖 Re-read the lesson"), cb.OpenLesson(outcome.lesson.id))])
    return Screen(text, markup([*rows, journal_row(t)]))


def noted_screen(t: Translator, outcome: NoteOutcome, *, typed: bool) -> Screen:
    lines = [
        t._("📝 Saved to your /journal.") if typed else t._("All right: it is in your /journal.")
    ]
    if outcome.cut:
        lines.append(t._("(Only the first {n} characters were kept.)", n=NOTE_LIMIT))
    return Screen("\n".join(lines), markup([journal_row(t)]))
