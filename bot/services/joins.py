"""Join requests to a configured channel (``chat_join_request``): the person is greeted in a
private message, in their language, with a way into the first lesson and the
self-assessment; then the request is approved (CXCOACH_APPROVE_JOIN_REQUESTS, on by
default; off: the channel's admins decide) and the join recorded (``channel_joins``, with
our invite link's code when the request came through one).

Telegram lets a bot write to someone who asked to join for 5 minutes after the request, so
the greeting comes first, at once; a greeting that fails (the person blocks bots) never
stops the approval. Telegram's side (the greeting sent, the approval) comes through
:class:`Door`, which the handler layer implements over the Bot API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.services.env import Env
from bot.services.learners import language_of
from content.model import Catalog, Lesson
from domain.records import User


def configured_channel(channels: list[str], chat_id: int, username: str | None) -> str | None:
    """The configured channel (``@username`` or ``-100...`` id, as configured) a chat is;
    None for any other chat (its join requests are not ours)."""
    for channel in channels:
        if channel.startswith("@"):
            if username and channel[1:].lower() == username.lower():
                return channel
        elif channel == str(chat_id):
            return channel
    return None


def greeting_language(user: User | None, tg_language: str | None, default: str) -> str:
    """A learner's chosen language if they already use the bot, else their Telegram
    language (en/ru/uk), else the bot's default."""
    return language_of(user, tg_language, default)


def first_lesson(catalog: Catalog, lang: str) -> Lesson | None:
    """Where a newcomer starts: the first lesson of the first series."""
    every = catalog.series_list(lang)
    return every[0].lessons[0] if every and every[0].lessons else None


@dataclass(frozen=True)
class JoinRequest:
    """A ``chat_join_request`` as the use case needs it."""

    chat_id: int
    username: str | None  # the channel's
    title: str  # the channel's
    user_id: int
    tg_language: str | None
    invite_link: str | None  # the link the request came through, if any


@dataclass(frozen=True)
class Greeting:
    """What the greeting says: in which language, where to start, and whether the request
    is being approved by the bot (else the admins decide)."""

    lang: str
    channel_title: str
    first_lesson: Lesson | None
    approving: bool


class Door(Protocol):
    """Telegram's side of a join request (the handler layer's, over the Bot API)."""

    async def greet(self, greeting: Greeting) -> bool:
        """Send the greeting to the person; False if it could not be sent."""

    async def approve(self) -> bool:
        """Approve the request; False if Telegram refused (handled already, expired...)."""


@dataclass(frozen=True)
class JoinOutcome:
    channel: str | None  # None: not a configured channel (nothing done)
    greeted: bool = False
    approved: bool = False
    code: str | None = None  # the tracked invite link's code


async def welcome(env: Env, request: JoinRequest, door: Door) -> JoinOutcome:
    """Greet the person, then approve the request (if the bot approves them) and record the
    join. Only configured channels are handled."""
    channel = configured_channel(env.settings.channel_list, request.chat_id, request.username)
    if channel is None:
        return JoinOutcome(None)
    user = await env.storage.get_user(request.user_id)
    lang = greeting_language(user, request.tg_language, env.settings.default_language)
    approving = env.settings.approve_join_requests
    greeting = Greeting(lang, request.title, first_lesson(env.catalog, lang), approving)
    greeted = await door.greet(greeting)
    if not approving or not await door.approve():
        return JoinOutcome(channel, greeted)
    tracked = None
    if request.invite_link:
        tracked = await env.storage.tracked_invite(request.invite_link)
    code = tracked.code if tracked is not None and tracked.kind == "invite" else None
    await env.storage.record_channel_join(channel, request.user_id, code, "request", env.now())
    return JoinOutcome(channel, greeted, True, code)
