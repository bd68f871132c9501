"""The weekly digest's weekday, chosen from a team's screen (its managers only); the digest
itself is sent by ``bot/digester.py``."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, reply
from bot.features.handlers import add, on_button
from bot.features.teams import refuse_assignment
from bot.render import digest as screens
from bot.services import digest
from bot.services.digest import Step


@on_button(cb.DigestDay)
async def day_button(update: Update, context: CxContext, me: Learner, data: cb.DigestDay) -> None:
    """dgd:<team>[:<day>] — the weekday picker, or a day chosen (7: none)."""
    choice = await digest.choose(context.env, me.user, me.lang, data.team_id, data.day)
    if choice.step in (Step.GONE, Step.REFUSED):
        await refuse_assignment(update, context, me, choice.step is Step.GONE, choice.teams)
        return
    if choice.step is Step.SET:
        await answer_query(update, screens.digest_set_notice(me.t, choice))
    await reply(update, context, screens.digest_day_screen(me.t, choice), edit=True)


def register(app: Application) -> None:
    add(app, day_button)
