"""The Bot API transport (bot/transport.py) against the real stand-in over loopback HTTP.

Each behaviour runs with both clients: our aiohttp one must act exactly like PTB's default
(httpx) — same results, same error classes — for texts, uploads, downloads and faults.
"""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.transport import AiohttpRequest, _safe, make_request
from tests.unit.standins import TOKEN, USER_ID


@pytest.fixture(params=["aiohttp", "httpx"])
def client(request: pytest.FixtureRequest) -> str:
    return request.param


def make_bot(url: str, client: str, *, timeout: float = 5.0, pool_size: int = 4) -> Bot:
    return Bot(
        TOKEN,
        base_url=f"{url}/bot",
        base_file_url=f"{url}/file/bot",
        request=make_request(client, pool_size=pool_size, timeout=timeout, for_updates=False),
        get_updates_request=make_request(client, pool_size=1, timeout=timeout, for_updates=True),
    )


async def test_texts_keyboards_and_unicode_arrive_intact(standin, user, client):
    text = "<b>Урок 1</b>: «клієнт» &amp; ґанок — 𝔘 ✅ " + "x" * 3000
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Далі →", callback_data="l:silos")]])
    async with make_bot(standin.url, client) as bot:
        sent = await bot.send_message(USER_ID, text, parse_mode="HTML", reply_markup=markup)
        edited = await bot.edit_message_text(
            "Оновлено", chat_id=USER_ID, message_id=sent.message_id
        )
    assert sent.text.startswith("Урок 1: «клієнт» & ґанок — 𝔘 ✅ xxx") and len(sent.text) > 3000
    assert sent.reply_markup == markup
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 6
    message = await user.next_message()  # the user's view, with the edit applied
    assert message.text == edited.text == "Оновлено"
    assert message.message_id == sent.message_id


async def test_uploads_and_downloads_files(standin, user, client):
    payload = bytes(range(256)) * 40
    async with make_bot(standin.url, client) as bot:
        sent = await bot.send_document(
            USER_ID, payload, filename="report.csv", caption="<i>Звіт</i>", parse_mode="HTML"
        )
        file = await bot.get_file(sent.document.file_id)
        downloaded = bytes(await file.download_as_bytearray())
    message = await user.next_message()
    assert (message.file.file_name, message.caption, message.file_bytes) == (
        "report.csv",
        "Звіт",
        payload,
    )
    assert downloaded == payload


async def test_api_errors_map_to_ptb_exceptions(standin, user, client):
    standin.faults.add("sendMessage", kind="retry_after", retry_after=7)
    standin.faults.add("sendMessage", kind="forbidden")
    standin.faults.add("sendMessage", kind="server_error", status=502)
    async with make_bot(standin.url, client) as bot:
        with pytest.raises(RetryAfter) as retry:
            await bot.send_message(USER_ID, "a")
        waited = retry.value.retry_after  # int today, timedelta once PTB_TIMEDELTA is default
        assert getattr(waited, "total_seconds", lambda: waited)() == 7
        with pytest.raises(Forbidden):
            await bot.send_message(USER_ID, "b")
        with pytest.raises(NetworkError):
            await bot.send_message(USER_ID, "c")
        with pytest.raises(BadRequest, match=r"(?i)can.t parse entities"):
            await bot.send_message(USER_ID, "<b>unclosed", parse_mode="HTML")
        await bot.send_message(USER_ID, "d")
    assert (await user.next_message()).text == "d"


async def test_slow_server_times_out(standin, client):
    standin.faults.add("sendMessage", kind="delay", seconds=3.0)
    async with make_bot(standin.url, client, timeout=0.5) as bot:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(USER_ID, "slow")
        assert time.monotonic() - started < 3.0  # gave up before the server's 3 s delay


async def test_unreachable_server_is_a_network_error_without_the_token(client):
    with socket.socket() as sock:  # bound and kept, never listening: connections refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        bot = make_bot(f"http://127.0.0.1:{port}", client, timeout=1.0)
        await bot.request.initialize()
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(USER_ID, "anyone?")
        await bot.request.shutdown()
    assert TOKEN not in str(caught.value)
    assert TOKEN.split(":")[1] not in repr(caught.value)


async def test_full_pool_makes_the_next_call_wait_then_time_out(standin):
    """One connection, busy for 2 s: a call with a 0.3 s pool timeout gives up, not hangs."""
    standin.faults.add("sendMessage", kind="delay", seconds=2.0)
    request = AiohttpRequest(connection_pool_size=1, read_timeout=5.0, pool_timeout=5.0)
    async with Bot(TOKEN, base_url=f"{standin.url}/bot", request=request) as bot:
        slow = asyncio.create_task(bot.send_message(USER_ID, "slow"))
        await standin.calls_seen("sendMessage", 1)  # it holds the only connection now
        with pytest.raises(TimedOut):
            await bot.send_message(USER_ID, "impatient", pool_timeout=0.3)
        assert (await slow).text == "slow"


async def test_request_needs_initialising():
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:1/botX/getMe", "POST")


def test_error_texts_lose_the_token():
    text = "Cannot connect to host for url 'http://h/bot123:AAA-b_c/sendMessage' and /file/bot9:z/x"
    assert _safe(text) == (
        "Cannot connect to host for url 'http://h/bot<token>/sendMessage' and /file/bot<token>/x"
    )


def test_unknown_client_is_refused():
    with pytest.raises(ValueError, match="unknown HTTP client"):
        make_request("curl", pool_size=1, timeout=1.0, for_updates=False)
