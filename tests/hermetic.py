"""Settings for a bot under test: the values a test gives and the defaults, nothing else.

A developer's ``CXCOACH_*`` variables and the ``.env`` in the working folder are for the bot
they run, not for the tests: ``CXCOACH_DEFAULT_LANGUAGE=uk`` once made a journey test fail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.config import Settings


class HermeticSettings(Settings):
    """:class:`Settings` read from the constructor's arguments only (no environment, no .env)."""

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: Any, init_settings: Any, **_other_sources: Any
    ) -> Any:
        return (init_settings,)


class Clock:
    """A clock the test moves: ``clock.now = ...`` (the services read ``clock()``)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
