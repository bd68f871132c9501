"""The week's action as a commitment: taken on or not, and the answer to the daily slot's
"did you try it?" with an optional line of what happened."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, show
from bot.features.handlers import add, on_button, on_typed
from bot.render import commitments as screens
from bot.services import commitments
from bot.services.commitments import AWAIT_NOTE
from bot.services.schedule import prefs_of


def _today(context: CxContext, me: Learner):
    return context.env.now().astimezone(prefs_of(me.user, me.lang).tz).date()


@on_button(cb.Commit)
async def commit_button(update: Update, context: CxContext, me: Learner, data: cb.Commit) -> None:
    """cm:<lesson>:<y|n> — "I'll try it" or "Not now"."""
    outcome = await commitments.commit(context.env, me.user, me.lang, data.lesson_id, data.taken)
    await answer_query(update)
    await show(
        update, context, screens.committed_screen(me.t, outcome, _today(context, me)), edit=True
    )


@on_button(cb.FollowUp)
async def follow_up_button(
    update: Update, context: CxContext, me: Learner, data: cb.FollowUp
) -> None:
    """cf:<commitment>:<d|l|f> — done, not yet, it didn't work."""
    outcome = await commitments.follow_up(
        context.env, me.user, me.lang, data.commitment_id, data.answer
    )
    if outcome.already:
        await answer_query(update, me.t._("Already answered: see /journal."))
        return
    await answer_query(update)
    screen = screens.answered_screen(me.t, outcome, _today(context, me))
    await show(update, context, screen, edit=True)


@on_button(cb.SkipNote)
async def skip_note_button(
    update: Update, context: CxContext, me: Learner, data: cb.SkipNote
) -> None:
    """cn:<commitment> — no note."""
    outcome = await commitments.skip_note(context.env, me.user, data.commitment_id)
    await answer_query(update)
    await show(update, context, screens.noted_screen(me.t, outcome, typed=False), edit=True)


@on_typed(AWAIT_NOTE)
async def note_text(update: Update, context: CxContext, me: Learner) -> None:
    """What happened, typed: kept as written, in the journal."""
    text = update.effective_message.text if update.effective_message else ""
    outcome = await commitments.note(context.env, me.user, text or "")
    await show(update, context, screens.noted_screen(me.t, outcome, typed=True))


def register(app: Application) -> None:
    add(app, commit_button, follow_up_button, skip_note_button, note_text)
