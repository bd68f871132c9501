"""The delivery engine's drain when the database fails as it stores a failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram import Bot

from bot.app import load_catalog
from bot.delivery import DeliveryEngine
from bot.sender import Sender
from bot.services.env import Env
from bot.transport import make_request
from standin import BotAPIStandIn
from storage.sqlite import SQLiteStorage
from tests.hermetic import HermeticSettings

TOKEN = "123456:TEST-TOKEN-0123456789abcdefghij"
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)  # midday in London (guessed for "en")


class DownOnFailure(SQLiteStorage):
    """Storing a failed delivery fails too (the database went away at that moment)."""

    async def finish_delivery(self, user_id, slot_at, outcome, now):
        if outcome.status == "failed":
            raise ConnectionError("database is down")
        return await super().finish_delivery(user_id, slot_at, outcome, now)


class Broken(DeliveryEngine):
    async def deliver(self, claim):
        if claim.user.id == 1:
            raise RuntimeError("a bug in one learner's delivery")
        return await super().deliver(claim)


async def test_a_worker_goes_on_when_storing_a_failure_fails_too(tmp_path):
    storage = DownOnFailure(tmp_path / "cx.sqlite3")
    await storage.open()
    for user_id in (1, 2, 3):
        await storage.touch_user(user_id, f"U{user_id}", "en", NOW - timedelta(days=1))
        await storage.set_subscription(user_id, "prejudices", "active", NOW - timedelta(days=1))
        await storage.schedule(user_id, NOW - timedelta(seconds=user_id))  # 1 first
    env = Env(HermeticSettings(), storage, load_catalog(), lambda: NOW)
    async with BotAPIStandIn(token=TOKEN) as standin:
        for user_id in (1, 2, 3):
            standin.user(user_id, f"U{user_id}", language_code="en")
        request = make_request("aiohttp", pool_size=4, timeout=0.5, for_updates=False)
        async with Bot(TOKEN, base_url=f"{standin.url}/bot", request=request) as bot:
            engine = Broken(env, Sender(bot, storage, lambda: NOW, rate=0), workers=1)
            stats = await engine.drain()
    assert stats.claimed == 3 and stats.sent == 2 and stats.failed == 1
    assert [len(standin.user(i).transcript()) for i in (1, 2, 3)] == [0, 1, 1]
    await storage.close()


class SettingsDuringTheSend(SQLiteStorage):
    """The learner moves their lesson time to 18:00 while their 12:00 slot is being sent (the
    settings screen runs beside the drain: it stores the preference and a slot of its own)."""

    async def mark_delivery_sending(self, user_id, slot_at, claimed_at, now):
        sending = await super().mark_delivery_sending(user_id, slot_at, claimed_at, now)
        await self.set_prefs(user_id, now + timedelta(hours=6), delivery_time=18 * 60)
        return sending


async def test_preferences_changed_during_the_send_plan_the_next_slot(tmp_path):
    storage = SettingsDuringTheSend(tmp_path / "cx.sqlite3")
    await storage.open()
    await storage.touch_user(1, "U1", "en", NOW - timedelta(days=1))
    await storage.set_subscription(1, "prejudices", "active", NOW - timedelta(days=1))
    await storage.set_prefs(1, NOW, timezone="Europe/London", delivery_time=12 * 60)
    env = Env(HermeticSettings(), storage, load_catalog(), lambda: NOW)
    async with BotAPIStandIn(token=TOKEN) as standin:
        standin.user(1, "U1", language_code="en")
        request = make_request("aiohttp", pool_size=4, timeout=0.5, for_updates=False)
        async with Bot(TOKEN, base_url=f"{standin.url}/bot", request=request) as bot:
            stats = await DeliveryEngine(env, Sender(bot, storage, lambda: NOW, rate=0)).drain()
    assert stats.sent == 1
    user = await storage.get_user(1)
    # tomorrow at the new time (today's lesson went out: never two on one day), not at 12:00
    assert user.delivery_time == 18 * 60
    assert user.next_slot_at == datetime(2026, 11, 25, 18, tzinfo=UTC)
    await storage.close()
