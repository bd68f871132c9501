"""End-to-end harness: the real PTB Application against the Bot API stand-in on loopback.

The bot's settings are hermetic (:mod:`tests.hermetic`): the values a test passes and the
defaults. By default the harness turns the rate limiter off (most tests walk many screens in
one chat, and Telegram's ~1 message/s per chat would make each take tens of seconds);
``production=True`` runs the configuration an operator gets, limiter included.

Synchronisation is by events, not by silence: :meth:`Harness.settle` returns once every update
sent so far has been handled and everything due at the clock's current time has been
delivered, so "nothing else happened" is a check of what is there, not a wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.app import build_application, load_catalog, running
from bot.services.env import Env, utc_now
from content.model import Catalog
from standin import BotAPIStandIn
from standin.users import SimUser
from storage.sqlite import SQLiteStorage
from tests.hermetic import HermeticSettings

TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
_CATALOG: Catalog | None = None


def shipped_catalog() -> Catalog:
    """The lessons we ship, loaded and checked once per test session."""
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = load_catalog()
    return _CATALOG


class FakeClock:
    """An injected clock the test moves by hand (the bot's ``context.now()`` and jobs)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return moment


class Harness:
    """A stand-in plus our bot on one SQLite file; the bot can be restarted on that file."""

    def __init__(
        self,
        standin: BotAPIStandIn,
        db_path: Path,
        catalog: Catalog | None = None,
        clock: Callable[[], datetime] = utc_now,
        storage_class: type[SQLiteStorage] = SQLiteStorage,
        production: bool = False,
        **settings: object,
    ) -> None:
        self.storage_class = storage_class  # a subclass may inject database faults
        self.clock = clock
        self.standin = standin
        self.db_path = db_path
        self.catalog = catalog or shipped_catalog()
        if not production:
            settings = {"rate_limit": 0, **settings}
        self.settings = HermeticSettings(
            bot_token=TOKEN,
            database=db_path,
            bot_api_url=standin.url,
            **settings,  # type: ignore[arg-type]
        )
        self.storage: SQLiteStorage | None = None
        self._ctx = None

    async def start(self) -> None:
        self.storage = self.storage_class(self.db_path)
        env = Env(
            settings=self.settings, storage=self.storage, catalog=self.catalog, clock=self.clock
        )
        self.app = build_application(env, request_timeout=5.0)
        self._ctx = running(self.app, poll_timeout=1)
        await self._ctx.__aenter__()

    async def stop(self) -> None:
        if self._ctx is not None:
            ctx, self._ctx = self._ctx, None
            await ctx.__aexit__(None, None, None)

    async def settle(self, within: float = 30.0) -> None:
        """Return once the bot has done everything asked of it so far: every update the users
        sent has reached it and its handler has finished, and a whole drain of due slots and
        a whole broadcast run, a whole run of the channel's planned posts and of the managers'
        digests were made after
        this call (so whatever is due at the clock's
        current time has been sent). Then a chat's unread events are all there is."""
        async with asyncio.timeout(within):
            await self.standin.updates_confirmed()  # the bot has every update sent so far
            await self.app.update_queue.join()  # ... and their handlers have returned
            await self.app.bot_data.engine.run_now()
            await self.app.bot_data.broadcasts.run_now()
            await self.app.bot_data.poster.run_now()
            await self.app.bot_data.digests.run_now()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def user(
        self, user_id: int = 1001, first_name: str = "Olena", language: str | None = "en"
    ) -> SimUser:
        return self.standin.user(user_id, first_name, language_code=language)


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[BotAPIStandIn]:
    async with BotAPIStandIn(token=TOKEN, bot_username="cxcoach_test_bot") as server:
        yield server


MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday morning, UTC


@pytest_asyncio.fixture
async def clock(request: pytest.FixtureRequest) -> FakeClock:
    """The injected clock of `h`, at the test module's ``START`` (else a Monday morning)."""
    return FakeClock(getattr(request.module, "START", MONDAY))


@pytest_asyncio.fixture
async def h(
    request: pytest.FixtureRequest, standin: BotAPIStandIn, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[Harness]:
    """A harness on the injected clock, with the test module's ``HARNESS`` settings (e.g.
    ``clocked.HARNESS``: a fast tick; ``admins.HARNESS``: an admin and a channel)."""
    settings = getattr(request.module, "HARNESS", {})
    harness = Harness(standin, tmp_path / "cx.sqlite3", clock=clock, **settings)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


@pytest_asyncio.fixture
async def harness(standin: BotAPIStandIn, tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(standin, tmp_path / "cx.sqlite3")
    await h.start()
    try:
        yield h
    finally:
        await h.stop()
