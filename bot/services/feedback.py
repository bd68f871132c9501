"""After a lesson's quiz: how useful the lesson was for the learner's work (1–5, skippable),
then, optionally, what was unclear (free text). One question at a time; a lesson is asked
about once per quiz attempt, so only a retake asks again. The last step offers the lesson's
week's action as a commitment (:mod:`bot.services.commitments`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.commitments import CommitOffer, clean_text, offer
from bot.services.env import Env, Gone
from content.model import Lesson
from domain.records import Attempt, Feedback, User

UNCLEAR_LIMIT = 1000  # characters of "what was unclear?" kept (the rest is cut, and said so)
AWAIT_UNCLEAR = "u"  # users.awaiting = "u:<lesson id>": the next text says what was unclear


def should_ask(attempt: Attempt, feedback: Feedback | None) -> bool:
    """Ask after a finished attempt unless this very attempt was answered (a retake asks
    again; a double-tapped last answer does not)."""
    return attempt.finished and (feedback is None or feedback.attempt_id != attempt.id)


@dataclass(frozen=True)
class FeedbackStep:
    """Where the learner is after an answer, and what comes next."""

    lesson: Lesson
    usefulness: int | None = None
    already: bool = False  # this attempt was rated before (a double tap): nothing changed
    ask_unclear: bool = False  # next: "anything unclear?" (the next text is the answer)
    cut: bool = False  # the unclear text was longer than we keep
    offer: CommitOffer | None = None  # next: the week's action as a commitment


async def rate(
    env: Env, user: User, lang: str, attempt_id: int, usefulness: int | None
) -> FeedbackStep:
    """The rating after ``attempt_id`` (None: skipped). A rating asks what was unclear next;
    a skip goes on to the commitment. Gone: not the learner's attempt, or its lesson is gone."""
    attempt = await env.storage.get_attempt(attempt_id)
    if attempt is None or attempt.user_id != user.id or not attempt.finished:
        raise Gone("quiz")
    found = env.catalog.lesson(lang, attempt.lesson_id)
    if found is None:
        raise Gone("lesson")
    lesson = found[1]
    now = env.now()
    stored = await env.storage.rate_lesson(user.id, lesson.id, attempt.id, usefulness, now)
    if stored is None:
        return FeedbackStep(lesson, already=True)
    if usefulness is None:
        return FeedbackStep(lesson, offer=await offer(env, user, lang, lesson.id))
    await env.storage.set_awaiting(user.id, f"{AWAIT_UNCLEAR}:{lesson.id}")
    return FeedbackStep(lesson, usefulness, ask_unclear=True)


async def skip_unclear(env: Env, user: User, lang: str, lesson_id: str) -> FeedbackStep:
    """Nothing was unclear: on to the commitment."""
    found = env.catalog.lesson(lang, lesson_id)
    if found is None:
        raise Gone("lesson")
    if user.awaiting == f"{AWAIT_UNCLEAR}:{lesson_id}":
        await env.storage.set_awaiting(user.id, None)
    return FeedbackStep(found[1], offer=await offer(env, user, lang, lesson_id))


async def unclear(env: Env, user: User, lang: str, text: str) -> FeedbackStep:
    """The text typed after "anything unclear?": kept as written (cut at
    :data:`UNCLEAR_LIMIT`), never shown with the learner's name; then the commitment."""
    lesson_id = (user.awaiting or "").partition(":")[2]
    await env.storage.set_awaiting(user.id, None)
    found = env.catalog.lesson(lang, lesson_id)
    if found is None:
        raise Gone("lesson")
    kept, cut = clean_text(text, UNCLEAR_LIMIT)
    if kept:
        await env.storage.note_unclear(user.id, lesson_id, kept, env.now())
    return FeedbackStep(found[1], cut=cut, offer=await offer(env, user, lang, lesson_id))
