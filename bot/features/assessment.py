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
from bot.render.training import zone_label
from bot.services import assessment as rules
from bot.services import journey, training
from domain.records import Assessment, team_name_key

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


# Self-assessment ---------------------------------------------------------------------------
async def assess_command(update: Update, context: CxContext) -> None:
    """/assess: one screen, the intro with Start (or Continue / Start over)."""
    me = await learner(update, context)
    if me is None:
        return
    await _show_intro(update, context, me)


async def _show_intro(update: Update, context: CxContext, me: Learner, edit: bool = False) -> None:
    total = len(rules.obstacles(context.catalog, me.lang))
    unfinished = await context.storage.current_assessment(me.user.id)
    await show(update, context, screens.intro_screen(me.t, unfinished, total), edit=edit)


async def intro_button(update: Update, context: CxContext) -> None:
    """asi — back to the intro (the Cancel of "start over")."""
    if (got := await pressed(update, context, cb.AssessIntro)) is None:
        return
    me, _ = got
    await answer_query(update)
    await _show_intro(update, context, me, edit=True)


async def start_button(update: Update, context: CxContext) -> None:
    """asn / asc — the unfinished assessment where it stopped, or a new one: never discards."""
    if (got := await pressed(update, context, cb.AssessStart)) is None:
        return
    me, _ = got
    await answer_query(update)
    items = rules.obstacles(context.catalog, me.lang)
    assessment = await context.storage.start_assessment(me.user.id, context.now())
    await _show_next(update, context, me, items, assessment)


async def restart_button(update: Update, context: CxContext) -> None:
    """aso:<a> asks; asx:<a> discards the unfinished assessment a and starts anew."""
    if (got := await pressed(update, context, cb.AssessRestart)) is None:
        return
    me, data = got
    assessment = await _own_open(context, me, data.assessment_id)
    if assessment is None:
        await answer_query(update, me.t._("That button is out of date."))
        await _show_intro(update, context, me, edit=True)
        return
    await answer_query(update)
    if not data.confirmed:
        await show(update, context, screens.restart_confirm_screen(me.t, assessment), edit=True)
        return
    items = rules.obstacles(context.catalog, me.lang)
    fresh = await context.storage.restart_assessment(assessment.id, me.user.id, context.now())
    await _show_next(update, context, me, items, fresh)


async def _show_next(
    update: Update,
    context: CxContext,
    me: Learner,
    items: list[rules.Obstacle],
    assessment: Assessment,
) -> None:
    """The first unrated obstacle of an open assessment, in place of the pressed message."""
    index = rules.next_unrated(items, assessment.ratings)
    if index is None:  # everything rated (content shrank since): finish it
        await _finish(update, context, me, assessment)
        return
    screen = screens.obstacle_screen(me.t, assessment, items[index], len(items))
    await show(update, context, screen, edit=True)


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
    updated = Assessment(assessment.id, assessment.user_id, assessment.started_at, None, ratings)
    if index is not None:
        screen = screens.obstacle_screen(me.t, updated, items[index], len(items))
        await show(update, context, screen, edit=True)
        return
    await _finish(update, context, me, updated)


async def _finish(update: Update, context: CxContext, me: Learner, assessment: Assessment) -> None:
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
    """asl:<a> — stop for now: what is saved, with Continue and Menu."""
    if (got := await pressed(update, context, cb.AssessLater)) is None:
        return
    me, data = got
    assessment = await _own_open(context, me, data.assessment_id)
    if assessment is None:  # finished or discarded meanwhile: the intro tells where things are
        await answer_query(update, me.t._("That button is out of date."))
        await _show_intro(update, context, me, edit=True)
        return
    await answer_query(update)
    total = len(rules.obstacles(context.catalog, me.lang))
    screen = screens.later_screen(me.t, len(assessment.ratings), total)
    await show(update, context, screen, edit=True)


async def send_result(update: Update, context: CxContext, me: Learner) -> None:
    """The latest result: the radar chart (captioned) first, then the scores and the plan,
    so that the plan's buttons end the conversation, in view."""
    items = rules.obstacles(context.catalog, me.lang)
    latest, *earlier = await context.storage.finished_assessments(me.user.id, 2)
    groups = rules.group_scores(items, latest.ratings)  # type: ignore[arg-type]
    previous = rules.group_scores(items, earlier[0].ratings) if earlier else None  # type: ignore[arg-type]
    strongest = rules.strongest(items, latest.ratings)  # type: ignore[arg-type]
    subs = {s.series_id for s in await context.storage.subscriptions(me.user.id)}
    datasets = [(me.t._("Now"), [g.mean for g in groups])]
    if previous is not None:
        datasets.append((me.t._("Before"), [g.mean for g in previous]))
    axes = [g.series.series.title for g in groups]
    png = await asyncio.to_thread(radar_chart, axes, datasets, screens.chart_title(me.t))
    tz = training.prefs_of(me.user, me.lang).tz
    previous_at = earlier[0].finished_at if earlier else None
    caption = screens.result_caption(me.t, previous_at, tz)
    await context.bot.send_photo(me.user.id, png, caption=caption)
    screen = screens.result_screen(me.t, groups, strongest, latest.ratings, previous, subs)
    await show(update, context, screen)


# Teams -------------------------------------------------------------------------------------
def _link(context: CxContext, code: str) -> str:
    return f"https://t.me/{context.bot.username}?start={journey.deep_link_payload('team', code)}"


async def _teams_screen(context: CxContext, me: Learner, notice: str | None = None):
    teams = await context.storage.teams_of(me.user.id)
    links = {team.id: _link(context, team.code) for team in teams}
    return screens.teams_screen(me.t, teams, me.user.id, links, notice)


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
        if team is None:  # the same name as one of the manager's teams: refused
            taken = next(
                (
                    other.name
                    for other in await context.storage.teams_of(me.user.id)
                    if team_name_key(other.name) == team_name_key(name)
                ),
                name,
            )
            await show(update, context, screens.team_name_taken_screen(me.t, taken))
            return
        await show(
            update, context, screens.team_created_screen(me.t, team, _link(context, team.code))
        )
        return
    await show(update, context, await _teams_screen(context, me))


async def teams_button(update: Update, context: CxContext) -> None:
    """tms — my teams (also the Cancel of leaving or deleting one)."""
    if (got := await pressed(update, context, cb.Teams)) is None:
        return
    me, _ = got
    await answer_query(update)
    await show(update, context, await _teams_screen(context, me), edit=True)


async def join(update: Update, context: CxContext, me: Learner, code: str) -> bool:
    """The team deep link: join, and say what becomes of the learner's assessment (one in
    progress is kept and counts once finished; a finished one counts already); False for an
    unknown code."""
    team = await context.storage.team_by_code(code)
    if team is None:
        return False
    new = await context.storage.join_team(team.id, me.user.id, context.now())
    unfinished = await context.storage.current_assessment(me.user.id)
    finished = await context.storage.finished_assessments(me.user.id, 1)
    latest_at = finished[0].finished_at if finished and unfinished is None else None
    others = [other for other in await context.storage.teams_of(me.user.id) if other.id != team.id]
    screen = screens.joined_screen(
        me.t,
        team,
        new,
        unfinished,
        latest_at,
        len(rules.obstacles(context.catalog, me.lang)),
        others,
        training.prefs_of(me.user, me.lang).tz,
    )
    await show(update, context, screen)
    return True


async def team_button(update: Update, context: CxContext) -> None:
    """tm:<verb>:<team> — results (manager only); leave and delete, each asked first."""
    if (got := await pressed(update, context, cb.TeamAction)) is None:
        return
    me, data = got
    t = me.t
    team = await context.storage.get_team(data.team_id)
    if team is None:
        await answer_query(update, t._("This team no longer exists."))
        await show(update, context, await _teams_screen(context, me), edit=True)
        return
    manager = team.manager_id == me.user.id
    if data.verb == "r":
        await answer_query(update)
        if not manager:  # members and strangers alike: never the team's numbers
            await show(update, context, screens.not_manager_screen(t))
            return
        await _team_results(update, context, me, team)
    elif data.verb in ("l", "ll") and manager:
        await answer_query(update, t._("A manager deletes the team instead."))
    elif data.verb == "l":
        await answer_query(update)
        await show(update, context, screens.team_leave_screen(t, team), edit=True)
    elif data.verb == "ll":
        left = await context.storage.leave_team(team.id, me.user.id)
        await answer_query(update, t._("You left the team.") if left else None)
        notice = screens.team_left_notice(t, team) if left else None
        await show(update, context, await _teams_screen(context, me, notice), edit=True)
    elif data.verb == "d" and manager:
        await answer_query(update)
        await show(update, context, screens.team_delete_screen(t, team), edit=True)
    elif data.verb == "dd" and manager:
        await context.storage.delete_team(team.id, me.user.id)
        await answer_query(update, t._("The team is deleted."))
        notice = screens.team_deleted_notice(t, team)
        await show(update, context, await _teams_screen(context, me, notice), edit=True)
    else:
        await answer_query(update, t._("Only the team’s manager can do that."))


async def _team_results(update: Update, context: CxContext, me: Learner, team) -> None:
    """The team's figures without the manager's own answers (rules.aggregate: the privacy rule)."""
    others = await context.storage.team_latest_ratings(team.id, excluding=me.user.id)
    data = rules.aggregate(others)
    if not data.visible:
        await show(update, context, screens.team_waiting_screen(me.t, team, data.answered))
        return
    items = rules.obstacles(context.catalog, me.lang)
    groups = rules.group_scores(items, data.means)
    strongest = rules.strongest(items, data.means)
    shown = [g for g in groups if g.mean]  # a group with no obstacle above the threshold: no axis
    if len(shown) >= 3:  # a radar needs three axes to read as one
        png = await asyncio.to_thread(
            radar_chart,
            [g.series.series.title for g in shown],
            [(me.t._("Team mean"), [g.mean for g in shown])],
            screens.team_chart_title(me.t, team),
        )
        # the chart first, the numbers and their buttons last (in view)
        await context.bot.send_photo(me.user.id, png, caption=screens.team_caption(me.t, team))
    screen = screens.team_result_screen(me.t, team, data, groups, strongest, data.too_few(items))
    await show(update, context, screen)


# /mydata -----------------------------------------------------------------------------------
async def mydata_command(update: Update, context: CxContext) -> None:
    """/mydata: everything stored about the user, with a way to delete it."""
    me = await learner(update, context)
    if me is None:
        return
    data = await context.storage.personal_data(me.user.id)
    prefs = training.prefs_of(me.user, me.lang)
    zone = zone_label(me.t, prefs, me.user.tz_chosen)  # as /settings shows it
    await show(update, context, screens.mydata_screen(me.t, data, prefs.tz, zone))


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
    app.add_handler(CallbackQueryHandler(intro_button, pattern=r"^asi$"))
    app.add_handler(CallbackQueryHandler(restart_button, pattern=r"^as[ox]:"))
    app.add_handler(CallbackQueryHandler(teams_button, pattern=r"^tms$"))
    app.add_handler(CallbackQueryHandler(rate_button, pattern=r"^as:"))
    app.add_handler(CallbackQueryHandler(back_button, pattern=r"^asb:"))
    app.add_handler(CallbackQueryHandler(later_button, pattern=r"^asl:"))
    app.add_handler(CallbackQueryHandler(team_button, pattern=r"^tm:"))
    app.add_handler(CallbackQueryHandler(mydata_button, pattern=r"^md:"))
