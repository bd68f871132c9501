"""Bonus materials for channel members.

An admin attaches a bonus to a lesson or a series, for one language or for all (``/bonus``:
a series, the series itself or one of its lessons, a language, a typed title, then the
material: the admin's next message, kept by reference and copied on request, as broadcasts
are). The lesson screen (and the series page) offers it to learners of that language; a
learner gets it once Telegram says, at that moment, that they are a member of their
language's channel; anyone else is invited to join first.

The admin's use cases assume an admin: the handlers check the caller against
CXCOACH_ADMIN_IDS on every call, before they get here. Telegram's answers (is this learner
in the channel? a link to join it) come through :class:`Channels`, which the handler layer
implements over the Bot API: this module never imports ``telegram``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

from bot.services.broadcast import BROADCASTABLE
from bot.services.env import Env, Gone
from bot.services.learners import stored_language
from content.model import Catalog, Lesson, SeriesContent
from domain.records import Bonus, User

# What the admin's next input is awaited as (users.awaiting): "bt:<kind>:<id>:<language>"
# (the title, typed), then "bm:<kind>:<id>:<language>:<title>" (the material, any message).
AWAIT_TITLE, AWAIT_MATERIAL = "bt", "bm"
KINDS = {"series": "s", "lesson": "l"}  # what a bonus is attached to, as awaited
ALL_LANGUAGES = "all"

TITLE_LIMIT = 40  # a title fits "🎁 Bonus: <title>" on a phone, shortened only in Russian

# Message kinds kept as a bonus (copyMessage keeps their formatting and media).
ATTACHABLE = BROADCASTABLE

# Telegram's statuses of a chat member that count as being in the channel; "restricted"
# counts only while the person is still a member (ChatMemberRestricted.is_member).
MEMBER_STATUSES = frozenset({"creator", "administrator", "member"})


def counts_as_member(status: str, is_member: bool | None = None) -> bool:
    """Whether a channel member with this status may have a bonus ("left" and "kicked" may
    not; "restricted" only while still a member)."""
    return status in MEMBER_STATUSES or (status == "restricted" and bool(is_member))


def public_link(channel: str) -> str | None:
    """``https://t.me/<username>`` for a channel configured by its @username; None for a
    -100... id (its link must be asked of Telegram)."""
    return f"https://t.me/{channel[1:]}" if channel.startswith("@") else None


def chat_of(channel: str) -> int | str:
    """A configured channel as the Bot API takes it: numeric ids as int."""
    return int(channel) if channel.lstrip("-").isdigit() else channel


def clean_title(text: str) -> str:
    """A typed title with its spaces collapsed."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Membership:
    """What Telegram says of someone in a channel (getChatMember)."""

    status: str
    is_member: bool | None = None  # restricted members only


class Channels(Protocol):
    """Telegram's side of a bonus, implemented over the Bot API by the handler layer."""

    async def membership(self, channel: str, user_id: int) -> Membership | None:
        """The user's status in ``channel``; None when the check itself failed (the bot is
        not an admin of the channel, the network...)."""

    async def invite_link(self, channel: str) -> str | None:
        """A link to join a channel configured by its -100... id (one configured by its
        @username has its public link); None if none can be had."""


@dataclass(frozen=True)
class Target:
    """What a bonus is attached to: a series, or one of its lessons."""

    series: SeriesContent
    lesson: Lesson | None = None

    @property
    def kind(self) -> str:
        return "series" if self.lesson is None else "lesson"

    @property
    def target_id(self) -> str:
        return self.series.id if self.lesson is None else self.lesson.id


@dataclass(frozen=True)
class Attached:
    """A bonus with what it is attached to (None: no longer in the lessons)."""

    bonus: Bonus
    target: Target | None


def find_target(catalog: Catalog, lang: str, kind: str, target_id: str) -> Target | None:
    if kind == "series":
        series = catalog.series(lang, target_id)
        return None if series is None else Target(series)
    found = catalog.lesson(lang, target_id)
    return None if found is None else Target(*found)


def attached(catalog: Catalog, lang: str, bonus: Bonus) -> Attached:
    if bonus.lesson_id is not None:
        return Attached(bonus, find_target(catalog, lang, "lesson", bonus.lesson_id))
    return Attached(bonus, find_target(catalog, lang, "series", bonus.series_id or ""))


def _target(env: Env, lang: str, kind: str, target_id: str) -> Target:
    target = find_target(env.catalog, lang, kind, target_id)
    if target is None:
        raise Gone(kind)
    return target


@dataclass(frozen=True)
class Pending:
    """What an admin's awaited input is for: a target, a language (None: all), a title."""

    kind: str
    target_id: str
    language: str | None
    title: str | None = None

    def awaiting(self) -> str:
        head = AWAIT_TITLE if self.title is None else AWAIT_MATERIAL
        fields = [head, KINDS[self.kind], self.target_id, self.language or ALL_LANGUAGES]
        return ":".join(fields if self.title is None else [*fields, self.title])


def pending_of(awaiting: str | None) -> Pending | None:
    """The bonus input ``users.awaiting`` names ("bt:..." or "bm:..."), if any."""
    head, _, rest = (awaiting or "").partition(":")
    if head not in (AWAIT_TITLE, AWAIT_MATERIAL):
        return None
    parts = rest.split(":", 3)
    kinds = {token: kind for kind, token in KINDS.items()}
    if len(parts) < 3 or parts[0] not in kinds:
        return None
    title = parts[3] if head == AWAIT_MATERIAL and len(parts) == 4 else None
    if (head == AWAIT_MATERIAL) != (title is not None):
        return None
    language = None if parts[2] == ALL_LANGUAGES else parts[2]
    return Pending(kinds[parts[0]], parts[1], language, title)


# The admin's use cases -----------------------------------------------------------------------
@dataclass(frozen=True)
class Overview:
    """/bonus: every bonus with its target, the series to attach a new one to, and each
    language's channel (a bonus is offered only where there is one)."""

    bonuses: list[Attached]
    series: tuple[SeriesContent, ...]
    channels: dict[str, str]


async def overview(env: Env, lang: str) -> Overview:
    bonuses = [attached(env.catalog, lang, bonus) for bonus in await env.storage.bonuses()]
    return Overview(bonuses, env.catalog.series_list(lang), dict(env.settings.channel_by_language))


def series_of(env: Env, lang: str, series_id: str) -> SeriesContent:
    """A series to attach a bonus to (Gone: no longer in the lessons)."""
    return _target(env, lang, "series", series_id).series


def target(env: Env, lang: str, kind: str, target_id: str) -> Target:
    """The series or lesson a bonus is about to be attached to (Gone: no more)."""
    return _target(env, lang, kind, target_id)


async def ask_title(
    env: Env, user: User, lang: str, kind: str, target_id: str, language: str | None
) -> Target:
    """The target and language are chosen: the admin's next text is the bonus's title."""
    found = _target(env, lang, kind, target_id)
    await env.storage.set_awaiting(user.id, Pending(kind, target_id, language).awaiting())
    return found


@dataclass(frozen=True)
class TitleStep:
    """A typed title: accepted (the material is awaited next) or not (asked again)."""

    target: Target
    language: str | None
    title: str
    accepted: bool


async def typed_title(env: Env, user: User, lang: str, text: str) -> TitleStep | None:
    """The title typed while one was awaited: kept if it is 1 to TITLE_LIMIT characters
    (then the material is awaited), else asked again. None: no title is awaited; Gone: the
    target left the lessons meanwhile."""
    pending = pending_of(user.awaiting)
    if pending is None or pending.title is not None:
        return None
    found = find_target(env.catalog, lang, pending.kind, pending.target_id)
    if found is None:
        await env.storage.set_awaiting(user.id, None)
        raise Gone(pending.kind)
    title = clean_title(text)
    if not title or len(title) > TITLE_LIMIT:
        return TitleStep(found, pending.language, title, accepted=False)
    step = Pending(pending.kind, pending.target_id, pending.language, title)
    await env.storage.set_awaiting(user.id, step.awaiting())
    return TitleStep(found, pending.language, title, accepted=True)


@dataclass(frozen=True)
class MaterialStep:
    """The admin's message while the material was awaited: the bonus saved, or refused
    (a sticker, a poll...: still awaited)."""

    lang: str  # the admin's
    saved: Attached | None


async def receive_material(
    env: Env, user_id: int, kind: str, chat_id: int, message_id: int
) -> MaterialStep | None:
    """An admin's message: None if no bonus material is awaited from them (not ours); else
    the bonus, kept by reference (the message is copied on request)."""
    user = await env.storage.get_user(user_id)
    pending = pending_of(user.awaiting if user is not None else None)
    if user is None or pending is None or pending.title is None:
        return None
    lang = stored_language(user, env.settings.default_language)
    if kind not in ATTACHABLE:
        return MaterialStep(lang, None)
    await env.storage.set_awaiting(user.id, None)
    where = {"lesson_id" if pending.kind == "lesson" else "series_id": pending.target_id}
    bonus = await env.storage.create_bonus(
        pending.title, chat_id, message_id, user.id, env.now(), language=pending.language, **where
    )
    return MaterialStep(lang, attached(env.catalog, lang, bonus))


@dataclass(frozen=True)
class Deleted:
    """The list once a bonus is deleted (``deleted`` False: it was before, a double press)."""

    overview: Overview
    deleted: bool


async def delete(env: Env, lang: str, bonus_id: int, confirmed: bool) -> Attached | Deleted:
    """A press on a bonus's delete: the bonus to ask about first (``confirmed`` False),
    then deleted (learners no longer see it) and the list again."""
    if not confirmed:
        found = await env.storage.bonus(bonus_id)
        if found is not None:
            return attached(env.catalog, lang, found)
    deleted = confirmed and await env.storage.delete_bonus(bonus_id)
    return Deleted(await overview(env, lang), deleted)


# A learner's use case ----------------------------------------------------------------------
class Claim(enum.Enum):
    GIVEN = "given"  # a member: copy the material
    NOT_MEMBER = "not member"  # invite to join first (link)
    UNAVAILABLE = "unavailable"  # the check could not be made: try later


@dataclass(frozen=True)
class ClaimOutcome:
    result: Claim
    bonus: Bonus
    link: str | None = None  # NOT_MEMBER: where to join


async def offered(
    env: Env, lang: str, series_id: str, lesson_id: str | None = None
) -> Bonus | None:
    """The bonus a lesson's screen (or a series' page, ``lesson_id`` None) offers a learner
    reading ``lang``: only where that language has a channel to be a member of."""
    if lang not in env.settings.channel_by_language:
        return None
    return await env.storage.offered_bonus(lang, series_id, lesson_id)


async def claim(env: Env, user: User, lang: str, bonus_id: int, channels: Channels) -> ClaimOutcome:
    """A learner asks for a bonus: given to a member of their language's channel (asked of
    Telegram now), else an invitation to join. Gone: deleted, or not for their language."""
    bonus = await env.storage.bonus(bonus_id)
    if bonus is None or bonus.language not in (None, lang):
        raise Gone("bonus")
    channel = env.settings.channel_by_language.get(lang)
    if channel is None:
        return ClaimOutcome(Claim.UNAVAILABLE, bonus)
    membership = await channels.membership(channel, user.id)
    if membership is None:
        return ClaimOutcome(Claim.UNAVAILABLE, bonus)
    if counts_as_member(membership.status, membership.is_member):
        return ClaimOutcome(Claim.GIVEN, bonus)
    link = public_link(channel) or await channels.invite_link(channel)
    if link is None:
        return ClaimOutcome(Claim.UNAVAILABLE, bonus)
    return ClaimOutcome(Claim.NOT_MEMBER, bonus, link)
