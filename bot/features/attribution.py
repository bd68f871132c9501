"""/links (admins): named tracked links for articles, partners and ads, and named channel
invite links; /stats → 🔗 Sources: the funnel per source, and its chart; and the channel
joins through our invite links (``chat_member`` updates). A start through a tracked link is
handled by /start (``services/start.py``).

Every command, button and awaited name checks the caller against ``CXCOACH_ADMIN_IDS`` on
every call: to anyone else /links is like any unknown command, and the buttons do nothing at
all."""

from __future__ import annotations

import asyncio
import logging

from telegram import ChatMember, ChatMemberRestricted, Update
from telegram.error import TelegramError
from telegram.ext import Application, ChatMemberHandler

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.broadcast import admins_only
from bot.features.common import Learner, answer_query, reply, show
from bot.features.handlers import add, on_button, on_command, on_typed
from bot.features.stats import admin_buttons
from bot.render import attribution as screens
from bot.render.chart import funnel_chart
from bot.services import attribution
from bot.services.attribution import AWAIT_INVITE, AWAIT_LINK

log = logging.getLogger(__name__)

# chat_member updates are watched in a group of their own: beside, never instead of, any
# other feature's handler of the same updates (group 0 runs only its first match)
MEMBERS_GROUP = 1
IN_CHAT = {ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER}


@on_command("links")
@admins_only
async def links_command(update: Update, context: CxContext, me: Learner) -> None:
    """/links: the named links and invite links with their counts; make new ones."""
    view = await attribution.links(context.env, me.user, me.lang)
    await show(update, context, screens.links_screen(me.t, view, 0, context.bot.username))


@on_button(cb.Links)
@admin_buttons
async def links_button(update: Update, context: CxContext, me: Learner, data: cb.Links) -> None:
    """lk:<page> — /links' list, page n (in place; an awaited name is forgotten)."""
    view = await attribution.links(context.env, me.user, me.lang)
    screen = screens.links_screen(me.t, view, data.page, context.bot.username)
    await reply(update, context, screen, edit=True)


@on_button(cb.LinkNew)
@admin_buttons
async def new_link_button(update: Update, context: CxContext, me: Learner, _: cb.LinkNew) -> None:
    """lkn — a new named link: what it opens (the home screen or a series)."""
    series = await attribution.series_choice(context.env, me.user, me.lang)
    await reply(update, context, screens.link_target_screen(me.t, series), edit=True)


@on_button(cb.LinkSeries)
@admin_buttons
async def link_series_button(
    update: Update, context: CxContext, me: Learner, data: cb.LinkSeries
) -> None:
    """lks:<series> — the series' page or one of its lessons."""
    series = await attribution.series_lessons(context.env, me.lang, data.series_id)
    await reply(update, context, screens.link_series_screen(me.t, series), edit=True)


@on_button(cb.LinkTarget)
@admin_buttons
async def link_target_button(
    update: Update, context: CxContext, me: Learner, data: cb.LinkTarget
) -> None:
    """lkt:h | lkt:s:<series> | lkt:l:<lesson> — chosen: the link's name is awaited."""
    opens = await attribution.ask_link_name(
        context.env, me.user, me.lang, data.kind, data.target_id
    )
    await reply(update, context, screens.link_name_screen(me.t, opens), edit=True)


@on_typed(AWAIT_LINK)
@admins_only
async def link_name_text(update: Update, context: CxContext, me: Learner) -> None:
    """The new link's name, typed: the link made, shown with the URL to share."""
    text = update.effective_message.text if update.effective_message else ""
    named = await attribution.name_link(context.env, me.user, me.lang, text or "")
    await show(update, context, screens.named_screen(me.t, named, context.bot.username))


@on_button(cb.InviteNew)
@admin_buttons
async def new_invite_button(
    update: Update, context: CxContext, me: Learner, data: cb.InviteNew
) -> None:
    """lki[:<channel>] — a new channel invite link: its channel, then its name."""
    ask = await attribution.ask_invite_name(context.env, me.user, data.channel)
    await reply(update, context, screens.invite_ask_screen(me.t, ask), edit=True)


@on_typed(AWAIT_INVITE)
@admins_only
async def invite_name_text(update: Update, context: CxContext, me: Learner) -> None:
    """The new invite link's name, typed: the link made in the channel
    (createChatInviteLink, named so), or Telegram's refusal explained."""

    async def make(channel: str, name: str) -> str | None:
        chat = int(channel) if channel.lstrip("-").isdigit() else channel
        try:
            made = await context.bot.create_chat_invite_link(chat, name=name)
        except TelegramError as exc:  # not an admin there, no right to invite, no such chat
            log.warning("could not make an invite link for %s: %s", channel, exc)
            return None
        return made.invite_link

    text = update.effective_message.text if update.effective_message else ""
    named = await attribution.name_invite(context.env, me.user, text or "", make)
    await show(update, context, screens.named_screen(me.t, named, context.bot.username))


@on_button(cb.Sources)
@admin_buttons
async def sources_button(update: Update, context: CxContext, me: Learner, data: cb.Sources) -> None:
    """fn:<page>[:n] — every source's funnel (under the /stats message, which stays; in
    place when paging)."""
    report = await attribution.funnel(context.env, me.lang)
    screen = screens.sources_screen(me.t, report, data.page)
    await reply(update, context, screen, edit=not data.new)


@on_button(cb.SourcesChart)
@admin_buttons
async def sources_chart_button(
    update: Update, context: CxContext, me: Learner, _: cb.SourcesChart
) -> None:
    """fnc — the top sources' funnels, as a picture."""
    report = await attribution.funnel(context.env, me.lang)
    await answer_query(update)
    png = await asyncio.to_thread(funnel_chart, *screens.sources_chart_args(me.t, report))
    await context.bot.send_photo(me.user.id, png, caption=screens.sources_chart_caption(me.t))


def in_chat(member: ChatMember) -> bool:
    return member.status in IN_CHAT or (
        isinstance(member, ChatMemberRestricted) and member.is_member
    )


async def channel_member(update: Update, context: CxContext) -> None:
    """Someone joined or left a chat the bot administers: in a configured channel, a join
    through one of our invite links is counted for it, and a leave is noted."""
    change = update.chat_member
    if change is None:
        return
    was, now = in_chat(change.old_chat_member), in_chat(change.new_chat_member)
    if was == now:
        return  # promoted, restricted...: not a join or a leave
    link = change.invite_link.invite_link if change.invite_link else None
    await attribution.member_changed(
        context.env,
        change.chat.id,
        change.chat.username,
        change.new_chat_member.user.id,
        link,
        joined=now,
        via_request=bool(change.via_join_request),
    )


def register(app: Application) -> None:
    add(app, links_command, links_button, new_link_button, link_series_button)
    add(app, link_target_button, link_name_text, new_invite_button, invite_name_text)
    add(app, sources_button, sources_chart_button)
    app.add_handler(
        ChatMemberHandler(channel_member, ChatMemberHandler.CHAT_MEMBER), group=MEMBERS_GROUP
    )
