"""Benchmark (not a test): finding who is due when 100,000 subscribers share one minute.

Builds a SQLite file with N users whose slots all fall in the same minute (each with an
active subscription), then measures through the real storage:

* ``count_due`` and the query plan (the partial index ``users_next_slot`` must be used);
* the first claim of a batch (what a tick does before the first message goes out);
* claiming everyone batch by batch (the delivery engine's whole "finding" work), with
  Python's peak traced memory and the process RSS, to show memory stays flat: no job per
  user exists anywhere, only rows.

    python -m bench.due --users 100000
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import sqlite3
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.sqlite import SQLiteStorage, to_db

SLOT = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def build(path: Path, users: int) -> None:
    storage = SQLiteStorage(path)
    await storage.open()  # the real schema, via migrations
    await storage.close()
    seen = to_db(SLOT - timedelta(days=1))
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO users (id, first_name, first_seen, last_seen, tz_chosen, timezone, "
            "next_slot_at) VALUES (?, 'U', ?, ?, 1, 'Europe/Kyiv', ?)",
            ((i, seen, seen, to_db(SLOT + timedelta(seconds=i % 60))) for i in range(1, users + 1)),
        )
        db.executemany(
            "INSERT INTO subscriptions VALUES (?, 'why-cx-fails', 'active', ?, ?)",
            ((i, seen, seen) for i in range(1, users + 1)),
        )
        db.commit()


async def measure(users: int, batch: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "due.sqlite3"
        started = time.perf_counter()
        await build(path, users)
        built = time.perf_counter() - started
        shutil.copy(path, Path(tmp) / "again.sqlite3")
        storage = SQLiteStorage(path)
        await storage.open()
        now = SLOT + timedelta(minutes=1)
        with sqlite3.connect(path) as raw:
            plan = raw.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM users WHERE next_slot_at IS NOT NULL "
                "AND next_slot_at <= ? ORDER BY next_slot_at LIMIT ?",
                (to_db(now), batch),
            ).fetchall()
        t = time.perf_counter()
        due = await storage.count_due(now)
        count_s = time.perf_counter() - t
        t = time.perf_counter()
        first = await storage.claim_due(now, batch)
        first_s = time.perf_counter() - t
        claimed = len(first)
        t = time.perf_counter()
        while claims := await storage.claim_due(now, batch):
            claimed += len(claims)
        all_s = time.perf_counter() - t + first_s
        await storage.close()
        # memory on a second copy: tracemalloc slows every allocation, so it stays out of
        # the timings above
        storage = SQLiteStorage(Path(tmp) / "again.sqlite3")
        await storage.open()
        rss_before = rss_mb()
        tracemalloc.start()
        while await storage.claim_due(now, batch):
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        await storage.close()
    lines = [
        f"{users} users due in the same minute (SQLite file built in {built:.1f} s)",
        f"query plan: {' / '.join(row[-1] for row in plan)}",
        f"count_due: {due} users in {count_s * 1000:.1f} ms",
        f"first claim of {batch}: {first_s * 1000:.1f} ms (what a tick does before sending)",
        f"claim everyone in batches of {batch}: {claimed} in {all_s:.2f} s "
        f"({claimed / all_s:,.0f} users/s)",
        f"memory: traced Python peak {peak / 1e6:.1f} MB while claiming; "
        f"process max RSS {rss_before:.0f} -> {rss_mb():.0f} MB",
        "no job per user exists: the schedule is these rows",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    print(asyncio.run(measure(args.users, args.batch)))


if __name__ == "__main__":
    main()
