"""Stand-in update delivery: long polling, PTB Application, webhooks, HTTP control API, CLI."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from telegram import Bot as PTBBot
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Conflict, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from standin import BotAPIStandIn, SimUser
from tests.unit.standins import TOKEN, USER_ID


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """Plain HTTP client for raw and control API requests."""
    async with aiohttp.ClientSession() as session:
        yield session


# ---------------------------------------------------------------- getUpdates


async def test_long_poll_waits_for_timeout_when_idle(bot: PTBBot) -> None:
    started = time.perf_counter()
    assert await bot.get_updates(timeout=2) == ()
    assert time.perf_counter() - started >= 1.8  # it waited for its timeout, then answered


async def test_long_poll_returns_as_soon_as_an_update_arrives(bot: PTBBot, user: SimUser) -> None:
    async def later() -> None:
        await asyncio.sleep(0.3)
        await user.send("ping")

    task = asyncio.create_task(later())
    started = time.perf_counter()
    updates = await bot.get_updates(timeout=10)
    elapsed = time.perf_counter() - started
    await task
    assert [u.message.text for u in updates] == ["ping"]
    assert 0.25 <= elapsed < 5  # at the update, far before the 10 s timeout


async def test_offsets_confirm_updates_and_limit_caps_batches(bot: PTBBot, user: SimUser) -> None:
    for i in range(5):
        await user.send(f"m{i}")
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first] == ["m0", "m1"]
    assert [u.message.text for u in await bot.get_updates(limit=2)] == ["m0", "m1"]
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest] == ["m2", "m3", "m4"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()


async def test_allowed_updates_filter_is_sticky(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    sent = await bot.send_message(
        USER_ID,
        "x",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="d")]]),
    )
    await user.send("text")
    await user.press(sent, data="d")
    only = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in only] == ["d"]
    await user.send("again")
    assert await bot.get_updates(offset=only[-1].update_id + 1) == ()
    await user.send("all types again")
    updates = await bot.get_updates(allowed_updates=[])
    assert [u.message.text for u in updates] == ["all types again"]
    assert standin.pending_updates == 1


async def test_second_get_updates_terminates_the_first_with_conflict(
    standin: BotAPIStandIn, bot: PTBBot
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await standin.calls_seen("getUpdates", 1)  # the first poll is at the server
    async with PTBBot(TOKEN, base_url=standin.base_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await first


async def test_delayed_get_updates_does_not_preempt_a_newer_poll(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    standin.faults.add(method="getUpdates", kind="delay", seconds=0.3)
    with pytest.raises(TimedOut):
        await bot.get_updates(timeout=0, read_timeout=0.05)
    live = asyncio.create_task(bot.get_updates(timeout=3))
    await standin.calls_seen("getUpdates", 2)  # the live poll is at the server, and ...
    await standin.calls_seen("getUpdates", 1, answered=True)  # ... the delayed one ended
    await user.send("still here")
    assert [u.message.text for u in await live] == ["still here"]
    assert [c.error_code for c in standin.calls_of("getUpdates")] == [409, None]


async def test_stop_releases_pending_long_polls() -> None:
    server = BotAPIStandIn(token=TOKEN)
    await server.start()
    async with PTBBot(TOKEN, base_url=server.base_url) as ptb_bot:
        task = asyncio.create_task(ptb_bot.get_updates(timeout=20))
        await server.calls_seen("getUpdates", 1)  # the long poll is waiting at the server
        started = time.perf_counter()
        stop = asyncio.create_task(server.stop())
        assert await task == ()
        await stop
        assert time.perf_counter() - started < 10  # released, not held for its 20 s


# ---------------------------------------------------------------- PTB Application


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text in bold."""
    assert update.effective_message is not None
    await update.effective_message.reply_html(
        f"<b>{update.effective_message.text}</b>",
        do_quote=True,
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again")]]),
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /start with its payload."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"start:{' '.join(context.args or [])}")


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the callback and edit the message."""
    query = update.callback_query
    assert query is not None
    await query.answer("ok")
    await query.edit_message_text(f"pressed {query.data}")


@pytest_asyncio.fixture
async def app(standin: BotAPIStandIn) -> AsyncIterator[Application]:
    """A real PTB Application polling the stand-in."""
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(standin.base_url)
        .base_file_url(standin.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(CallbackQueryHandler(on_button))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
        yield application
        await application.updater.stop()
        await application.stop()


@pytest.mark.usefixtures("app")
async def test_application_echo_command_and_callback_flow(
    standin: BotAPIStandIn, user: SimUser
) -> None:
    sent = await user.send("/start series_abc")
    reply = await user.next_message()
    assert reply.text == "start:series_abc"
    assert reply.in_reply_to_update == sent.update_id
    await user.send("hello")
    echoed = await user.next_message()
    assert (echoed.text, echoed.entities) == ("hello", [{"offset": 0, "length": 5, "type": "bold"}])
    assert echoed.reply_to is not None and echoed.reply_to.text == "hello"
    await user.press(echoed, button_text="Again")
    answer = await user.next_event()
    edit = await user.next_event()
    assert answer.kind == "callback_answer" and answer.callback.answer["text"] == "ok"
    assert edit.kind == "edit" and edit.message.text == "pressed again"
    assert [m.text for m in user.transcript()] == [
        "/start series_abc",
        "start:series_abc",
        "hello",
        "pressed again",
    ]
    latencies = standin.reply_latencies()
    assert len(latencies) == 3 and all(0 <= x < 5 for x in latencies)
    assert answer.latency is not None and answer.latency >= 0


async def test_many_users_concurrently(standin: BotAPIStandIn, app: Application) -> None:
    users = [standin.user(5000 + i, f"U{i}") for i in range(40)]
    await asyncio.gather(*(u.send(f"hi {u.user_id}") for u in users))
    replies = await asyncio.gather(*(u.next_message(timeout=10) for u in users))
    assert [r.text for r in replies] == [f"hi {u.user_id}" for u in users]
    assert len(standin.calls_of("sendMessage")) == 40


# ---------------------------------------------------------------- webhook


async def test_webhook_delivery_with_secret_token(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    received: asyncio.Queue[tuple[dict, str | None]] = asyncio.Queue()
    attempts = 0

    async def hook(request: web.Request) -> web.Response:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            return web.Response(status=500)
        received.put_nowait(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response()

    hook_app = web.Application()
    hook_app.router.add_post("/hook", hook)
    runner = web.AppRunner(hook_app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        url = f"http://127.0.0.1:{port}/hook"
        assert await bot.set_webhook(url, secret_token="s3cret")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        await user.send("via webhook")
        payload, secret = await asyncio.wait_for(received.get(), 5)
        assert Update.de_json(payload, bot).message.text == "via webhook"
        assert secret == "s3cret"
        assert standin.webhook.url == url and standin.pending_updates == 0
        assert "500" in (standin.webhook.last_error_message or "")
        assert await bot.delete_webhook()
        await user.send("via polling")
        assert [u.message.text for u in await bot.get_updates()] == ["via polling"]
    finally:
        await runner.cleanup()


# ---------------------------------------------------------------- raw HTTP and control API


async def test_raw_http_json_get_and_unknown_method(
    standin: BotAPIStandIn, http: aiohttp.ClientSession
) -> None:
    base = f"{standin.base_url}{TOKEN}"
    async with http.post(f"{base}/sendMessage", json={"chat_id": USER_ID, "text": "json"}) as resp:
        assert (await resp.json())["result"]["text"] == "json"
    async with http.get(f"{base}/sendMessage", params={"chat_id": USER_ID, "text": "q"}) as resp:
        assert (await resp.json())["result"]["text"] == "q"  # GET with a query string
    async with http.post(f"{base}/noSuchMethod") as resp:
        assert resp.status == 404
        assert await resp.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }
    async with http.post(f"{standin.base_url}1:other/getMe") as resp:
        assert resp.status == 401
    async with http.post(
        f"{base}/sendMessage", data={"chat_id": "1001", "text": "t", "reply_markup": "{"}
    ) as resp:
        body = await resp.json()
        assert resp.status == 400 and "reply keyboard markup" in body["description"]


IMPLEMENTED = [
    # what PTB calls: start-up, long polling, webhooks
    "deleteWebhook",
    "getMe",
    "getUpdates",
    "setWebhook",
    # what the bot calls
    "answerCallbackQuery",
    "copyMessage",
    "editMessageText",
    "sendDocument",
    "sendMessage",
    "sendPhoto",
    "setMyCommands",
    "setChatMenuButton",  # the dashboard's Mini App menu button (getChatMenuButton: tests)
    "getChatMenuButton",
    # what the tests need: the transport's download test
    "getFile",
    # planned: quiz polls in the channel
    "sendPoll",
    "stopPoll",
    # planned: who joins the channel through which invite link
    "approveChatJoinRequest",
    "createChatInviteLink",
    "declineChatJoinRequest",
    "editChatInviteLink",
    "getChatMember",
    "revokeChatInviteLink",
]


def test_the_stand_in_implements_what_the_bot_uses_and_no_more(standin: BotAPIStandIn) -> None:
    """A method the bot starts to call must be added here and to the stand-in on purpose."""
    assert standin.methods == sorted(name.lower() for name in IMPLEMENTED)


@pytest.mark.parametrize(
    "method",
    [
        "logOut",
        "close",
        "getWebhookInfo",
        "sendSticker",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "deleteMessage",
        "forwardMessage",
        "sendChatAction",
        "getMyCommands",
        "setMyDescription",
        "getChat",
        "getChatAdministrators",
        "exportChatInviteLink",
    ],
)
async def test_other_methods_are_not_found_as_in_telegram(
    standin: BotAPIStandIn, http: aiohttp.ClientSession, method: str
) -> None:
    async with http.post(f"{standin.base_url}{TOKEN}/{method}", json={"chat_id": USER_ID}) as r:
        assert r.status == 404
        assert await r.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }


async def test_control_api(
    standin: BotAPIStandIn, bot: PTBBot, http: aiohttp.ClientSession
) -> None:
    control = f"{standin.url}/_standin"
    async with http.post(
        f"{control}/users/3003/send", json={"text": "/start", "first_name": "Ivan"}
    ) as r:
        assert (await r.json())["message_id"] == 1
    update = (await bot.get_updates())[0]
    assert (update.message.text, update.message.from_user.first_name) == ("/start", "Ivan")
    sent = await bot.send_message(
        3003,
        "menu",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]),
    )
    async with http.get(
        f"{control}/chats/3003/events", params={"after": "-1", "timeout": "1"}
    ) as r:
        events = await r.json()
        assert [e["kind"] for e in events] == ["message"]
        assert events[0]["message"]["text"] == "menu"
    async with http.post(
        f"{control}/users/3003/press", json={"message_id": sent.message_id, "button_text": "A"}
    ) as r:
        assert (await r.json())["callback_query_id"]
    async with http.post(f"{control}/users/3003/press", json={"message_id": 77, "data": "x"}) as r:
        assert r.status == 400
    async with http.get(f"{control}/chats/3003/transcript") as r:
        transcript = await r.json()
        assert [(m["from_bot"], m["text"]) for m in transcript] == [
            (False, "/start"),
            (True, "menu"),
        ]
        assert transcript[1]["buttons"] == [["A", "a"]]
    async with http.post(
        f"{control}/faults", json={"method": "sendMessage", "kind": "forbidden"}
    ) as r:
        assert (await r.json())["kind"] == "forbidden"
    async with http.get(f"{control}/faults") as r:
        assert len(await r.json()) == 1
    async with http.delete(f"{control}/faults") as r:
        assert r.status == 200 and standin.faults.rules == []
    async with http.post(f"{control}/users/3003/block") as r:
        assert r.status == 200 and standin.user(3003).blocked
    async with http.post(f"{control}/users/3003/unblock") as r:
        assert r.status == 200 and not standin.user(3003).blocked
    async with http.get(f"{control}/calls", params={"method": "sendMessage"}) as r:
        calls = await r.json()
        assert [c["params"]["text"] for c in calls] == ["menu"]
    await bot.set_my_commands([("start", "Start")], language_code="uk")
    async with http.get(f"{control}/commands") as r:
        assert await r.json() == [
            {
                "scope": {"type": "default"},
                "language_code": "uk",
                "commands": [{"command": "start", "description": "Start"}],
            }
        ]
    poll = await bot.send_poll(3003, "Q", ["a", "b"], is_anonymous=False)
    async with http.post(
        f"{control}/users/3003/answer_poll", json={"poll_id": poll.poll.id, "option_ids": [1]}
    ) as r:
        assert r.status == 200
    assert standin.polls[poll.poll.id].votes == {3003: [1]}


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "standin"],
        [str(Path(sys.executable).parent / "cxcoach-dev"), "standin"],  # the console script
    ],
)
async def test_cli_entry_point_serves_standalone(command: list[str]) -> None:
    process = await asyncio.create_subprocess_exec(
        *command,
        *("--port", "0", "--token", TOKEN, "--bot-username", "cxcoach_test_bot"),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        assert "listening on http://127.0.0.1:" in line
        url = line.rsplit(" ", 1)[-1].strip()
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{url}/bot{TOKEN}/getMe") as resp:
                body = json.loads(await resp.text())
        assert body["ok"] and body["result"]["username"] == "cxcoach_test_bot"
    finally:
        process.terminate()
        await process.wait()
