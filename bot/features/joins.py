"""Join requests to a configured channel: a greeting in a private message, then the approval
(CXCOACH_APPROVE_JOIN_REQUESTS) and the join recorded. Telegram sends ``chat_join_request``
only to a bot that is an admin of the channel (with the right to add members), for a
channel or an invite link that asks for approval."""

from __future__ import annotations

import logging

from telegram import ChatJoinRequest, Update
from telegram.error import TelegramError
from telegram.ext import Application, ChatJoinRequestHandler, ExtBot

from bot.context import CxContext
from bot.i18n import translator
from bot.render import joins as screens
from bot.services import joins

log = logging.getLogger(__name__)


class BotDoor:
    """:class:`joins.Door` over the Bot API: a failed call is a False, never an error (a
    greeting refused because the person blocks bots must not stop the approval)."""

    def __init__(self, bot: ExtBot, request: ChatJoinRequest) -> None:
        self.bot = bot
        self.request = request

    async def greet(self, greeting: joins.Greeting) -> bool:
        screen = screens.greeting_screen(
            translator(greeting.lang),
            greeting.channel_title,
            greeting.first_lesson,
            greeting.approving,
        )
        chat_id = self.request.user_chat_id or self.request.from_user.id
        try:
            await self.bot.send_message(chat_id, screen.text, reply_markup=screen.keyboard)
        except TelegramError as exc:
            log.info("could not greet a join request to %s: %s", self.request.chat.id, exc)
            return False
        return True

    async def approve(self) -> bool:
        try:
            await self.bot.approve_chat_join_request(
                self.request.chat.id, self.request.from_user.id
            )
        except TelegramError as exc:  # handled by an admin meanwhile, expired...
            log.warning("could not approve a join request to %s: %s", self.request.chat.id, exc)
            return False
        return True


async def join_request(update: Update, context: CxContext) -> None:
    """Someone asks to join a channel: greeted, then approved (if the bot approves) and
    recorded; a channel that is not configured is left alone."""
    request = update.chat_join_request
    if request is None:
        return
    link = request.invite_link
    asked = joins.JoinRequest(
        chat_id=request.chat.id,
        username=request.chat.username,
        title=request.chat.title or request.chat.username or "",
        user_id=request.from_user.id,
        tg_language=request.from_user.language_code,
        invite_link=link.invite_link if link is not None else None,
    )
    await joins.welcome(context.env, asked, BotDoor(context.bot, request))


def register(app: Application) -> None:
    app.add_handler(ChatJoinRequestHandler(join_request))
