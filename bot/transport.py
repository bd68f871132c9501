"""How the bot talks HTTP to the Bot API: a PTB ``BaseRequest`` on aiohttp.

PTB's default transport (httpx over httpcore/anyio/h11) spends about 0.7 ms of CPU per Bot API
call in pure Python; aiohttp, with its C HTTP parser, spends about a third of that (measured:
1.07 -> 0.35 ms per sendMessage including PTB's own work, ``bench/``). A lesson bot makes two or
three calls per update (answer the button, edit, send), so the transport is most of the bot's
CPU. ``CXCOACH_HTTP_CLIENT=httpx`` switches back to PTB's default.

Timeouts follow PTB's four: ``pool`` (waiting for a free connection) and ``connect`` map to
aiohttp's ``connect`` and ``sock_connect``, ``read`` to ``sock_read``; aiohttp has no write
timeout, so the whole call is also capped at the sum of all four. Errors map the way PTB's own
transport maps them: timeouts -> ``TimedOut``, any other client error -> ``NetworkError``, with
the bot token removed from the message.

The transport is also where "about to go on the wire" is known. A sender that must record a
send before it happens (broadcasts and drips write "sending", so a crash never makes them send
twice) registers a hook with :func:`before_write`; the transport runs it once it holds a
connection slot and nothing but the write is left, so a request that waits for a connection,
or behind PTB's rate limiter, is not yet "sending". If the hook answers False (the work is no
longer this process's: its lease was taken over) the request is not made and
:class:`NotDispatched` is raised.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import aiohttp
import certifi
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

_TOKEN_IN_URL = re.compile(r"/(file/)?bot[^/\s'\"]+")

HTTP_CLIENTS = ("aiohttp", "httpx")

POOL_TIMEOUT = (
    "Pool timeout: All connections in the connection pool are occupied. "
    "Request was *not* sent to Telegram. Consider adjusting the connection pool size "
    "or the pool timeout."
)

Hook = Callable[[], Awaitable[bool]]
_BEFORE_WRITE: ContextVar[Hook | None] = ContextVar("cxcoach_before_write", default=None)


class NotDispatched(TelegramError):
    """The before-write hook declined: the request was not made (nothing reached Telegram).

    A ``TelegramError``, so PTB passes it through unchanged."""

    def __init__(self) -> None:
        super().__init__("not dispatched: this work is no longer ours")


@contextmanager
def before_write(hook: Hook) -> Iterator[None]:
    """Run ``hook`` just before the next request of this task goes on the wire (once)."""
    token = _BEFORE_WRITE.set(hook)
    try:
        yield
    finally:
        _BEFORE_WRITE.reset(token)


def runs_hooks(request: BaseRequest) -> bool:
    """Whether ``request`` runs :func:`before_write` hooks (PTB's httpx transport does not)."""
    return isinstance(request, AiohttpRequest)


class AiohttpRequest(BaseRequest):
    """A Bot API transport on an ``aiohttp.ClientSession`` with a bounded connection pool."""

    __slots__ = ("_media_write_timeout", "_pool_size", "_session", "_slots", "_timeouts")

    def __init__(
        self,
        *,
        connection_pool_size: int = 8,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        # one slot per pooled connection: a request holding a slot never queues in aiohttp,
        # so the before-write hook runs right before the bytes are written
        self._slots = asyncio.Semaphore(connection_pool_size)

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds it to getUpdates' long-polling timeout)."""
        return self._timeouts["read"]

    async def initialize(self) -> None:
        """Open the session (it must be created inside the running event loop)."""
        if self._session is None or self._session.closed:
            self._slots = asyncio.Semaphore(self._pool_size)  # bound to this event loop
            context = ssl.create_default_context(cafile=certifi.where())
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, ttl_dns_cache=300, ssl=context, enable_cleanup_closed=True
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                timeout=aiohttp.ClientTimeout(total=None),
                auto_decompress=True,
                raise_for_status=False,
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | DefaultValue[None] | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | DefaultValue[None] | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | DefaultValue[None] | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | DefaultValue[None] | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; return (HTTP status, body). PTB turns non-200 into errors."""
        if self._session is None or self._session.closed:
            raise RuntimeError("this AiohttpRequest is not initialized")
        files = bool(request_data and request_data.multipart_data)
        read = self._pick(read_timeout, "read")
        connect = self._pick(connect_timeout, "connect")
        pool = self._pick(pool_timeout, "pool")
        write = (
            self._media_write_timeout
            if files and isinstance(write_timeout, DefaultValue)
            else self._pick(write_timeout, "write")
        )
        parts = (read, write, connect, pool)
        overall = None if any(p is None for p in parts) else sum(parts)  # type: ignore[arg-type]
        timeout = aiohttp.ClientTimeout(
            total=None, connect=pool, sock_connect=connect, sock_read=read
        )
        try:
            async with asyncio.timeout(pool):
                await self._slots.acquire()
        except TimeoutError:
            raise TimedOut(POOL_TIMEOUT) from None
        try:
            await self._before_write()
        except BaseException:
            self._slots.release()
            raise  # (PTB reports anything but a TelegramError as a NetworkError: retried)
        try:
            async with asyncio.timeout(overall):
                async with self._session.request(
                    method, url, data=_body(request_data), timeout=timeout
                ) as response:
                    return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut(f"Timed out ({type(exc).__name__})") from None
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {_safe(str(exc))}") from None
        finally:
            self._slots.release()

    @staticmethod
    async def _before_write() -> None:
        hook = _BEFORE_WRITE.get()
        if hook is not None:
            _BEFORE_WRITE.set(None)  # once per registration, even if PTB retries
            if not await hook():
                raise NotDispatched

    def _pick(self, value: float | DefaultValue[None] | None, name: str) -> float | None:
        return self._timeouts[name] if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None) -> Any:
    """Form-encoded parameters, or multipart when files are uploaded (as PTB's httpx does)."""
    if request_data is None:
        return None
    params = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return params or None
    form = aiohttp.FormData(quote_fields=False)
    for name, value in params.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


def _safe(text: str) -> str:
    """Error texts may quote the URL, which holds the token: drop it."""
    return _TOKEN_IN_URL.sub(r"/\1bot<token>", text)


def make_request(client: str, *, pool_size: int, timeout: float, for_updates: bool) -> BaseRequest:
    """The transport named by ``CXCOACH_HTTP_CLIENT`` (getUpdates gets its own, one-slot one)."""
    size = 1 if for_updates else pool_size
    if client == "httpx":
        return HTTPXRequest(
            connection_pool_size=size,
            read_timeout=timeout,
            write_timeout=timeout,
            connect_timeout=timeout,
            pool_timeout=timeout,
        )
    if client != "aiohttp":
        raise ValueError(f"unknown HTTP client {client!r}; use one of {HTTP_CLIENTS}")
    return AiohttpRequest(
        connection_pool_size=size,
        read_timeout=timeout,
        write_timeout=timeout,
        connect_timeout=timeout,
        pool_timeout=timeout,
    )
