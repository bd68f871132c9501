"""A team's assignments: the list and the series to assign, the due date, withdrawing one
(the team's managers only, checked by the service on every press)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, reply
from bot.features.handlers import add, on_button
from bot.features.teams import refuse_assignment
from bot.render import assignments as screens
from bot.services import assignments
from bot.services.assignments import AssignOutcome, Step


async def show(update: Update, context: CxContext, me: Learner, outcome: AssignOutcome) -> None:
    if outcome.step in (Step.GONE, Step.REFUSED):
        await refuse_assignment(update, context, me, outcome.step is Step.GONE, outcome.teams)
    elif outcome.step is Step.PICK_DUE:
        await reply(update, context, screens.pick_due_screen(me.t, outcome), edit=True)
    elif outcome.step is Step.ASK_CANCEL:
        await reply(update, context, screens.cancel_screen(me.t, outcome), edit=True)
    else:  # MENU, ASSIGNED (said on top of the list)
        if outcome.step is Step.ASSIGNED:
            await answer_query(update, me.t._("Assigned."))
        await reply(update, context, screens.assign_menu_screen(me.t, outcome), edit=True)


@on_button(cb.AssignMenu)
async def menu_button(update: Update, context: CxContext, me: Learner, data: cb.AssignMenu) -> None:
    """agm:<team> — the team's assignments and the series to assign."""
    await show(
        update, context, me, await assignments.menu(context.env, me.user, me.lang, data.team_id)
    )


@on_button(cb.AssignSeries)
async def series_button(
    update: Update, context: CxContext, me: Learner, data: cb.AssignSeries
) -> None:
    """ags:<team>:<series> — the due dates to pick from."""
    outcome = await assignments.pick(context.env, me.user, me.lang, data.team_id, data.series_id)
    await show(update, context, me, outcome)


@on_button(cb.AssignDue)
async def due_button(update: Update, context: CxContext, me: Learner, data: cb.AssignDue) -> None:
    """agd:<team>:<series>:<weeks> — assign it."""
    outcome = await assignments.assign(
        context.env, me.user, me.lang, data.team_id, data.series_id, data.weeks
    )
    await show(update, context, me, outcome)


@on_button(cb.AssignCancel)
async def cancel_button(
    update: Update, context: CxContext, me: Learner, data: cb.AssignCancel
) -> None:
    """agx:<team>:<assignment>[:y] — withdraw an assignment (asked first)."""
    outcome = await assignments.cancel(
        context.env, me.user, me.lang, data.team_id, data.assignment_id, data.sure
    )
    await show(update, context, me, outcome)


def register(app: Application) -> None:
    add(app, menu_button, series_button, due_button, cancel_button)
