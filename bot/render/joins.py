"""The greeting of someone who asked to join a channel: a welcome, the first lesson and the
self-assessment."""

from __future__ import annotations

from bot import callbacks as cb
from bot.i18n import Safe, Translator
from bot.render.kit import WIDE_LABEL, Screen, button, markup, shorten
from content.model import Lesson


def greeting_screen(
    t: Translator, channel_title: str, first_lesson: Lesson | None, approving: bool
) -> Screen:
    """In the person's language; ``approving``: the bot approves the request right after
    (else the channel's admins decide)."""
    if approving:
        hello = t._("👋 Welcome to the channel <b>{channel}</b>!", channel=channel_title)
    else:
        hello = t._(
            "👋 Hello! Your request to join the channel <b>{channel}</b> is with its admins.",
            channel=channel_title,
        )
    text = "\n".join(
        [
            hello,
            "",
            t._(
                "I’m CX Coach: short lessons on customer-centricity, each with a quick quiz. "
                "Start with the first lesson, or see where your company stands with the "
                "self-assessment."
            ),
        ]
    )
    rows = []
    if first_lesson is not None:
        title = Safe(first_lesson.title)  # a label: never escaped
        label = shorten(t._("📖 {title}", title=title), WIDE_LABEL)
        rows.append([button(label, cb.OpenLesson(first_lesson.id))])
    rows.append([button(t._("📋 Self-assessment"), cb.AssessIntro())])
    return Screen(text, markup(rows))
