"""/dashboard: the button that opens the dashboard (a Telegram Mini App served by
``bot/web/dashboard.py``), and the chat's menu button set to open it too.

Everyone gets it: learners see their own page; admins and team managers their views as well
(their rights are checked by the dashboard on every request, not here)."""

from __future__ import annotations

import logging

from telegram import MenuButtonWebApp, Update, WebAppInfo
from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import CxContext
from bot.features.common import Learner, show
from bot.features.handlers import add, on_command
from bot.render import dashboard as screens
from bot.services import dashboard

log = logging.getLogger(__name__)


def dashboard_url(context: CxContext) -> str | None:
    server = context.bot_data.dashboard
    url = server.url if server is not None else None
    return dashboard.openable(url, context.settings.bot_api_url)


@on_command("dashboard")
async def dashboard_command(update: Update, context: CxContext, me: Learner) -> None:
    """/dashboard: a button that opens the Mini App; the chat's menu button opens it too."""
    url = dashboard_url(context)
    found = await dashboard.entry(context.env, me.user)
    await show(update, context, screens.dashboard_screen(me.t, url, found.admin, found.manager))
    if url is None or update.effective_chat is None:
        return
    button = MenuButtonWebApp(screens.dashboard_label(me.t), WebAppInfo(url))
    try:
        await context.bot.set_chat_menu_button(update.effective_chat.id, button)
    except TelegramError as exc:  # the message's button still opens it
        log.warning("could not set the chat's menu button: %s", exc)


def register(app: Application) -> None:
    add(app, dashboard_command)
