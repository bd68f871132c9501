"""/start: deep links, and a returning learner's home (the lesson or quiz to go on with)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.services import certificates, lessons, subscriptions, teams
from bot.services.env import Env, Gone
from bot.services.lessons import first_unfinished
from bot.services.quiz import QuizInProgress, quiz_in_progress
from bot.services.schedule import prefs_of
from content.model import Catalog, Lesson, SeriesContent
from domain.records import User

# Deep links: t.me/<bot>?start=s_<series>, l_<lesson>, sub_<series> (subscribe at once),
# t_<code> (join a team), c_<code> (a tracked link: counted, then it opens its target) or
# v_<code> (a certificate verified).
_DEEP_LINK = re.compile(r"^(s|l|sub|t)_([a-z0-9][a-z0-9-]{1,23})$")


_LINK_KINDS = {"s": "series", "l": "lesson", "sub": "subscribe", "t": "team"}


@dataclass(frozen=True)
class DeepLink:
    kind: str  # "series", "lesson", "subscribe", "team" (join), "tracked" (c_<code>) or
    # "verify" (v_<code>: a certificate checked)
    target_id: str


# A tracked link's code (a channel post's button, a named link from /links; see
# services/attribution.py): short, random, URL-safe; the payload is at most 64 characters.
_TRACKED = re.compile(r"^c_([A-Za-z0-9_-]{1,62})$")
# A certificate's check: v_<code> (see services/certificates.py; any case).
_VERIFY = re.compile(r"^v_([A-Za-z0-9]{1,62})$")


def parse_deep_link(payload: str | None) -> DeepLink | None:
    if not payload:
        return None
    match = _DEEP_LINK.match(payload.strip())
    if not match and (verify := _VERIFY.match(payload.strip())):
        return DeepLink("verify", verify.group(1))
    if not match:
        tracked = _TRACKED.match(payload.strip())
        return DeepLink("tracked", tracked.group(1)) if tracked else None
    return DeepLink(_LINK_KINDS[match.group(1)], match.group(2))


def deep_link_payload(kind: str, target_id: str) -> str:
    prefix = {kind: prefix for prefix, kind in _LINK_KINDS.items()}[kind]
    return f"{prefix}_{target_id}"


_LINK_PREFIX = re.compile(r"^(s|l|sub|t)_")


def broken_link_kind(payload: str | None) -> str | None:
    """What a deep link that :func:`parse_deep_link` refused was meant to open ("lesson",
    "series", "subscribe", "team"), so the learner can be told it was not found; None for
    payloads that are not links of ours (e.g. ``group``)."""
    if not payload or parse_deep_link(payload) is not None:
        return None
    match = _LINK_PREFIX.match(payload.strip())
    return _LINK_KINDS[match.group(1)] if match else None


@dataclass(frozen=True)
class NextLesson:
    series: SeriesContent
    lesson: Lesson
    started: bool  # the learner has read or completed lessons before: "continue", not "start"

    @property
    def number(self) -> int:
        return [x.id for x in self.series.lessons].index(self.lesson.id) + 1


def next_to_read(
    catalog: Catalog,
    lang: str,
    opened: Collection[str],
    completed: Collection[str],
    last_quiz_lesson: str | None = None,
) -> NextLesson | None:
    """The lesson to go on with; None when every lesson is completed.

    Where the learner left off is the lesson of their latest quiz (the one trace with a
    time order). From there: the next lesson of that series not completed yet (the one
    read without its quiz counts as not completed: its quiz is still to take), then any
    earlier one of the series skipped, then the next series with lessons left (in catalog
    order, wrapping). Without a quiz yet: the first series with an opened lesson not
    completed, else the first series with lessons left; in it, the first lesson not
    completed.
    """
    all_series = list(catalog.series_list(lang))
    started = bool(opened) or bool(completed)
    start = 0
    if last_quiz_lesson is not None:
        found = catalog.lesson(lang, last_quiz_lesson)
        if found is not None:
            series, lesson = found
            ids = [x.id for x in series.lessons]
            after = series.lessons[ids.index(lesson.id) + 1 :]
            pick = next((x for x in after if x.id not in completed), None)
            pick = pick or first_unfinished(series, set(completed))
            if pick is not None:
                return NextLesson(series, pick, True)
            start = next((i for i, s in enumerate(all_series) if s.id == series.id), -1) + 1
    else:
        for series in all_series:
            if any(x.id in opened for x in series.lessons):
                pick = first_unfinished(series, set(completed))
                if pick is not None:
                    return NextLesson(series, pick, started)
    for series in all_series[start:] + all_series[:start]:
        pick = first_unfinished(series, set(completed))
        if pick is not None:
            return NextLesson(series, pick, started)
    return None


@dataclass(frozen=True)
class WhatNext:
    """A returning learner's home: what to go on with and what is due."""

    quiz: QuizInProgress | None  # an unfinished quiz (goes before the next lesson)
    lesson: NextLesson | None  # None: every lesson is completed
    reviews_due: int
    next_delivery: datetime | None  # the next lesson by subscription, in the learner's zone

    @property
    def all_done(self) -> bool:
        return self.lesson is None


async def what_next(env: Env, user: User, lang: str) -> WhatNext:
    """What a returning learner goes on with: the unfinished quiz, else :func:`next_to_read`;
    plus review cards due and the next delivery of an active subscription."""
    storage, catalog, now = env.storage, env.catalog, env.now()
    facts = await storage.training_facts(user.id, now)
    latest = await storage.latest_attempt(user.id)
    quiz = quiz_in_progress(catalog, lang, latest)
    last_quiz = latest.lesson_id if latest is not None else None
    lesson = next_to_read(catalog, lang, facts.opened, facts.completed, last_quiz)
    active = any(s.status == "active" for s in facts.subscriptions)
    delivery = None
    if active and user.next_slot_at is not None:
        delivery = user.next_slot_at.astimezone(prefs_of(user, lang).tz)
    return WhatNext(quiz, lesson, facts.reviews_due, delivery)


async def resumable_quiz(env: Env, user: User, lang: str, attempt_id: int) -> QuizInProgress:
    """Attempt ``attempt_id`` if it is the learner's own quiz in progress (to show its
    question again); Gone if it is over, someone else's, or its lesson changed."""
    quiz = quiz_in_progress(env.catalog, lang, await env.storage.latest_attempt(user.id))
    if quiz is None or quiz.attempt.id != attempt_id:
        raise Gone("quiz")
    return quiz


Target = (
    lessons.LessonView
    | lessons.SeriesView
    | subscriptions.SubscriptionChange
    | teams.Joined
    | certificates.Verification
)


@dataclass(frozen=True)
class Arrival:
    """What /start shows: the greeting (a first visit), or the home (back again, no link);
    and what a deep link opened, or the kind of link that led nowhere."""

    greet: bool
    home: WhatNext | None = None
    target: Target | None = None
    missing: str | None = None  # "lesson", "series", "subscribe", "team": not found


async def arrive(env: Env, user: User, lang: str, payload: str | None, is_new: bool) -> Arrival:
    """/start [payload]. A first visit is greeted (and a link still opens, after it); a
    returning learner without a link gets their home. A tracked link (``c_<code>``) is
    counted, then opens its target as that deep link would (none: the greeting or home); an
    unknown code is a plain /start."""
    link = parse_deep_link(payload)
    broken = broken_link_kind(payload)  # l_Bad!, or too long: not found either
    if link is not None and link.kind == "tracked":  # counted, then opens what it leads to
        link = await _tracked_target(env, user, link.target_id)
    if link is None and broken is None:
        return Arrival(True) if is_new else Arrival(False, await what_next(env, user, lang))
    target = await _open(env, user, lang, link) if link is not None else None
    missing = None if target is not None else (link.kind if link is not None else broken)
    return Arrival(is_new, target=target, missing=missing)


async def _tracked_target(env: Env, user: User, code: str) -> DeepLink | None:
    """A start through tracked link ``code``: the arrival recorded (the learner's first
    source kept, later ones counted) and what the link opens; None for home. An unknown
    code (or an invite link's, which is no start payload) is a plain /start: nothing
    recorded."""
    tracked = await env.storage.tracked_link(code)
    if tracked is None or tracked.kind == "invite":
        return None
    await env.storage.record_arrival(user.id, tracked.code, env.now())
    target = parse_deep_link(tracked.target)
    return None if target is None or target.kind == "tracked" else target


async def _open(env: Env, user: User, lang: str, link: DeepLink) -> Target | None:
    try:
        if link.kind == "verify":
            return await certificates.verify(env, user, lang, link.target_id)
        if link.kind == "lesson":
            return await lessons.open_lesson(env, user, lang, link.target_id)
        if link.kind == "series":
            return await lessons.series_view(env, user, lang, link.target_id)
        if link.kind == "team":
            return await teams.join(env, user, lang, link.target_id)
        return await subscriptions.change(env, user, lang, link.target_id, "subscribe")
    except Gone:
        return None
