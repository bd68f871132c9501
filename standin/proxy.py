"""A round-robin HTTP fan-out: the stand-in's webhook to several replicas, as a load balancer.

Used by the replica tests and benchmarks: each POST goes to the next replica; a replica that
refuses the connection (down) is skipped, but a POST that may have reached a replica is never
sent to a second one (as nginx does for non-idempotent requests).
"""

from __future__ import annotations

import itertools
import socket

import aiohttp
from aiohttp import web


def listening_socket(host: str = "127.0.0.1") -> socket.socket:
    """A TCP socket bound to a free port and listening, to hand to a child process
    (``pass_fds`` and ``CXCOACH_WEBHOOK_SOCKET_FD``): the port is bound once, by us, so no
    other process can take it between choosing it and using it. Connections wait in its
    backlog until the child serves them."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class RoundRobin:
    """A load balancer: each POST goes to the next live replica. It listens on a port of its
    own choosing (see :attr:`port` after :meth:`start`)."""

    def __init__(self, ports: list[int]) -> None:
        self.targets = itertools.cycle(ports)
        self.ports = ports
        self.hits: dict[int, int] = dict.fromkeys(ports, 0)
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/{path:.*}", self.forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        return f"http://127.0.0.1:{self.port}"

    async def forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        for _ in range(len(self.ports)):
            port = next(self.targets)
            try:
                async with self._session.post(  # type: ignore[union-attr]
                    f"http://127.0.0.1:{port}{request.path}", data=body, headers=headers
                ) as response:
                    self.hits[port] += 1
                    return web.Response(status=response.status, body=await response.read())
            except aiohttp.ClientConnectorError:
                continue  # that replica is down (nothing was sent): the next one
            except (aiohttp.ClientError, TimeoutError):
                # the request may have reached the replica: like a real load balancer,
                # never send a POST twice; Telegram will redeliver on the error
                return web.Response(status=502)
        return web.Response(status=502)

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()
