"""How a function becomes a handler: the learner found (or the button's data parsed) first,
so that a feature's handler starts where its work does; and how it is registered, carried by
the handler itself (a command's name, a message filter, a button's kinds).

    @on_command("lessons")
    async def lessons_command(update, context, me): ...

    @on_button(cb.OpenLesson)
    async def lesson_button(update, context, me, data): ...

    def register(app):
        add(app, lessons_command, lesson_button)
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import CxContext
from bot.features.common import Learner, gone, learner, pressed, reply, show
from bot.i18n import Translator
from bot.render.fallback import gone_toast
from bot.render.kit import Screen
from bot.services.env import Gone

# Learners talk to the bot in their private chat; groups get one pointer (see fallback).
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE

Handler = Callable[[Update, CxContext], Awaitable[None]]
LearnerFn = Callable[[Update, CxContext, Learner], Awaitable[None]]
ButtonFn = Callable[[Update, CxContext, Learner, typing.Any], Awaitable[None]]


def as_learner(fn: LearnerFn) -> Handler:
    """``fn(update, context, me)`` once the learner's visit is recorded; updates without a
    user (channel posts...) are ignored."""

    @functools.wraps(fn)
    async def handler(update: Update, context: CxContext) -> None:
        me = await learner(update, context)
        if me is not None:
            await fn(update, context, me)

    return handler


def on_command(*names: str) -> Callable[[LearnerFn], Handler]:
    """A command in the learner's private chat (see :func:`as_learner`)."""

    def wrap(fn: LearnerFn) -> Handler:
        handler = as_learner(fn)
        handler.registrations = [CommandHandler(names, handler, filters=PRIVATE)]  # type: ignore[attr-defined]
        return handler

    return wrap


def on_message(accepted: filters.BaseFilter) -> Callable[[LearnerFn], Handler]:
    """Messages that pass ``accepted`` (typed text, a location...), from a learner."""

    def wrap(fn: LearnerFn) -> Handler:
        handler = as_learner(fn)
        handler.registrations = [MessageHandler(accepted, handler)]  # type: ignore[attr-defined]
        return handler

    return wrap


def on_typed(*kinds: str) -> Callable[[LearnerFn], Handler]:
    """Text typed while the bot waits for one of ``kinds`` of input (``users.awaiting`` is
    "<kind>" or "<kind>:<what>"): the fallback's text handler routes it here (see
    :func:`typed_handler`); any other text is not this handler's."""

    def wrap(fn: LearnerFn) -> Handler:
        handler = as_learner(fn)
        handler.registrations = []  # type: ignore[attr-defined]
        handler.typed = (kinds, fn)  # type: ignore[attr-defined]
        return handler

    return wrap


def typed_handler(app: Application, awaiting: str | None) -> LearnerFn | None:
    """The feature function waiting for typed text of the kind ``awaiting`` names, if any."""
    if not awaiting:
        return None
    return app.bot_data.typed.get(awaiting.partition(":")[0])


def on_button(kind: object) -> Callable[[ButtonFn], Handler]:
    """A handler of one kind of button (or a union of kinds): ``fn(update, context, me,
    data)`` with the parsed data; anything else gets the "out of date" toast (see
    :func:`bot.features.common.pressed`). A :class:`Gone` from the service becomes its toast
    and the menu."""

    def wrap(fn: ButtonFn) -> Handler:
        @functools.wraps(fn)
        async def handler(update: Update, context: CxContext) -> None:
            if (got := await pressed(update, context, kind)) is None:  # type: ignore[arg-type]
                return
            me = got[0]
            try:
                await fn(update, context, *got)
            except Gone as exc:  # what the button names is no more: say so, offer the menu
                await gone(update, context, me, gone_toast(me.t, exc.what))

        kinds = typing.get_args(kind) or (kind,)
        handler.registrations = [  # type: ignore[attr-defined]
            CallbackQueryHandler(handler, pattern=k.pattern) for k in kinds
        ]
        return handler

    return wrap


def add(app: Application, *handlers: Handler, group: int = 0) -> None:
    """Register each handler as it says (its command, filter or buttons)."""
    for handler in handlers:
        if typed := getattr(handler, "typed", None):
            kinds, fn = typed
            app.bot_data.typed.update(dict.fromkeys(kinds, fn))
        registrations: list[BaseHandler] = handler.registrations  # type: ignore[attr-defined]
        for registration in registrations:
            app.add_handler(registration, group=group)


def screen_command(name: str, make: Callable[[Translator], Screen]) -> Handler:
    """A command that only shows one screen in the learner's language (/help, /menu...)."""

    async def handler(update: Update, context: CxContext, me: Learner) -> None:
        await show(update, context, make(me.t))

    handler.__doc__ = make.__doc__
    handler.__name__ = handler.__qualname__ = f"{name}_command"
    return on_command(name)(handler)


def screen_button(kind: object, make: Callable[[Translator], Screen]) -> Handler:
    """A button that only shows one screen, in place (More, Help, the languages, ...)."""

    async def handler(update: Update, context: CxContext, me: Learner, _: object) -> None:
        await reply(update, context, make(me.t), edit=True)

    handler.__doc__ = make.__doc__
    handler.__name__ = handler.__qualname__ = make.__name__.replace("_screen", "_button")
    return on_button(kind)(handler)
