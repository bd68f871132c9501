"""Benchmark (not a test): the dashboard's answers over loopback HTTP, with N learners.

Builds a SQLite file with N learners (each with a subscription, a lesson opened, a quiz
answered, a rating and an activity day; every 5 of them a team with an assignment), serves
the dashboard as the bot does (``DashboardServer``), and times signed requests the way the
page makes them (``Authorization: tma <initData>``): the admin's page with the default
filters, a language filter, a manager's team page, a learner's own page.

    python -m bench.dashboard --learners 5000
Goal: the admin's page under 1 s at 5,000 learners on one core (it is opened, not polled).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiohttp

from bot.app import load_catalog
from bot.services.dashboard import sign_init_data
from bot.services.env import Env
from bot.web.dashboard import DashboardServer
from storage.sqlite import SQLiteStorage
from tests.hermetic import HermeticSettings

TOKEN = "123456:BENCH-TOKEN-0123456789abcdefghij"
ADMIN = 1
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


async def seed(storage: SQLiteStorage, learners: int) -> int:
    """The learners; returns a team managed by learner 2."""
    team_id = 0
    for user in range(1, learners + 1):
        when = NOW - timedelta(days=user % 30)
        await storage.touch_user(user, f"L{user}", ("en", "ru", "uk")[user % 3], when)
        await storage.set_subscription(user, "why-cx-fails", "active", when)
        attempt = await storage.start_attempt(user, "complacency", 1, when)
        await storage.record_answer(attempt.id, user, 0, 0, user % 4 != 0, when)
        await storage.mark_completed(user, "complacency", when)
        await storage.rate_lesson(user, "complacency", attempt.id, 1 + user % 5, when)
        await storage.add_activity(user, when.date())
        if user % 5 == 2:
            team = await storage.create_team(user, f"T{user}", f"c{user:09d}", when)
            team_id = team_id or team.id
            for member in range(user + 1, min(user + 5, learners + 1)):
                await storage.touch_user(member, f"L{member}", "en", when)
                await storage.join_team(team.id, member, when)
            await storage.assign(team.id, "why-cx-fails", date(2026, 12, 7), user, when)
    return team_id


def init_data(user: int, now: datetime) -> str:
    fields = {
        "user": f'{{"id":{user},"first_name":"U","language_code":"en"}}',
        "auth_date": str(int(now.timestamp())),
    }
    return sign_init_data(fields, TOKEN)


async def timed(session: aiohttp.ClientSession, url: str, user: int, n: int) -> list[float]:
    times = []
    headers = {"Authorization": f"tma {init_data(user, NOW)}"}
    for _ in range(n):
        started = time.perf_counter()
        async with session.get(url, headers=headers) as response:
            await response.read()
            assert response.status == 200, (url, response.status)
        times.append(time.perf_counter() - started)
    return times


async def main(learners: int, repeat: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="cx-bench-dashboard-"))
    storage = SQLiteStorage(folder / "bench.sqlite3")
    await storage.open()
    began = time.perf_counter()
    team_id = await seed(storage, learners)
    print(f"seeded {learners:,} learners in {time.perf_counter() - began:.1f} s")
    settings = HermeticSettings(bot_token=TOKEN, admin_ids=str(ADMIN), dashboard_port=0)
    env = Env(settings, storage, load_catalog(), lambda: NOW)
    server = DashboardServer(env, "127.0.0.1", 0)
    await server.start()
    base = server.url
    cases = [
        ("admin page (last 30 days)", "api/admin", ADMIN),
        ("admin page (uk learners, one series)", "api/admin?language=uk&series=why-cx-fails",
         ADMIN),
        ("manager's team page", f"api/team/{team_id}", 2),
        ("learner's own page", "api/me", 3),
    ]  # fmt: skip
    async with aiohttp.ClientSession() as session:
        for name, path, user in cases:
            times = await timed(session, base + path, user, repeat)
            print(
                f"{name:40s} median {statistics.median(times) * 1000:7.1f} ms, "
                f"max {max(times) * 1000:7.1f} ms ({repeat} requests)"
            )
    await server.stop()
    await storage.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.learners, args.repeat))
