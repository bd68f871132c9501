"""One chat floods the bot; every other learner is served as fast as usual.

The real PTB Application against the stand-in: chat 4000 sends 1,000 messages at once while
other learners do /start and open a lesson. Their latency stays within 2x of what it is without
the flood (measured in the same test), and the flooding chat's backlog is bounded: what it sent
first is answered, the rest is dropped and counted (``cxcoach_updates_dropped_total``).
"""

from __future__ import annotations

import logging
import os
import statistics
import time

from bot.updates import MAX_WAITING_PER_CHAT
from tests.e2e.conftest import Harness

FLOOD = 1000


async def timed(samples: list[float], step) -> object:
    started = time.perf_counter()
    result = await step
    samples.append(time.perf_counter() - started)
    return result


async def learner_session(h: Harness, user_id: int, samples: list[float]) -> None:
    """/start, the lesson list, a series, its first lesson: each round trip timed."""
    user = h.user(user_id, "Olena", "en")
    series = h.catalog.series_list("en")[0]
    await user.send("/start")
    await timed(samples, user.next_message())
    await user.send("/lessons")
    listing = await timed(samples, user.next_message())
    await user.press(listing, data=f"s:{series.id}:0")
    page = await timed(samples, user.next_edit())
    await user.press(page, data=f"l:{series.lessons[0].id}")
    lesson = await timed(samples, user.next_message())
    assert lesson.text.startswith(series.lessons[0].title)


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def append(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def dropped(h: Harness) -> float:
    metrics = h.app.update_processor.metrics
    value = metrics.registry.get_sample_value("cxcoach_updates_dropped_total", {"kind": "message"})
    return value or 0.0


async def test_a_flooding_chat_does_not_slow_down_other_learners(harness, caplog):
    h = harness
    await learner_session(h, 3000, [])  # warm-up: imports, caches, the first SQLite pages
    normal: list[float] = []
    for user_id in range(3001, 3004):
        await learner_session(h, user_id, normal)

    flooder = h.user(4000, "Bot", "en")
    await flooder.send("/help")
    await flooder.next_message()
    caplog.set_level(logging.WARNING, logger="bot.updates")
    started = time.perf_counter()
    for _ in range(FLOOD):
        await flooder.send("/help")
    # Telegram hands updates out in order, 100 per getUpdates: the learners' updates can reach
    # the bot only after the flood's. That transport cost is reported; the latency compared is
    # the bot's own, with the flooding chat's backlog still waiting in the processor.
    await h.standin.updates_confirmed()
    ingested = time.perf_counter() - started
    assert h.app.update_processor.waiting(flooder.chat_id) > 0
    flooded: list[float] = []
    for user_id in range(3004, 3007):
        await learner_session(h, user_id, flooded)

    # the flooding chat: its first updates answered in turn, the rest dropped and counted
    answered = 0
    while answered + dropped(h) < FLOOD:
        await flooder.next_message()
        answered += 1
    await h.settle()
    flooder.assert_no_event()
    assert answered + dropped(h) == FLOOD
    assert MAX_WAITING_PER_CHAT < answered < FLOOD / 2
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.updates"]
    assert any("dropping newer ones" in w for w in warnings)
    assert any(f"{int(dropped(h))} updates dropped" in w for w in warnings)
    # the flood is over: the chat is served again
    await flooder.send("/help")
    await flooder.next_message()

    report = (
        f"normal p50 {p(normal, 0.5) * 1000:.1f} ms p99 {p(normal, 0.99) * 1000:.1f} ms; "
        f"flood p50 {p(flooded, 0.5) * 1000:.1f} ms p99 {p(flooded, 0.99) * 1000:.1f} ms; "
        f"flooder answered {answered}, dropped {int(dropped(h))}; "
        f"{FLOOD} updates handed to the bot in {ingested * 1000:.0f} ms"
    )
    if path := os.environ.get("CXCOACH_FLOOD_REPORT"):  # for the measurements in the log
        append(path, report)
    assert statistics.median(flooded) <= 2 * statistics.median(normal), report
    # the slowest round trip too; 5 ms for a timer or GC hiccup on a busy machine (without the
    # fix, the first one waits behind the flood: hundreds of milliseconds here, seconds in use)
    assert p(flooded, 0.99) <= 2 * p(normal, 0.99) + 0.005, report
