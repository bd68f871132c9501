"""The typed context every handler receives: ``context.env`` (for its service call),
``context.catalog``, ``context.settings``, ``context.now()``.

PTB builds one context per update from :class:`CxContext` (registered through
``ContextTypes``), so handlers reach their dependencies typed instead of fishing them out of
an untyped ``bot_data`` dict.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.services.env import Env
from content.model import Catalog

if TYPE_CHECKING:
    from bot.broadcaster import BroadcastRunner
    from bot.delivery import DeliveryEngine
    from bot.digester import DigestRunner
    from bot.metrics import Metrics
    from bot.poster import ChannelPoster
    from bot.sender import Sender
    from bot.web.dashboard import DashboardServer


class BotData:
    """Application-wide objects (PTB creates it with no arguments; build_application fills it)."""

    env: Env
    sender: Sender
    engine: DeliveryEngine
    broadcasts: BroadcastRunner
    poster: ChannelPoster
    digests: DigestRunner
    metrics: Metrics
    dashboard: DashboardServer | None  # the Mini App's server (CXCOACH_DASHBOARD_PORT)

    def __init__(self) -> None:
        self.dashboard = None
        # typed-input kind (users.awaiting) -> the feature function that reads it
        self.typed: dict[str, Callable[..., Awaitable[None]]] = {}


class CxContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """CallbackContext with typed access to our dependencies."""

    @property
    def env(self) -> Env:
        """What the one service call of a handler works with (storage included: handlers
        never reach storage themselves)."""
        return self.bot_data.env

    @property
    def catalog(self) -> Catalog:
        return self.bot_data.env.catalog

    @property
    def settings(self) -> Settings:
        return self.bot_data.env.settings

    def now(self) -> datetime:
        return self.bot_data.env.clock()


CxApplication = Application[ExtBot, CxContext, dict, dict, BotData, object]
