"""Health and Prometheus metrics: ``/healthz``, ``/readyz`` and ``/metrics`` on their own port.

Enabled by ``CXCOACH_METRICS_PORT``. Each application has its own registry (several bots in
one test process never collide). What is measured:

* ``cxcoach_updates_total{kind}`` and ``cxcoach_update_seconds`` (handling latency, per update,
  queueing behind the same chat included);
* ``cxcoach_updates_dropped_total{kind}``: updates dropped because their chat already had
  too many waiting (a flood; see ``bot/updates.py``);
* ``cxcoach_messages_total{path,outcome}``: unprompted messages (drip, broadcast) by outcome
  (sent, blocked, failed);
* ``cxcoach_broadcast_recipients{broadcast,state}``: the running broadcast's progress;
* ``cxcoach_due_backlog``: slots due and not yet taken for delivery, measured before each
  batch of a drain (it stays up while the database refuses the claim);

``/healthz`` answers while the event loop runs; ``/readyz`` is 200 only while the
application runs and the database answers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "cxcoach_updates", "Updates handled, by kind", ["kind"], registry=self.registry
        )
        self.dropped = Counter(
            "cxcoach_updates_dropped",
            "Updates dropped because their chat already had too many waiting, by kind",
            ["kind"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "cxcoach_update_seconds",
            "Time to handle one update",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.messages = Counter(
            "cxcoach_messages",
            "Unprompted messages by path and outcome",
            ["path", "outcome"],
            registry=self.registry,
        )
        self.broadcast = Gauge(
            "cxcoach_broadcast_recipients",
            "Recipients of a broadcast by state",
            ["broadcast", "state"],
            registry=self.registry,
        )
        self.backlog = Gauge(
            "cxcoach_due_backlog",
            "Slots due and not yet taken for delivery",
            registry=self.registry,
        )

    async def observe_update(self, kind: str, handle: Awaitable[object]) -> None:
        started = time.perf_counter()
        try:
            await handle
        finally:
            self.updates.labels(kind).inc()
            self.latency.observe(time.perf_counter() - started)

    def export(self) -> bytes:
        return generate_latest(self.registry)


def update_kind(update: object) -> str:
    for kind in ("message", "callback_query", "edited_message", "my_chat_member", "channel_post"):
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class HealthServer:
    """A small aiohttp server for probes and scraping, beside the bot."""

    def __init__(
        self, metrics: Metrics, ready: Callable[[], Awaitable[bool]], host: str, port: int
    ) -> None:
        self.metrics, self.ready, self.host, self.port = metrics, ready, host, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._health)
        app.router.add_get("/readyz", self._ready)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0:  # a free port, bound once: what the kernel chose
            self.port = self._runner.addresses[0][1]
        log.info("health and metrics on http://%s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def _ready(self, _request: web.Request) -> web.Response:
        try:
            ok = await self.ready()
        except Exception as exc:  # the database is down, say
            log.warning("not ready: %s", exc)
            ok = False
        return web.json_response({"ready": ok}, status=200 if ok else 503)

    async def _metrics(self, _request: web.Request) -> web.Response:
        body = self.metrics.export()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
