"""After a quiz: "how useful was it?" (1–5 or skip), then "anything unclear?"."""

from __future__ import annotations

from bot import callbacks as cb
from bot.i18n import Translator
from bot.render.commitments import offer_screen
from bot.render.kit import Screen, button, markup
from bot.services.feedback import UNCLEAR_LIMIT, FeedbackStep
from content.model import Lesson


def rate_screen(t: Translator, lesson: Lesson, attempt_id: int) -> Screen:
    text = "\n".join(
        [
            t._("⭐ <b>How useful is “{title}” for your work?</b>", title=lesson.title),
            t._("1 — not at all, 5 — very useful."),
        ]
    )
    rows = [
        [button(str(n), cb.RateLesson(attempt_id, n)) for n in range(1, 6)],
        [button(t._("Skip ➡️"), cb.RateLesson(attempt_id, 0))],
    ]
    return Screen(text, markup(rows))


def unclear_screen(t: Translator, step: FeedbackStep) -> Screen:
    text = "\n".join(
        [
            t._("🙏 Thank you: {n} of 5.", n=step.usefulness),
            "",
            t._(
                "❓ Was anything unclear or missing? Write it in one message: the authors read "
                "every answer, without your name."
            ),
        ]
    )
    return Screen(text, markup([[button(t._("Nothing, go on ➡️"), cb.SkipUnclear(step.lesson.id))]]))


def next_screen(t: Translator, step: FeedbackStep, *, thanks: bool = False) -> Screen:
    """What follows a skip, or the typed "what was unclear": the week's action offered."""
    lines = []
    if thanks:
        lines.append(t._("🙏 Thank you, noted."))
        if step.cut:
            lines.append(t._("(Only the first {n} characters were kept.)", n=UNCLEAR_LIMIT))
    if step.offer is None:
        return Screen("\n".join(lines or [t._("🙏 Thank you.")]), None)
    offered = offer_screen(t, step.offer)
    text = "\n\n".join(x for x in ("\n".join(lines), offered.text) if x)
    return Screen(text, offered.keyboard)
