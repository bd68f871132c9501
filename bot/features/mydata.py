"""/mydata: everything stored about the learner, with a way to delete it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, show
from bot.features.handlers import add, on_button, on_command
from bot.render import mydata as screens
from bot.render.settings import zone_label
from bot.services import mydata


@on_command("mydata")
async def mydata_command(update: Update, context: CxContext, me: Learner) -> None:
    """/mydata: what is stored, with the zone as /settings shows it."""
    mine = await mydata.my_data(context.env, me.user, me.lang)
    zone = zone_label(me.t, mine.prefs, mine.tz_chosen)
    await show(update, context, screens.mydata_screen(me.t, mine.data, mine.prefs.tz, zone))


@on_button(cb.MyData)
async def mydata_button(update: Update, context: CxContext, me: Learner, data: cb.MyData) -> None:
    """md:del asks; md:yes deletes everything."""
    await answer_query(update)
    if not data.confirmed:
        await show(update, context, screens.mydata_confirm_screen(me.t), edit=True)
        return
    await mydata.delete(context.env, me.user)
    await show(update, context, screens.deleted_screen(me.t), edit=True)


def register(app: Application) -> None:
    add(app, mydata_command, mydata_button)
