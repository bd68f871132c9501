"""Bonus materials for channel members: /bonus and its buttons (admins only), and a learner's
"🎁 Bonus" button under a lesson or a series.

Every admin handler checks the caller against ``CXCOACH_ADMIN_IDS`` on every call: to anyone
else /bonus looks like any unknown command (the fallback answers it), and the admin buttons
do nothing at all. The admin's next message while a bonus's material is awaited is caught by
a handler of its own group (``MATERIAL_GROUP``), before the features' handlers.
"""

from __future__ import annotations

import logging
from weakref import WeakKeyDictionary

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ExtBot, MessageHandler, filters

from bot import callbacks as cb
from bot.context import CxContext
from bot.features import fallback
from bot.features.broadcast import admins_only
from bot.features.common import Learner, answer_query, reply, show
from bot.features.handlers import PRIVATE, add, on_button, on_command, on_typed
from bot.features.stats import admin_buttons
from bot.i18n import translator
from bot.render import bonus as screens
from bot.render.fallback import gone_toast
from bot.render.kit import Screen
from bot.services import bonus
from bot.services.bonus import Claim, Membership, chat_of
from bot.services.env import Gone

log = logging.getLogger(__name__)

# The awaited material's handler: before the other awaited admin messages (channel's -2,
# broadcast's -1); only one of them can be awaited at a time (users.awaiting).
MATERIAL_GROUP = -3


# The admin's side ---------------------------------------------------------------------------
def _list_screen(me: Learner, view: bonus.Overview, page: int, notice: str | None = None) -> Screen:
    return screens.bonus_list_screen(me.t, view.bonuses, view.series, view.channels, page, notice)


@on_command("bonus")
@admins_only
async def bonus_command(update: Update, context: CxContext, me: Learner) -> None:
    """/bonus: the bonuses (each with a delete), and the series to attach a new one to."""
    view = await bonus.overview(context.env, me.lang)
    await show(update, context, _list_screen(me, view, 0))


@on_button(cb.BonusList)
@admin_buttons
async def list_button(update: Update, context: CxContext, me: Learner, data: cb.BonusList) -> None:
    """bn:<page> — the list again (a page of it), in place."""
    view = await bonus.overview(context.env, me.lang)
    await reply(update, context, _list_screen(me, view, data.page), edit=True)


@on_button(cb.BonusSeries)
@admin_buttons
async def series_button(
    update: Update, context: CxContext, me: Learner, data: cb.BonusSeries
) -> None:
    """bns:<series> — the series itself or one of its lessons."""
    series = bonus.series_of(context.env, me.lang, data.series_id)
    await reply(update, context, screens.bonus_series_screen(me.t, series), edit=True)


@on_button(cb.BonusTarget)
@admin_buttons
async def target_button(
    update: Update, context: CxContext, me: Learner, data: cb.BonusTarget
) -> None:
    """bnt:<s|l>:<id> — for which language."""
    target = bonus.target(context.env, me.lang, data.kind, data.target_id)
    await reply(update, context, screens.bonus_language_screen(me.t, target), edit=True)


@on_button(cb.BonusLanguage)
@admin_buttons
async def language_button(
    update: Update, context: CxContext, me: Learner, data: cb.BonusLanguage
) -> None:
    """bnl:<s|l>:<id>:<language|all> — the title is awaited (typed)."""
    target = await bonus.ask_title(
        context.env, me.user, me.lang, data.kind, data.target_id, data.language
    )
    await reply(update, context, screens.bonus_title_screen(me.t, target, data.language), edit=True)


@on_typed(bonus.AWAIT_TITLE)
@admins_only
async def title_typed(update: Update, context: CxContext, me: Learner) -> None:
    """The bonus's title, typed: then its material is awaited (or the title asked again)."""
    message = update.effective_message
    try:
        step = await bonus.typed_title(context.env, me.user, me.lang, message.text or "")
    except Gone as exc:  # the lesson or series left the content meanwhile
        await show(update, context, Screen(gone_toast(me.t, exc.what)))
        return
    if step is None:
        await fallback.reply_to_text(update, context, me)
    elif step.accepted:
        screen = screens.bonus_material_screen(me.t, step.target, step.language, step.title)
        await show(update, context, screen)
    else:
        screen = screens.bonus_title_screen(me.t, step.target, step.language, refused=True)
        await show(update, context, screen)


async def material_message(update: Update, context: CxContext) -> None:
    """An admin's message while a bonus's material is awaited becomes the bonus (any other
    message goes on to the next groups' handlers)."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not context.settings.is_admin(user.id):
        return
    step = await bonus.receive_material(
        context.env, user.id, _kind(message), message.chat_id, message.message_id
    )
    if step is None:
        return  # not awaited: the usual handlers see it
    t = translator(step.lang)
    if step.saved is None:
        await show(update, context, screens.material_refused_screen(t))
    else:
        await show(update, context, screens.bonus_saved_screen(t, step.saved))
    raise ApplicationHandlerStop


def _kind(message: Message) -> str:
    for kind in bonus.ATTACHABLE:
        if getattr(message, kind, None):
            return kind
    return "other"


@on_button(cb.BonusDelete)
@admin_buttons
async def delete_button(
    update: Update, context: CxContext, me: Learner, data: cb.BonusDelete
) -> None:
    """bnd:<bonus> asks; bnx:<bonus> deletes, then the list (a double press: "already")."""
    step = await bonus.delete(context.env, me.lang, data.bonus_id, data.confirmed)
    if isinstance(step, bonus.Attached):
        screen = screens.bonus_delete_screen(me.t, step)
    else:
        notice = screens.deleted_notice(me.t, step.deleted)
        screen = _list_screen(me, step.overview, 0, notice)
    await reply(update, context, screen, edit=True)


# A learner's side ---------------------------------------------------------------------------
_INVITES: WeakKeyDictionary[object, dict[str, str]] = WeakKeyDictionary()


class BotChannels:
    """:class:`bonus.Channels` over the Bot API: a failed call is a None, never an error."""

    def __init__(self, bot: ExtBot, invites: dict[str, str]) -> None:
        self.bot = bot
        self.invites = invites  # channel -> its link, asked once per process

    async def membership(self, channel: str, user_id: int) -> Membership | None:
        try:
            member = await self.bot.get_chat_member(chat_of(channel), user_id)
        except TelegramError as exc:  # not an admin of the channel, the network...
            log.warning("cannot check membership in %s: %s", channel, exc)
            return None
        return Membership(member.status, getattr(member, "is_member", None))

    async def invite_link(self, channel: str) -> str | None:
        """A channel configured by its id: an invite link of ours, made once per process."""
        if channel not in self.invites:
            try:
                made = await self.bot.create_chat_invite_link(chat_of(channel), name="Bonus")
            except TelegramError as exc:  # the bot may not invite users there
                log.warning("cannot make a link to join %s: %s", channel, exc)
                return None
            self.invites[channel] = made.invite_link
        return self.invites[channel]


def _channels(context: CxContext) -> BotChannels:
    return BotChannels(context.bot, _INVITES.setdefault(context.application, {}))


@on_button(cb.GetBonus)
async def bonus_button(update: Update, context: CxContext, me: Learner, data: cb.GetBonus) -> None:
    """bg:<bonus>[:j] — a member of the learner's channel (asked of Telegram now) gets the
    material, copied; anyone else an invitation to join first ("✅ I'm in the channel"
    checks again)."""
    outcome = await bonus.claim(context.env, me.user, me.lang, data.bonus_id, _channels(context))
    t = me.t
    if outcome.result is Claim.GIVEN:
        given = screens.bonus_given_screen(t, outcome.bonus, data.joined)
        await reply(update, context, given, edit=data.joined)  # the invitation: done
        try:
            await context.bot.copy_message(
                me.user.id, outcome.bonus.source_chat_id, outcome.bonus.source_message_id
            )
        except TelegramError as exc:  # the admin's message is gone, the network...
            log.warning("bonus %d could not be copied: %s", outcome.bonus.id, exc)
            await show(update, context, screens.bonus_unavailable_screen(t))
    elif outcome.result is Claim.NOT_MEMBER and outcome.link is not None:
        if data.joined:  # pressed "I'm in the channel" too early: the invitation stays
            await answer_query(update, screens.not_joined_toast(t))
        else:
            await reply(
                update, context, screens.bonus_invitation_screen(t, outcome.bonus, outcome.link)
            )
    else:
        await reply(update, context, screens.bonus_unavailable_screen(t))


def register(app: Application) -> None:
    # a group of its own (one handler per group runs: channel's free post is -2, broadcast's
    # draft -1); the admin check is inside, on every call
    app.add_handler(
        MessageHandler(PRIVATE & ~filters.COMMAND, material_message), group=MATERIAL_GROUP
    )
    add(
        app,
        bonus_command,
        list_button,
        series_button,
        target_button,
        language_button,
        title_typed,
        delete_button,
        bonus_button,
    )
