"""The confidence lift: re-rate a finished series' obstacles and see the change."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, reply
from bot.features.handlers import add, on_button
from bot.render import lift as screens
from bot.services import lift
from bot.services.lift import LiftStep


def _screen(me: Learner, step: LiftStep) -> screens.Screen:
    if step.assessment is None:
        return screens.lift_gone_screen(me.t)
    return screens.lift_screen(me.t, step) if step.lift else screens.rerate_screen(me.t, step)


@on_button(cb.LiftStart)
async def start_button(update: Update, context: CxContext, me: Learner, data: cb.LiftStart) -> None:
    """ls:<series> — re-rate its obstacles (a new message: the recap stays)."""
    step = await lift.start(context.env, me.user, me.lang, data.series_id)
    await reply(update, context, _screen(me, step))


@on_button(cb.LiftRate)
async def rate_button(update: Update, context: CxContext, me: Learner, data: cb.LiftRate) -> None:
    """lr:<assessment>:<i>:<r> — one rating; the next obstacle or the change, in place."""
    step = await lift.rate(
        context.env, me.user, me.lang, data.assessment_id, data.index, data.rating
    )
    await reply(update, context, _screen(me, step), edit=True)


def register(app: Application) -> None:
    add(app, start_button, rate_button)
