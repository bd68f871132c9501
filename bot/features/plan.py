"""/plan: a 90-day plan from the latest self-assessment and the learner's commitments; its
PDF on a button."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, show
from bot.features.handlers import add, on_button, on_command
from bot.render import plan as screens
from bot.services import plan


@on_command("plan")
async def plan_command(update: Update, context: CxContext, me: Learner) -> None:
    """/plan: the plan (or, before any self-assessment, the way to it)."""
    outcome = await plan.plan(context.env, me.user, me.lang)
    await show(update, context, screens.plan_screen(me.t, context.catalog, outcome))


@on_button(cb.PlanPdf)
async def pdf_button(update: Update, context: CxContext, me: Learner, _: cb.PlanPdf) -> None:
    """p90 — the plan as it stands now, as a PDF document (made off the event loop)."""
    outcome = await plan.plan(context.env, me.user, me.lang)
    await answer_query(update)
    if outcome.plan is None:  # the assessment was deleted since (/mydata): the way to it
        await show(update, context, screens.plan_screen(me.t, context.catalog, outcome))
        return
    data = await asyncio.to_thread(
        screens.plan_pdf, me.t, context.catalog, outcome, me.user.first_name
    )
    await context.bot.send_document(
        me.user.id,
        data,
        filename=screens.pdf_filename(me.t),
        caption=screens.pdf_caption(me.t),
    )


def register(app: Application) -> None:
    add(app, plan_command, pdf_button)
