"""Benchmark (not a test): CX Coach's journey throughput and latency beside a bare PTB echo bot.

Each bot runs as its own process (ours is the real ``python -m bot run``), talking over
loopback HTTP to the Bot API stand-in, which runs here with the simulated users. Two phases
per bot:

* saturation: N users walk at once in a closed loop (each waits for the reply, then acts
  again at once) -> the most updates/s the bot sustains;
* steady load: N users with a think time of ~1 s between steps (a busy but realistic
  audience) -> handling latency p50/p99 at that load.

A CX Coach journey is /start, the series list, a series, a lesson, its quiz (every question)
and /progress. Latency runs from the moment an update is queued at the stand-in to the bot's
last visible reply to it (e.g. the next quiz question), so it covers long polling, PTB, our
handlers, SQLite and the HTTP calls back. The echo bot gets as many text updates per user.

    python -m bench.journey --users 200
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.broadcast import FIRST, prepare, queue_broadcast
from bot.app import load_catalog
from bot.transport import HTTP_CLIENTS
from content.model import Catalog
from standin import BotAPIStandIn
from standin.users import SimUser

ROOT = str(Path(__file__).resolve().parents[1])
TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


@dataclass
class Run:
    name: str
    latencies: list[float] = field(default_factory=list)
    updates: int = 0
    elapsed: float = 0.0
    errors: int = 0
    cpu_seconds: float = 0.0  # the bot process's user + system CPU time while driven
    api_calls: int = 0  # Bot API calls the bot made while driven, getUpdates excluded

    @property
    def cpu_ms_per_update(self) -> float:
        return 1000 * self.cpu_seconds / self.updates if self.updates else float("nan")

    @property
    def calls_per_update(self) -> float:
        return self.api_calls / self.updates if self.updates else float("nan")

    @property
    def rate(self) -> float:
        return self.updates / self.elapsed if self.elapsed else 0.0

    def percentile(self, q: float) -> float:
        data = sorted(self.latencies)
        if not data:
            return float("nan")
        index = min(len(data) - 1, max(0, round(q * (len(data) - 1))))
        return data[index] * 1000


async def _step(
    run: Run,
    user: SimUser,
    act: Callable[[], Awaitable[object]],
    want: tuple[str, ...],
    think: float = 0.0,
) -> object:
    """Do one user action, wait for the bot's final reply of kind ``want``, note its latency."""
    started = time.perf_counter()
    await act()
    event = await user.next_event(timeout=60.0, kinds=want)
    run.updates += 1
    run.latencies.append(event.at - (event.update_created_at or started))
    await _think(think)
    return event.message


def journey_walk(catalog: Catalog) -> Callable[[Run, SimUser, float], Awaitable[None]]:
    async def walk(run: Run, user: SimUser, think: float) -> None:
        await journey(run, user, catalog, think)

    return walk


async def journey(run: Run, user: SimUser, catalog: Catalog, think: float = 0.0) -> None:
    series = catalog.series_list("en")[0]
    lesson = series.lessons[0]
    await _think(think)
    msg = await _step(run, user, lambda: user.send("/start"), ("message",), think)
    await _step(run, user, lambda: user.press_raw(msg, "ser:0"), ("edit",), think)
    await _step(run, user, lambda: user.press_raw(msg, f"s:{series.id}:0"), ("edit",), think)
    shown = await _step(
        run, user, lambda: user.press_raw(msg, f"l:{lesson.id}"), ("message",), think
    )
    asked = await _step(
        run, user, lambda: user.press_raw(shown, f"qs:{lesson.id}"), ("message",), think
    )
    for index in range(len(lesson.quiz)):
        data = asked.buttons[index % len(asked.buttons)][1]
        asked = await _step(
            run, user, lambda d=data, m=asked: user.press_raw(m, d), ("message",), think
        )
    await _step(run, user, lambda: user.send("/progress"), ("message",), think)


def journey_length(catalog: Catalog) -> int:
    return 6 + len(catalog.series_list("en")[0].lessons[0].quiz)


def echo_walk(steps: int) -> Callable[[Run, SimUser, float], Awaitable[None]]:
    async def walk(run: Run, user: SimUser, think: float) -> None:
        await _think(think)
        for i in range(steps):
            await _step(run, user, lambda i=i: user.send(f"hello {i}"), ("message",), think)

    return walk


async def _drive(run: Run, users: list[SimUser], walk: Callable[[SimUser], Awaitable[None]]):
    started = time.perf_counter()
    results = await asyncio.gather(*(walk(u) for u in users), return_exceptions=True)
    run.elapsed = time.perf_counter() - started
    run.errors = sum(1 for r in results if isinstance(r, BaseException))
    for r in results:
        if isinstance(r, BaseException):
            logging.getLogger("bench").error("a user failed: %r", r)
            break


@contextlib.asynccontextmanager
async def bot_process(
    module: str,
    args: list[str],
    standin: BotAPIStandIn,
    http_client: str,
    *,
    settings: dict[str, str] | None = None,
    database: Path | None = None,
) -> AsyncIterator[int]:
    """Run a bot as a child process against the stand-in; stop it with SIGINT afterwards.

    Without ``settings`` the rate limiter is off (CXCOACH_RATE_LIMIT=0); ``settings`` replace
    or add CXCOACH_* variables (an empty value removes one: the bot's default applies)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CXCOACH_")}
        env.update(
            CXCOACH_BOT_TOKEN=TOKEN,
            CXCOACH_BOT_API_URL=standin.url,
            CXCOACH_DATABASE=str(database or Path(tmp) / "bench.sqlite3"),
            CXCOACH_RATE_LIMIT="0",
            CXCOACH_LOG_LEVEL="WARNING",
            CXCOACH_HTTP_CLIENT=http_client,
            PYTHONPATH=ROOT,
        )
        for key, value in (settings or {}).items():
            if value:
                env[key] = value
            else:
                env.pop(key, None)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", module, *args, env=env, cwd=tmp
        )
        try:
            probe = standin.user(1, "Probe", language_code="en")
            await probe.send("/start")
            await probe.next_event(timeout=60.0, kinds=("message",))
            yield process.pid
        finally:
            process.send_signal(2)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 20)
            if process.returncode is None:
                process.kill()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def api_calls(standin: BotAPIStandIn) -> int:
    return sum(n for method, n in standin.call_counts.items() if method != "getupdates")


async def _think(think: float) -> None:
    if think:
        await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))


async def measure(
    name: str,
    module: str,
    args: list[str],
    walk: Callable[[Run, SimUser, float], Awaitable[None]],
    n_users: int,
    think: float,
    rounds: int,
    http_client: str,
) -> Run:
    run = Run(f"{name} [{http_client}]")
    async with BotAPIStandIn(token=TOKEN, record_calls=False) as standin:
        async with bot_process(module, args, standin, http_client) as pid:
            base = 100_000 if think else 10_000
            users = [standin.user(base + i, f"U{i}", language_code="en") for i in range(n_users)]

            async def walk_rounds(user: SimUser) -> None:
                for _ in range(rounds):
                    await walk(run, user, think)

            cpu_before, calls_before = cpu_seconds(pid), api_calls(standin)
            await _drive(run, users, walk_rounds)
            run.cpu_seconds = cpu_seconds(pid) - cpu_before
            run.api_calls = api_calls(standin) - calls_before
    return run


# ---------------------------------------------------------------- the default configuration

#: What an operator runs: the rate limiter on, CXCOACH_RATE_LIMIT and CXCOACH_BULK_RATE unset
#: (their defaults, 30/s and 25/s).
DEFAULTS = {"CXCOACH_RATE_LIMIT": "", "CXCOACH_BULK_RATE": "", "CXCOACH_TICK_SECONDS": "0.5"}
BULK_RATE = 25.0  # CXCOACH_BULK_RATE's default, for sizing the broadcast
LEARNER_BASE = 500_000  # learners' ids; broadcast recipients are bench.broadcast's (100,000+)
REPLIES = ("sendmessage", "editmessagetext", "editmessagereplymarkup", "sendphoto")


@dataclass
class Limited:
    """One cell of the default-configuration phase, with what the stand-in saw per second."""

    run: Run
    target: float  # updates/s asked for
    broadcast: bool
    peak_calls: int = 0  # most chat-bound calls (sends, edits, copies) in one second
    peak_bulk: int = 0  # most broadcast copies (copyMessage) in one second
    peak_chat: int = 0  # most calls to one learner's chat in one second
    bulk_sent: int = 0
    in_window: int = 0  # updates answered during the cell's ``seconds``
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.in_window / self.seconds if self.seconds else 0.0


def _peaks(calls: list, since: float) -> tuple[int, int, int, int]:
    overall: Counter[int] = Counter()
    bulk: Counter[int] = Counter()
    chat: Counter[tuple[int, int]] = Counter()
    for call in calls:
        if call.at < since:
            continue
        method = call.method.lower()
        second = int(call.at - since)
        if method == "copymessage":
            bulk[second] += 1
            overall[second] += 1
        elif method in REPLIES:
            overall[second] += 1
            chat[(second, int(call.params.get("chat_id", 0)))] += 1
    return (
        max(overall.values(), default=0),
        max(bulk.values(), default=0),
        max(chat.values(), default=0),
        sum(bulk.values()),
    )


async def measure_limited(
    catalog: Catalog, n_users: int, target: float, broadcast: bool, seconds: float, http: str
) -> Limited:
    """``n_users`` learners walk journeys for ``seconds``, together pressing ~``target``/s."""
    label = f"default config, {target:g}/s" + (" + broadcast" if broadcast else "")
    cell = Limited(Run(f"{label} [{http}]"), target, broadcast)
    think = n_users / target  # each learner's mean pause between steps
    settings = dict(DEFAULTS)
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        recipients = int(BULK_RATE * (seconds + 30)) if broadcast else 0
        await prepare(database, recipients)
        if broadcast:
            settings["CXCOACH_ADMIN_IDS"] = "1"
        async with BotAPIStandIn(token=TOKEN, record_calls=True) as standin:
            for i in range(recipients):
                standin.user(FIRST + i, "U", language_code="en")
            if broadcast:
                await queue_broadcast(database, standin)
            async with bot_process(
                "bot", ["run"], standin, http, settings=settings, database=database
            ):
                if broadcast:  # let the broadcast get going first
                    deadline = time.monotonic() + 30
                    while standin.call_counts["copymessage"] < BULK_RATE:
                        if time.monotonic() > deadline:
                            raise TimeoutError("the broadcast did not start")
                        await asyncio.sleep(0.1)
                users = [
                    standin.user(LEARNER_BASE + i, f"L{i}", language_code="en")
                    for i in range(n_users)
                ]
                stop = time.perf_counter() + seconds
                since = time.perf_counter()

                async def walk(user: SimUser) -> None:
                    while time.perf_counter() < stop:
                        await journey(cell.run, user, catalog, think)

                async def window() -> None:
                    await asyncio.sleep(seconds)
                    cell.in_window, cell.seconds = cell.run.updates, seconds

                timer = asyncio.create_task(window())
                await _drive(cell.run, users, walk)
                await timer
                peaks = _peaks(standin.calls, since)
                cell.peak_calls, cell.peak_bulk, cell.peak_chat, cell.bulk_sent = peaks
    return cell


def report_limited(cells: list[Limited], n_users: int) -> str:
    lines = [
        f"{n_users} learners, default configuration (rate limiter on, CXCOACH_RATE_LIMIT=30, "
        "CXCOACH_BULK_RATE=25); peaks = most calls the stand-in saw in one second",
        f"{'phase':<46}{'updates':>8}{'upd/s':>7}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}"
        f"{'calls/s':>8}{'bulk/s':>7}{'chat/s':>7}{'copies':>7}",
    ]
    for c in cells:
        r = c.run
        lines.append(
            f"{r.name:<46}{r.updates:>8}{c.rate:>7.1f}{r.percentile(0.5):>9.1f}"
            f"{r.percentile(0.99):>9.1f}{r.errors:>7}{c.peak_calls:>8}{c.peak_bulk:>7}"
            f"{c.peak_chat:>7}{c.bulk_sent:>7}"
        )
    worst50 = max(c.run.percentile(0.5) for c in cells)
    worst99 = max(c.run.percentile(0.99) for c in cells)
    lines.append(
        f"worst cell: p50 {worst50:.1f} ms (goal < 100), p99 {worst99:.1f} ms (goal < 500)"
    )
    return "\n".join(lines)


async def limited_async(n_users: int, seconds: float, http: str) -> str:
    catalog = load_catalog()
    cells = [
        await measure_limited(catalog, n_users, target, broadcast, seconds, http)
        for broadcast in (False, True)
        for target in (30.0, 60.0)
    ]
    return report_limited(cells, n_users)


def report(runs: list[Run], n_users: int, think: float) -> str:
    lines = [
        f"{n_users} users; saturation = closed loop, steady = ~{think:g} s think time per step;"
        " latency = update queued -> bot's last reply",
        f"{'bot / phase':<40}{'updates':>9}{'seconds':>9}{'updates/s':>11}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'CPU ms/upd':>12}{'calls/upd':>11}{'errors':>8}",
    ]
    for r in runs:
        lines.append(
            f"{r.name:<40}{r.updates:>9}{r.elapsed:>9.2f}{r.rate:>11.1f}"
            f"{r.percentile(0.5):>9.1f}{r.percentile(0.99):>9.1f}"
            f"{r.cpu_ms_per_update:>12.2f}{r.calls_per_update:>11.2f}{r.errors:>8}"
        )
    ours, echo, ours_steady, echo_steady = runs
    if echo.rate:
        lines.append(
            f"CX Coach saturation throughput = {100 * ours.rate / echo.rate:.0f}% of the echo "
            f"bot's (goal >= 60%); CX Coach p99 at steady load = "
            f"{ours_steady.percentile(0.99):.1f} ms (goal < 50 ms; echo: "
            f"{echo_steady.percentile(0.99):.1f} ms)"
        )
    return "\n".join(lines)


async def main_async(
    n_users: int, think: float, rounds: int, ours_http: str, echo_http: str
) -> str:
    catalog = load_catalog()
    steps = journey_length(catalog)
    ours, echo = journey_walk(catalog), echo_walk(steps)
    bot, echo_bot = ("bot", ["run"]), ("bench.echo_bot", [])
    runs = [
        await measure("CX Coach, saturation", *bot, ours, n_users, 0.0, rounds, ours_http),
        await measure("echo bot, saturation", *echo_bot, echo, n_users, 0.0, rounds, echo_http),
        await measure("CX Coach, steady load", *bot, ours, n_users, think, 1, ours_http),
        await measure("echo bot, steady load", *echo_bot, echo, n_users, think, 1, echo_http),
    ]
    return report(runs, n_users, think)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200, help="simulated users at once")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between steps")
    parser.add_argument(
        "--rounds", type=int, default=3, help="journeys each user walks in the saturation phase"
    )
    parser.add_argument(
        "--http", choices=HTTP_CLIENTS, default="aiohttp", help="CX Coach's HTTP client"
    )
    parser.add_argument(
        "--echo-http",
        choices=HTTP_CLIENTS,
        default="httpx",
        help="the echo bot's HTTP client (httpx = PTB's default: the framework's floor)",
    )
    parser.add_argument(
        "--limited",
        action="store_true",
        help="only the default-configuration phase (rate limiter on; 50 learners by default)",
    )
    parser.add_argument(
        "--seconds", type=float, default=20.0, help="length of each default-configuration cell"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.limited:
        users = args.users if args.users != 200 else 50
        print(asyncio.run(limited_async(users, args.seconds, args.http)))
        return
    report = main_async(args.users, args.think, args.rounds, args.http, args.echo_http)
    print(asyncio.run(report))


if __name__ == "__main__":
    main()
