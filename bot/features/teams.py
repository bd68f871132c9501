"""/team: teams a manager creates and members join by link; the manager's anonymous view."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, reply, show
from bot.features.handlers import add, on_button, on_command
from bot.render import teams as screens
from bot.render.chart import radar_chart
from bot.services import teams
from bot.services.start import deep_link_payload
from domain.records import Team


def team_link(context: CxContext, code: str) -> str:
    return f"https://t.me/{context.bot.username}?start={deep_link_payload('team', code)}"


async def teams_screen(
    context: CxContext, me: Learner, mine: list[Team], notice: str | None = None
) -> screens.Screen:
    managed = await teams.managed(context.env, me.user)
    return screens.teams_screen(me.t, mine, me.user.id, managed, notice)


@on_command("team")
async def team_command(update: Update, context: CxContext, me: Learner) -> None:
    """/team new <name>, or /team for the teams one manages or belongs to."""
    args = context.args or []
    if not args or args[0].lower() != "new":
        mine = await teams.teams_of(context.env, me.user)
        await show(update, context, await teams_screen(context, me, mine))
        return
    created = await teams.create(context.env, me.user, " ".join(args[1:]))
    if created.team is not None:
        link = team_link(context, created.team.code)
        await show(update, context, screens.team_created_screen(me.t, created.team, link))
    elif created.taken is not None:
        await show(update, context, screens.team_name_taken_screen(me.t, created.taken))
    else:
        await show(update, context, screens.team_usage_screen(me.t))


@on_button(cb.Teams)
async def teams_button(update: Update, context: CxContext, me: Learner, _: cb.Teams) -> None:
    """tms — my teams (also the Cancel of leaving or deleting one)."""
    mine = await teams.teams_of(context.env, me.user)
    await reply(update, context, await teams_screen(context, me, mine), edit=True)


@on_button(cb.TeamAction)
async def team_button(update: Update, context: CxContext, me: Learner, data: cb.TeamAction) -> None:
    """tm:<verb>:<team> — results (manager only); leave and delete, each asked first."""
    t = me.t
    outcome = await teams.act(context.env, me.user, me.lang, data.team_id, data.verb)
    step, team = outcome.step, outcome.team
    if step is teams.Step.GONE:
        await answer_query(update, t._("This team no longer exists."))
        await show(update, context, await teams_screen(context, me, outcome.teams or []), edit=True)
    elif step is teams.Step.RESULTS:
        await answer_query(update)
        assert outcome.results is not None
        await send_results(update, context, me, outcome.results)
    elif step is teams.Step.NOT_MANAGER:  # members and strangers alike: never the numbers
        await reply(update, context, screens.not_manager_screen(t))
    elif step is teams.Step.MANAGER_STAYS:
        await answer_query(update, t._("A manager deletes the team instead."))
    elif step is teams.Step.ASK_LEAVE:
        await reply(update, context, screens.team_leave_screen(t, team), edit=True)
    elif step is teams.Step.LEFT:
        await answer_query(update, t._("You left the team.") if outcome.changed else None)
        notice = screens.team_left_notice(t, team) if outcome.changed else None
        await show(
            update, context, await teams_screen(context, me, outcome.teams or [], notice), edit=True
        )
    elif step is teams.Step.ASK_DELETE:
        await reply(update, context, screens.team_delete_screen(t, team), edit=True)
    elif step is teams.Step.DELETED:
        await answer_query(update, t._("The team is deleted."))
        notice = screens.team_deleted_notice(t, team)
        await show(
            update, context, await teams_screen(context, me, outcome.teams or [], notice), edit=True
        )
    else:
        await answer_query(update, t._("Only the team’s manager can do that."))


async def send_results(
    update: Update, context: CxContext, me: Learner, results: teams.TeamResults
) -> None:
    """The team's figures (without the manager's own answers): the chart first, the numbers
    and their buttons last (in view); until enough others answered, how many did."""
    team, data = results.team, results.data
    if not data.visible:
        await show(update, context, screens.team_waiting_screen(me.t, team, data.answered))
        return
    if shown := results.chart_groups:
        png = await asyncio.to_thread(
            radar_chart,
            [g.series.series.title for g in shown],
            [(me.t._("Team mean"), [g.mean for g in shown])],
            screens.team_chart_title(me.t, team),
        )
        await context.bot.send_photo(me.user.id, png, caption=screens.team_caption(me.t, team))
    screen = screens.team_result_screen(
        me.t, team, data, results.groups, results.strongest, results.too_few
    )
    await show(update, context, screen)


@on_button(cb.TeamLessons)
async def team_lessons_button(
    update: Update, context: CxContext, me: Learner, data: cb.TeamLessons
) -> None:
    """tml:<team>:<page>[:n] — the team's figures per lesson (manager only, every press)."""
    outcome = await teams.team_lessons(context.env, me.user, me.lang, data.team_id)
    if outcome.step is teams.Step.RESULTS and outcome.team and outcome.lessons is not None:
        screen = screens.team_lessons_screen(me.t, outcome.team, outcome.lessons, data.page)
        await reply(update, context, screen, edit=not data.new)
    else:
        await refuse_lessons(update, context, me, outcome)


@on_button(cb.TeamLesson)
async def team_lesson_button(
    update: Update, context: CxContext, me: Learner, data: cb.TeamLesson
) -> None:
    """tmd:<team>:<lesson>:<page> — the team's figures on one lesson (manager only)."""
    outcome = await teams.team_lessons(context.env, me.user, me.lang, data.team_id, data.lesson_id)
    if outcome.step is teams.Step.RESULTS and outcome.team and outcome.lessons:
        screen = screens.team_lesson_screen(me.t, outcome.team, outcome.lessons[0], data.page)
        await reply(update, context, screen, edit=True)
    else:
        await refuse_lessons(update, context, me, outcome)


async def refuse_lessons(
    update: Update, context: CxContext, me: Learner, outcome: teams.TeamLessons
) -> None:
    """A team's lessons asked for by someone else than its manager, or of a deleted team."""
    if outcome.step is teams.Step.GONE:
        await answer_query(update, me.t._("This team no longer exists."))
        await show(update, context, await teams_screen(context, me, outcome.teams or []), edit=True)
    else:  # members and strangers alike: never the numbers
        await reply(update, context, screens.not_manager_screen(me.t))


async def refuse_assignment(
    update: Update, context: CxContext, me: Learner, gone: bool, mine: list[Team]
) -> None:
    """A team's assignments or digest asked for by someone who does not manage it (a toast),
    or of a team that is no more (the list)."""
    if gone:
        await answer_query(update, me.t._("This team no longer exists."))
        await show(update, context, await teams_screen(context, me, mine), edit=True)
    else:
        await answer_query(update, me.t._("Only the team’s manager can do that."))


async def show_view(
    update: Update, context: CxContext, me: Learner, view: teams.TeamView, refused: str
) -> None:
    """A team's screen after a press; a gone team: the list; a refusal: ``refused``."""
    if view.step is teams.Step.GONE:
        await answer_query(update, me.t._("This team no longer exists."))
        await show(update, context, await teams_screen(context, me, view.teams or []), edit=True)
    elif view.step is teams.Step.REFUSED or view.team is None:
        await answer_query(update, refused)
    else:
        link = team_link(context, view.team.code)
        await reply(update, context, screens.team_screen(me.t, view, link), edit=True)


@on_button(cb.TeamOpen)
async def team_open_button(
    update: Update, context: CxContext, me: Learner, data: cb.TeamOpen
) -> None:
    """tmo:<team> — one team's screen (its members and managers only)."""
    view = await teams.view(context.env, me.user, data.team_id, lang=me.lang)
    await show_view(update, context, me, view, me.t._("You are not in this team."))


@on_button(cb.TeamManager)
async def team_manager_button(
    update: Update, context: CxContext, me: Learner, data: cb.TeamManager
) -> None:
    """tmc:<verb>:<team>:<user> — co-managers and hand-over (the owner's, every press)."""
    view = await teams.manage(context.env, me.user, data.team_id, data.verb, data.user_id)
    await show_view(update, context, me, view, me.t._("Only the team’s manager can do that."))


@on_button(cb.TeamShare)
async def team_share_button(
    update: Update, context: CxContext, me: Learner, data: cb.TeamShare
) -> None:
    """tsh:<team>:<1|0> — a member shares their progress by name with the managers, or not."""
    view = await teams.share(context.env, me.user, data.team_id, data.on)
    await show_view(update, context, me, view, me.t._("You are not in this team."))


def register(app: Application) -> None:
    add(
        app,
        team_command,
        teams_button,
        team_button,
        team_lessons_button,
        team_lesson_button,
        team_open_button,
        team_manager_button,
        team_share_button,
    )
