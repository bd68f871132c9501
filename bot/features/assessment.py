"""/assess: the self-assessment, one obstacle at a time, with a radar chart and a plan."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, reply, show
from bot.features.handlers import add, on_button, on_command
from bot.render import assessment as screens
from bot.render.chart import radar_chart
from bot.services import assessment


@on_command("assess")
async def assess_command(update: Update, context: CxContext, me: Learner) -> None:
    """/assess: one screen, the intro with Start (or Continue / Start over)."""
    intro = await assessment.intro(context.env, me.user, me.lang)
    await show(update, context, screens.intro_screen(me.t, intro.unfinished, intro.total))


@on_button(cb.AssessIntro)
async def intro_button(update: Update, context: CxContext, me: Learner, _: cb.AssessIntro) -> None:
    """asi — back to the intro (the Cancel of "start over")."""
    await answer_query(update)
    intro = await assessment.intro(context.env, me.user, me.lang)
    await show(
        update, context, screens.intro_screen(me.t, intro.unfinished, intro.total), edit=True
    )


@on_button(cb.AssessStart)
async def start_button(update: Update, context: CxContext, me: Learner, _: cb.AssessStart) -> None:
    """asn / asc — the unfinished assessment where it stopped, or a new one: never discards."""
    await answer_query(update)
    await _step(update, context, me, await assessment.begin(context.env, me.user, me.lang))


@on_button(cb.AssessRestart)
async def restart_button(
    update: Update, context: CxContext, me: Learner, data: cb.AssessRestart
) -> None:
    """aso:<a> asks; asx:<a> discards the unfinished assessment a and starts anew."""
    step = await assessment.restart(
        context.env, me.user, me.lang, data.assessment_id, data.confirmed
    )
    if not data.confirmed and not step.stale:
        await answer_query(update)
        await show(
            update, context, screens.restart_confirm_screen(me.t, step.assessment), edit=True
        )
        return
    await _step(update, context, me, step)


@on_button(cb.Rate)
async def rate_button(update: Update, context: CxContext, me: Learner, data: cb.Rate) -> None:
    """as:<a>:<i>:<r> — store the rating, then the next obstacle or the result."""
    step = await assessment.rate(
        context.env, me.user, me.lang, data.assessment_id, data.index, data.rating
    )
    await _step(update, context, me, step)


@on_button(cb.RateBack)
async def back_button(update: Update, context: CxContext, me: Learner, data: cb.RateBack) -> None:
    """asb:<a>:<i> — an earlier obstacle with its rating marked."""
    step = await assessment.back(context.env, me.user, me.lang, data.assessment_id, data.index)
    await _step(update, context, me, step)


@on_button(cb.AssessLater)
async def later_button(
    update: Update, context: CxContext, me: Learner, data: cb.AssessLater
) -> None:
    """asl:<a> — stop for now: what is saved, with Continue and Menu."""
    step = await assessment.later(context.env, me.user, me.lang, data.assessment_id)
    if step.stale:
        await _step(update, context, me, step)
        return
    assert step.assessment is not None
    screen = screens.later_screen(me.t, len(step.assessment.ratings), step.total)
    await reply(update, context, screen, edit=True)


async def _step(
    update: Update, context: CxContext, me: Learner, step: assessment.AssessStep
) -> None:
    """In place of the pressed message: the obstacle to rate; or, everything rated, the
    result; or, for an out-of-date button, a toast (and the intro, where things are)."""
    if step.stale:
        await answer_query(update, me.t._("That button is out of date."))
        if step.intro is not None:
            intro = screens.intro_screen(me.t, step.intro.unfinished, step.intro.total)
            await show(update, context, intro, edit=True)
        return
    await answer_query(update)
    assert step.assessment is not None
    if step.obstacle is not None:
        screen = screens.obstacle_screen(me.t, step.assessment, step.obstacle, step.total)
        await show(update, context, screen, edit=True)
        return
    assert step.result is not None
    await show(update, context, screens.Screen(me.t._("✅ All obstacles rated.")), edit=True)
    await send_result(update, context, me, step.result)


async def send_result(
    update: Update, context: CxContext, me: Learner, result: assessment.Result
) -> None:
    """The radar chart (captioned) first, then the scores and the plan, so that the plan's
    buttons end the conversation, in view."""
    t = me.t
    datasets = [(t._("Now"), [g.mean for g in result.groups])]
    if result.previous is not None:
        datasets.append((t._("Before"), [g.mean for g in result.previous]))
    axes = [g.series.series.title for g in result.groups]
    png = await asyncio.to_thread(radar_chart, axes, datasets, screens.chart_title(t))
    caption = screens.result_caption(t, result.previous_at, result.tz)
    await context.bot.send_photo(me.user.id, png, caption=caption)
    screen = screens.result_screen(
        t, result.groups, result.strongest, result.ratings, result.previous, result.subscribed
    )
    await show(update, context, screen)


def register(app: Application) -> None:
    add(app, assess_command, start_button, intro_button, restart_button, rate_button, back_button)
    add(app, later_button)
