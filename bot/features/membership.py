"""Keeps the ``blocked`` flag true: Telegram tells us when a learner blocks or unblocks."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import Application, ChatMemberHandler

from bot.context import CxContext
from bot.services import learners

GONE = {ChatMember.BANNED, ChatMember.LEFT}


async def my_chat_member(update: Update, context: CxContext) -> None:
    """In a private chat, 'kicked' means the learner blocked the bot; 'member', unblocked."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    blocked = change.new_chat_member.status in GONE
    await learners.set_blocked(context.env, change.chat.id, blocked)


def register(app: Application) -> None:
    app.add_handler(ChatMemberHandler(my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
