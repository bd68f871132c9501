"""The typed context every handler receives: ``context.storage``, ``context.catalog``, ...

PTB builds one context per update from :class:`CxContext` (registered through
``ContextTypes``), so handlers reach their dependencies typed instead of fishing them out of
an untyped ``bot_data`` dict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from content.model import Catalog
from storage.store import Storage

if TYPE_CHECKING:
    from bot.broadcaster import BroadcastRunner
    from bot.delivery import DeliveryEngine
    from bot.metrics import Metrics
    from bot.sender import Sender


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Deps:
    """What handlers and jobs depend on; built once in :func:`bot.app.build_application`."""

    settings: Settings
    storage: Storage
    catalog: Catalog
    clock: Callable[[], datetime] = utc_now


class BotData:
    """Application-wide objects (PTB creates it with no arguments; build_application fills it)."""

    deps: Deps
    sender: Sender
    engine: DeliveryEngine
    broadcasts: BroadcastRunner
    metrics: Metrics


class CxContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """CallbackContext with typed access to our dependencies."""

    @property
    def deps(self) -> Deps:
        return self.bot_data.deps

    @property
    def storage(self) -> Storage:
        return self.bot_data.deps.storage

    @property
    def catalog(self) -> Catalog:
        return self.bot_data.deps.catalog

    @property
    def settings(self) -> Settings:
        return self.bot_data.deps.settings

    def now(self) -> datetime:
        return self.bot_data.deps.clock()


CxApplication = Application[ExtBot, CxContext, dict, dict, BotData, object]
