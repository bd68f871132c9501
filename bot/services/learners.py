"""Who the learner is on this visit: their record, the language they read, and what coming
back changes (a typed setting no longer awaited, deliveries resumed after a block)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.i18n import pick_language
from bot.services.env import Env
from bot.services.schedule import default_zone, reschedule
from domain.records import User


def language_of(user: User | None, tg_language: str | None, default: str) -> str:
    """The learner's chosen language, else their Telegram language, else the default."""
    if user and user.language:
        return user.language
    return pick_language(tg_language or (user.tg_language if user else None), default)


def stored_language(user: User, default: str) -> str:
    """The language of a learner we are not talking to now (a drip, a report)."""
    return language_of(user, user.tg_language, default)


@dataclass(frozen=True)
class Visit:
    user: User
    lang: str
    is_new: bool  # first seen just now


async def visit(
    env: Env, user_id: int, first_name: str, tg_language: str | None, text: str = ""
) -> Visit:
    """Record that the learner is here now (and not blocking us), in the language they read.

    A command (``text`` starting with "/") means a typed setting the bot asked for is no
    longer awaited; a learner back after blocking the bot gets their deliveries again."""
    now = env.now()
    user, is_new = await env.storage.touch_user(user_id, first_name or "", tg_language, now)
    lang = language_of(user, tg_language, env.settings.default_language)
    if user.awaiting and text.startswith("/"):
        await env.storage.set_awaiting(user.id, None)
        user = replace(user, awaiting=None)
    if user.returned:
        await reschedule(env.storage, user, lang, now)
    return Visit(user, lang, is_new)


async def set_language(env: Env, user: User, code: str) -> None:
    """The learner's chosen interface language (menus included, from now on). A time zone
    guessed from the language (never chosen) follows it, and so does the next slot."""
    before = stored_language(user, env.settings.default_language)
    await env.storage.set_language(user.id, code)
    moved = default_zone(before) != default_zone(code)
    if moved and not user.tz_chosen and user.next_slot_at is not None:
        fresh = await env.storage.get_user(user.id)
        if fresh is not None:
            await reschedule(env.storage, fresh, code, env.now(), force=True)


async def set_blocked(env: Env, user_id: int, blocked: bool) -> None:
    """The learner blocked the bot (no more deliveries) or unblocked it."""
    await env.storage.set_blocked(user_id, blocked, env.now())
