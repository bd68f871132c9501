"""Benchmark (not a test): the journey on 1 and 3 replicas on PostgreSQL beside 1 on SQLite,
and a broadcast shared by 3 replicas.

Replicas are real ``cxcoach run`` processes in webhook mode behind a round-robin proxy
(``standin.proxy``); the SQLite bot long-polls. Users walk the same journey as in
``bench.journey`` in a closed loop (saturation). All processes share this 2-core machine,
so three replicas compete with each other and with PostgreSQL for the same CPU: the figures
show the overhead of the shared database, not a scale-out.

    python -m bench.replicas --users 100 --recipients 100000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.journey import Run, _drive, journey_walk
from bot.app import load_catalog
from standin import BotAPIStandIn
from standin.proxy import RoundRobin, listening_socket

ROOT = str(Path(__file__).resolve().parents[1])
TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
DSN = os.environ.get("CXCOACH_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
SECRET = "bench-secret_0123456789abc"
FIRST = 200_000
TEXT = "📣 Bench broadcast."


@contextlib.asynccontextmanager
async def postgres_schema():
    import asyncpg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(DSN)
    await admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{DSN}?search_path={schema}", schema
    finally:
        await admin.execute(f"DROP SCHEMA {schema} CASCADE")
        await admin.close()


@contextlib.asynccontextmanager
async def bots(standin: BotAPIStandIn, database: str, replicas: int, rate: float = 0):
    """``replicas`` processes (webhook mode behind a proxy), or one polling process (0)."""
    processes, proxy = [], None
    base = {k: v for k, v in os.environ.items() if not k.startswith("CXCOACH_")}
    base.update(
        CXCOACH_BOT_TOKEN=TOKEN,
        CXCOACH_BOT_API_URL=standin.url,
        CXCOACH_DATABASE=database,
        CXCOACH_RATE_LIMIT="0",
        CXCOACH_BULK_RATE=str(rate),
        CXCOACH_TICK_SECONDS="0.2",
        CXCOACH_LOG_LEVEL="ERROR",
        CXCOACH_ADMIN_IDS="1",
        PYTHONPATH=ROOT,
    )
    sockets = [listening_socket() for _ in range(replicas)]  # bound here, handed over
    if replicas:
        proxy = RoundRobin([sock.getsockname()[1] for sock in sockets])
        public = await proxy.start()
    with tempfile.TemporaryDirectory() as tmp:
        for sock in sockets or [None]:
            env = dict(base)
            fds: tuple[int, ...] = ()
            if sock is not None:
                env.update(
                    CXCOACH_WEBHOOK_URL=public,
                    CXCOACH_WEBHOOK_SOCKET_FD=str(sock.fileno()),
                    CXCOACH_WEBHOOK_SECRET=SECRET,
                )
                fds = (sock.fileno(),)
            processes.append(
                await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", env=env, cwd=tmp, pass_fds=fds
                )
            )
            if sock is not None:
                sock.close()
        try:
            probe = standin.user(1, "Probe", language_code="en")
            await probe.send("/start")
            await probe.next_event(timeout=60.0, kinds=("message",))
            yield processes
        finally:
            for process in processes:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), 30)
                if process.returncode is None:
                    process.kill()
            if proxy is not None:
                await proxy.stop()


async def journey_run(name: str, database: str, replicas: int, users: int, rounds: int) -> Run:
    catalog = load_catalog()
    walk = journey_walk(catalog)
    run = Run(name)
    async with BotAPIStandIn(token=TOKEN, record_calls=False) as standin:
        async with bots(standin, database, replicas):
            people = [standin.user(10_000 + i, f"U{i}", language_code="en") for i in range(users)]

            async def walk_rounds(user) -> None:
                for _ in range(rounds):
                    await walk(run, user, 0.0)

            await _drive(run, people, walk_rounds)
    return run


async def broadcast_run(recipients: int, rate: float) -> str:
    from storage.postgres import PostgresStorage

    async with postgres_schema() as (database, schema):
        storage = PostgresStorage(DSN, schema=schema, pool_size=2)
        await storage.open()
        now = datetime.now(UTC)
        seen = now - timedelta(days=1)
        users = [(u, "U", "en", seen, seen) for u in [1, *range(FIRST, FIRST + recipients)]]
        columns = ["id", "first_name", "tg_language", "first_seen", "last_seen"]
        async with storage.pool.acquire() as con:
            await con.copy_records_to_table("users", records=users, columns=columns)
        async with BotAPIStandIn(token=TOKEN, record_calls=False) as standin:
            for uid in range(FIRST, FIRST + recipients):
                standin.user(uid, "U", language_code="en")
            source = await standin.user(1, "Admin", language_code="en").send(TEXT)
            async with bots(standin, database, 3, rate / 3):
                await storage.set_blocked(1, True, now)
                draft = await storage.create_broadcast(1, "users", 1, source.message_id, now)
                started = time.perf_counter()
                await storage.confirm_broadcast(draft.id, None, now, "en")
                for _ in range(36_000):  # up to two hours
                    if (await storage.get_broadcast(draft.id)).status == "done":
                        break
                    await asyncio.sleep(0.2)
                seconds = time.perf_counter() - started
            copies = [
                sum(1 for m in standin.chats[uid].messages.values() if m.text == TEXT)
                for uid in range(FIRST, FIRST + recipients)
            ]
        await storage.close()
    return (
        f"broadcast, 3 replicas on PostgreSQL, {rate:g}/s configured in all: {recipients} "
        f"recipients in {seconds:.1f} s = {recipients / seconds:.0f}/s; exactly once: "
        f"{copies.count(1)}, duplicates: {sum(c > 1 for c in copies)}, missed: {copies.count(0)}"
    )


async def main_async(users: int, rounds: int, recipients: int, rate: float) -> str:
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        runs.append(
            await journey_run("SQLite, 1 process", str(Path(tmp) / "b.sqlite3"), 0, users, rounds)
        )
    async with postgres_schema() as (database, _):
        runs.append(await journey_run("PostgreSQL, 1 replica", database, 1, users, rounds))
    async with postgres_schema() as (database, _):
        runs.append(await journey_run("PostgreSQL, 3 replicas", database, 3, users, rounds))
    lines = [
        f"journey, {users} users in a closed loop x {rounds} rounds (saturation)",
        f"{'setup':<28}{'updates':>9}{'seconds':>9}{'updates/s':>11}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}",
    ]
    for r in runs:
        lines.append(
            f"{r.name:<28}{r.updates:>9}{r.elapsed:>9.2f}{r.rate:>11.1f}"
            f"{r.percentile(0.5):>9.1f}{r.percentile(0.99):>9.1f}{r.errors:>8}"
        )
    lines.append(await broadcast_run(recipients, rate))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=1000.0)
    args = parser.parse_args()
    print(asyncio.run(main_async(args.users, args.rounds, args.recipients, args.rate)))


if __name__ == "__main__":
    main()
