"""Benchmark (not a test): a broadcast to N recipients through the stand-in.

The bot runs as its own process (``python -m bot run``) with the broadcast rate set to
1,000/s; the stand-in and the N simulated recipients live in this process, and every
number below is counted from the stand-in's transcripts. Three runs:

1. clean: the achieved rate against the configured one (goal: at least 90%);
2. faults: 10% of copyMessage calls fail (9% 5xx, 1% 429 with retry_after=1 s, which pauses
   all sends) — every recipient must get exactly one copy;
3. kill: the bot is stopped at 50% (SIGTERM, as ``kill`` and systemd do) and started again on
   the same database — the broadcast completes with no duplicates and no one missed. A fourth
   run does the same with SIGKILL and reports what a hard kill can leave unconfirmed.

    python -m bench.broadcast --recipients 100000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from standin import BotAPIStandIn
from storage.sqlite import SQLiteStorage, to_db

ROOT = str(Path(__file__).resolve().parents[1])
TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
ADMIN = 1
FIRST = 100_000
TEXT = "📣 A new series is out: Outside-in, not inside-out."


@dataclass
class Outcome:
    name: str
    recipients: int
    seconds: float
    copies: Counter[int]
    statuses: dict[str, int]

    @property
    def exactly_once(self) -> int:
        return sum(1 for uid in self._ids() if self.copies[uid] == 1)

    @property
    def duplicates(self) -> int:
        return sum(1 for uid in self._ids() if self.copies[uid] > 1)

    @property
    def missed(self) -> int:
        return sum(1 for uid in self._ids() if self.copies[uid] == 0)

    def _ids(self) -> range:
        return range(FIRST, FIRST + self.recipients)


async def prepare(db_path: Path, recipients: int) -> None:
    storage = SQLiteStorage(db_path)
    await storage.open()  # the schema, by the migrations
    await storage.close()
    seen = to_db(datetime.now(UTC))
    with sqlite3.connect(db_path) as db:
        db.executemany(
            "INSERT INTO users (id, first_name, tg_language, first_seen, last_seen) "
            "VALUES (?, 'U', 'en', ?, ?)",
            [(ADMIN, seen, seen)] + [(FIRST + i, seen, seen) for i in range(recipients)],
        )


async def queue_broadcast(db_path: Path, standin: BotAPIStandIn) -> None:
    """What /broadcast + "Send now" store: a confirmed broadcast to everyone but the admin."""
    admin = standin.user(ADMIN, "Admin", language_code="en")
    source = await admin.send(TEXT)
    storage = SQLiteStorage(db_path)
    await storage.open()
    now = datetime.now(UTC)
    draft = await storage.create_broadcast(ADMIN, "users", ADMIN, source.message_id, now)
    await storage.set_blocked(ADMIN, True, now)  # keep the admin out of the count
    await storage.confirm_broadcast(draft.id, None, now, "en")
    await storage.set_blocked(ADMIN, False, now)
    await storage.close()


@contextlib.asynccontextmanager
async def bot(db_path: Path, standin: BotAPIStandIn, rate: float):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXCOACH_")}
    env.update(
        CXCOACH_BOT_TOKEN=TOKEN,
        CXCOACH_BOT_API_URL=standin.url,
        CXCOACH_DATABASE=str(db_path),
        CXCOACH_RATE_LIMIT="0",
        CXCOACH_BULK_RATE=str(rate),
        CXCOACH_TICK_SECONDS="0.2",
        CXCOACH_LOG_LEVEL="ERROR",
        CXCOACH_ADMIN_IDS=str(ADMIN),
        PYTHONPATH=ROOT,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=str(db_path.parent)
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 30)
        if process.returncode is None:
            process.kill()
            await process.wait()


def delivered(standin: BotAPIStandIn, recipients: int) -> Counter[int]:
    copies: Counter[int] = Counter()
    for uid in range(FIRST, FIRST + recipients):
        chat = standin.chats.get(uid)
        if chat is not None:
            copies[uid] = sum(1 for m in chat.messages.values() if m.from_bot and m.text == TEXT)
    return copies


def statuses(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT status, COUNT(*) FROM broadcast_recipients GROUP BY status"
        ).fetchall()
    return dict(rows)


def finished(db_path: Path) -> bool:
    with sqlite3.connect(db_path) as db:
        row = db.execute("SELECT status FROM broadcasts ORDER BY id DESC LIMIT 1").fetchone()
    return bool(row and row[0] in ("done", "cancelled"))


async def wait_until(check, within: float) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the broadcast did not finish in time")
        await asyncio.sleep(0.1)


async def run(
    name: str,
    recipients: int,
    rate: float,
    *,
    faults: float = 0.0,
    kill: signal.Signals | None = None,
) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        await prepare(db_path, recipients)
        async with BotAPIStandIn(token=TOKEN, record_calls=False) as standin:
            for i in range(recipients):
                standin.user(FIRST + i, "U", language_code="en")
            if faults:
                # Nine tenths 5xx, one tenth 429 with Telegram's smallest retry_after (1 s),
                # which pauses every send, as a real flood wait must.
                standin.faults.add(
                    "copyMessage",
                    kind="server_error",
                    probability=faults * 0.9,
                    times=None,
                    seed=1,
                )
                standin.faults.add(
                    "copyMessage",
                    kind="retry_after",
                    retry_after=1,
                    probability=faults * 0.1,
                    times=None,
                    seed=2,
                )
            await queue_broadcast(db_path, standin)
            timeout = recipients / rate * 4 + recipients * faults * 0.2 + 60
            started = time.perf_counter()
            async with bot(db_path, standin, rate) as process:
                if kill is None:
                    await wait_until(lambda: finished(db_path), timeout)
                else:
                    await wait_until(
                        lambda: standin.call_counts["copymessage"] >= recipients // 2, timeout
                    )
                    process.send_signal(kill)
                    await process.wait()
            if kill is not None:
                async with bot(db_path, standin, rate):
                    await wait_until(lambda: finished(db_path), timeout)
            seconds = time.perf_counter() - started
            return Outcome(
                name, recipients, seconds, delivered(standin, recipients), statuses(db_path)
            )


async def main_async(recipients: int, rate: float, fault_recipients: int) -> str:
    outcomes = [await run("clean", recipients, rate)]
    outcomes.append(await run("10% faults (5xx, 429)", fault_recipients, rate, faults=0.10))
    outcomes.append(await run("SIGTERM at 50%, restart", recipients, rate, kill=signal.SIGTERM))
    outcomes.append(await run("SIGKILL at 50%, restart", recipients, rate, kill=signal.SIGKILL))
    lines = [
        f"broadcast rate configured: {rate:g}/s; counted from the stand-in's transcripts",
        f"{'run':<26}{'recipients':>11}{'seconds':>9}{'rate/s':>9}{'once':>9}{'dup':>6}"
        f"{'missed':>8}  recipient states in the DB",
    ]
    for o in outcomes:
        lines.append(
            f"{o.name:<26}{o.recipients:>11}{o.seconds:>9.1f}{o.recipients / o.seconds:>9.0f}"
            f"{o.exactly_once:>9}{o.duplicates:>6}{o.missed:>8}  {o.statuses}"
        )
    clean = outcomes[0]
    lines.append(
        f"clean run: {100 * clean.recipients / clean.seconds / rate:.0f}% of the configured rate "
        "(goal >= 90%; the time includes the bot's start-up)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--fault-recipients", type=int, default=10_000)
    args = parser.parse_args()
    print(asyncio.run(main_async(args.recipients, args.rate, args.fault_recipients)))


if __name__ == "__main__":
    main()
