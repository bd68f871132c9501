"""/assess (self-assessment), /team (team diagnostics) and /mydata (see and delete one's data)."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, learner, pressed, show
from bot.render import assessment as screens
from bot.render.chart import radar_chart
from bot.services import assessment as rules
from bot.services import journey
from storage.base import Assessment

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


# Self-assessment ---------------------------------------------------------------------------
async def assess_command(update: Update, context: CxContext) -> None:
    """/assess: start, or continue an unfinished assessment."""
    me = await learner(update, context)
    if me is None:
        return
    items = rules.obstacles(context.catalog, me.lang)
    unfinished = await context.storage.current_assessment(me.user.id)
    if unfinished is None:
        assessment = await context.storage.start_assessment(me.user.id, context.now())
        await show(update, context, screens.intro_screen(me.t, None, len(items)))
        await show(update, context, screens.obstacle_screen(me.t, assessment, items[0], len(items)))
        return
    await show(update, context, screens.intro_screen(me.t, unfinished, len(items)))


async def start_button(update: Update, context: CxContext) -> None:
    """asn (start over) / asc (continue)."""
    if (got := await pressed(update, context, cb.AssessStart)) is None:
        return
    me, data = got
    await answer_query(update)
    items = rules.obstacles(context.catalog, me.lang)
    assessment = None if data.new else await context.storage.current_assessment(me.user.id)
    if assessment is None:
        assessment = await context.storage.start_assessment(me.user.id, context.now())
    index = rules.next_unrated(items, assessment.ratings) or 0
    await show(update, context, screens.obstacle_screen(me.t, assessment, items[index], len(items)))


async def _own_open(context: CxContext, me: Learner, assessment_id: int) -> Assessment | None:
    assessment = await context.storage.get_assessment(assessment_id)
    if assessment is None or assessment.user_id != me.user.id or assessment.finished_at:
        return None
    return assessment


async def _item_press(update: Update, context: CxContext, kind: type):
    """A press on an obstacle screen: (learner, data, obstacles, open assessment) or None."""
    if (got := await pressed(update, context, kind)) is None:
        return None
    me, data = got
    items = rules.obstacles(context.catalog, me.lang)
    assessment = await _own_open(context, me, data.assessment_id)
    if assessment is None or data.index >= len(items):
        await answer_query(update, me.t._("That button is out of date."))
        return None
    return me, data, items, assessment


async def rate_button(update: Update, context: CxContext) -> None:
    """as:<a>:<i>:<r> — store the rating, then the next obstacle or the result."""
    if (got := await _item_press(update, context, cb.Rate)) is None:
        return
    me, data, items, assessment = got
    lesson_id = items[data.index].lesson.id
    await context.storage.rate_obstacle(
        assessment.id, me.user.id, lesson_id, data.rating, context.now()
    )
    await answer_query(update)
    ratings = {**assessment.ratings, lesson_id: data.rating}
    following = data.index + 1
    if following < len(items) and items[following].lesson.id not in ratings:
        index: int | None = following
    else:
        index = rules.next_unrated(items, ratings)
    if index is not None:
        updated = Assessment(
            assessment.id, assessment.user_id, assessment.started_at, None, ratings
        )
        screen = screens.obstacle_screen(me.t, updated, items[index], len(items))
        await show(update, context, screen, edit=True)
        return
    await context.storage.finish_assessment(assessment.id, me.user.id, context.now())
    await show(update, context, screens.Screen(me.t._("✅ All obstacles rated.")), edit=True)
    await send_result(update, context, me)


async def back_button(update: Update, context: CxContext) -> None:
    """asb:<a>:<i> — show an earlier obstacle with its rating marked."""
    if (got := await _item_press(update, context, cb.RateBack)) is None:
        return
    me, data, items, assessment = got
    await answer_query(update)
    screen = screens.obstacle_screen(me.t, assessment, items[data.index], len(items))
    await show(update, context, screen, edit=True)


async def later_button(update: Update, context: CxContext) -> None:
    if (got := await pressed(update, context, cb.AssessLater)) is None:
        return
    me, data = got
    await answer_query(update)
    assessment = await context.storage.get_assessment(data.assessment_id)
    done = len(assessment.ratings) if assessment and assessment.user_id == me.user.id else 0
    total = len(rules.obstacles(context.catalog, me.lang))
    await show(update, context, screens.later_screen(me.t, done, total), edit=True)


async def send_result(update: Update, context: CxContext, me: Learner) -> None:
    """The latest result: scores, the strongest obstacles, a plan, and the radar chart."""
    items = rules.obstacles(context.catalog, me.lang)
    latest, *earlier = await context.storage.finished_assessments(me.user.id, 2)
    groups = rules.group_scores(items, latest.ratings)  # type: ignore[arg-type]
    previous = rules.group_scores(items, earlier[0].ratings) if earlier else None  # type: ignore[arg-type]
    strongest = rules.strongest(items, latest.ratings)  # type: ignore[arg-type]
    subs = {s.series_id for s in await context.storage.subscriptions(me.user.id)}
    screen = screens.result_screen(me.t, groups, strongest, latest.ratings, previous, subs)
    await show(update, context, screen)
    datasets = [(me.t._("Now"), [g.mean for g in groups])]
    if previous is not None:
        datasets.append((me.t._("Before"), [g.mean for g in previous]))
    axes = [g.series.series.title for g in groups]
    title = me.t._("How strongly each group of obstacles holds you back (1–5)")
    png = await asyncio.to_thread(radar_chart, axes, datasets, title)
    await context.bot.send_photo(me.user.id, png)


# Teams -------------------------------------------------------------------------------------
def _link(context: CxContext, code: str) -> str:
    return f"https://t.me/{context.bot.username}?start={journey.deep_link_payload('team', code)}"


async def team_command(update: Update, context: CxContext) -> None:
    """/team new <name>, or /team for the teams one manages or belongs to."""
    me = await learner(update, context)
    if me is None:
        return
    args = context.args or []
    if args and args[0].lower() == "new":
        name = rules.clean_team_name(" ".join(args[1:]))
        if name is None:
            await show(update, context, screens.team_usage_screen(me.t))
            return
        team = await context.storage.create_team(me.user.id, name, rules.team_code(), context.now())
        await show(
            update, context, screens.team_created_screen(me.t, team, _link(context, team.code))
        )
        return
    teams = await context.storage.teams_of(me.user.id)
    links = {team.id: _link(context, team.code) for team in teams}
    await show(update, context, screens.teams_screen(me.t, teams, me.user.id, links))


async def join(update: Update, context: CxContext, me: Learner, code: str) -> bool:
    """The team deep link: join and invite to the assessment; False for an unknown code."""
    team = await context.storage.team_by_code(code)
    if team is None:
        return False
    new = await context.storage.join_team(team.id, me.user.id, context.now())
    await show(update, context, screens.joined_screen(me.t, team, new))
    return True


async def team_button(update: Update, context: CxContext) -> None:
    """tm:<verb>:<team> — results (manager only), leave, delete (manager only, confirmed)."""
    if (got := await pressed(update, context, cb.TeamAction)) is None:
        return
    me, data = got
    t = me.t
    team = await context.storage.get_team(data.team_id)
    if team is None:
        await answer_query(update, t._("This team no longer exists."))
        return
    manager = team.manager_id == me.user.id
    if data.verb == "r":
        await answer_query(update)
        if not manager:  # members and strangers alike: never the team's numbers
            await show(update, context, screens.not_manager_screen(t))
            return
        await _team_results(update, context, me, team)
    elif data.verb == "l":
        left = await context.storage.leave_team(team.id, me.user.id) if not manager else False
        await answer_query(
            update,
            t._("You left the team.") if left else t._("A manager deletes the team instead."),
        )
    elif data.verb == "d" and manager:
        await answer_query(update)
        await show(update, context, screens.team_delete_screen(t, team))
    elif data.verb == "dd" and manager:
        await context.storage.delete_team(team.id, me.user.id)
        await answer_query(update, t._("The team is deleted."))
    else:
        await answer_query(update, t._("Only the team's manager can do that."))


async def _team_results(update: Update, context: CxContext, me: Learner, team) -> None:
    data = rules.aggregate(await context.storage.team_latest_ratings(team.id))
    if not data.visible:
        await show(update, context, screens.team_waiting_screen(me.t, team, data.answered))
        return
    items = rules.obstacles(context.catalog, me.lang)
    groups = rules.group_scores(items, data.means)
    strongest = rules.strongest(items, data.means)
    await show(update, context, screens.team_result_screen(me.t, team, data, groups, strongest))
    group_spread = []
    for group in groups:
        values = [
            data.spreads[o.lesson.id]
            for o in items
            if o.series.id == group.series.id and o.lesson.id in data.spreads
        ]
        group_spread.append(sum(values) / len(values) if values else 0.0)
    png = await asyncio.to_thread(
        radar_chart,
        [g.series.series.title for g in groups],
        [(me.t._("Team mean"), [g.mean for g in groups])],
        me.t._("{name}: obstacles by group (1–5)", name=team.name),
        group_spread,
    )
    await context.bot.send_photo(me.user.id, png)


# /mydata -----------------------------------------------------------------------------------
async def mydata_command(update: Update, context: CxContext) -> None:
    """/mydata: everything stored about the user, with a way to delete it."""
    me = await learner(update, context)
    if me is None:
        return
    data = await context.storage.personal_data(me.user.id)
    await show(update, context, screens.mydata_screen(me.t, data))


async def mydata_button(update: Update, context: CxContext) -> None:
    if (got := await pressed(update, context, cb.MyData)) is None:
        return
    me, data = got
    await answer_query(update)
    if not data.confirmed:
        await show(update, context, screens.mydata_confirm_screen(me.t), edit=True)
        return
    await context.storage.delete_personal_data(me.user.id)
    await show(update, context, screens.deleted_screen(me.t), edit=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("assess", assess_command, filters=PRIVATE))
    app.add_handler(CommandHandler("team", team_command, filters=PRIVATE))
    app.add_handler(CommandHandler("mydata", mydata_command, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(start_button, pattern=r"^as[nc]$"))
    app.add_handler(CallbackQueryHandler(rate_button, pattern=r"^as:"))
    app.add_handler(CallbackQueryHandler(back_button, pattern=r"^asb:"))
    app.add_handler(CallbackQueryHandler(later_button, pattern=r"^asl:"))
    app.add_handler(CallbackQueryHandler(team_button, pattern=r"^tm:"))
    app.add_handler(CallbackQueryHandler(mydata_button, pattern=r"^md:"))
