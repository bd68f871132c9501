"""``cxcoach-dev sandbox``: chat with the real bot in this terminal, no Telegram needed.

The very same Application runs against the local Bot API stand-in; you play one user.
Type text or /commands; type a button's number to press it; ``/quit`` (or Ctrl-D) leaves.
The sandbox keeps its own database (``sandbox.sqlite3`` beside the configured one), so it
never touches a live deployment's data.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from pydantic import SecretStr

from bot.app import ContentError, build_application, load_catalog, running
from bot.config import Settings
from bot.services.env import Env
from storage.sqlite import SQLiteStorage

from .models import BotEvent, StoredMessage
from .server import BotAPIStandIn
from .users import NoBotResponse, SimUser

SANDBOX_TOKEN = "123456:SANDBOX-TOKEN-abcdefghijklmnopqrstuv"
QUIET_AFTER = 0.25  # seconds of bot silence before the prompt comes back
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


class Screen:
    """Prints what the bot does, numbering the buttons of the latest keyboard."""

    def __init__(
        self, out: TextIO, color: bool, launch: Callable[[str], str] | None = None
    ) -> None:
        self.out = out
        self.color = color
        self.launch = launch  # a Mini App's url -> the link a browser opens, signed
        self.buttons: list[tuple[StoredMessage, str, str | None]] = []

    def _style(self, text: str, style: str) -> str:
        return f"{style}{text}{RESET}" if self.color else text

    def show(self, event: BotEvent) -> None:
        if event.kind == "callback_answer" and event.callback is not None:
            toast = event.callback.answer.get("text")
            if toast:
                print(self._style(f"  [{toast}]", DIM), file=self.out)
            return
        message = event.message
        if message is None or event.kind not in ("message", "edit"):
            return
        label = "bot" if event.kind == "message" else "bot (edited)"
        print(self._style(f"— {label} —", DIM), file=self.out)
        print(message.body, file=self.out)
        if message.buttons:
            self.buttons = []
            web_apps = {
                b.get("text"): b["web_app"].get("url")
                for row in message.inline_keyboard
                for b in row
                if isinstance(b.get("web_app"), dict)
            }
            for number, (text, data) in enumerate(message.buttons, start=1):
                if text in web_apps and data and self.launch is not None:
                    data = self.launch(data)  # what Telegram would open: signed initData
                    print(f"  [{number}] {text}: open in your browser →\n{data}", file=self.out)
                    self.buttons.append((message, text, data))
                    continue
                self.buttons.append((message, text, data))
                link = f" → {data}" if data and data.startswith("http") else ""
                print(f"  [{number}] {text}{link}", file=self.out)
        print(file=self.out, flush=True)


async def run_sandbox(
    settings: Settings,
    *,
    user_id: int = 1001,
    first_name: str = "Sandbox",
    language_code: str = "en",
    read_line: Callable[[], Awaitable[str | None]] | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Run the bot against an in-process stand-in and relay a terminal conversation."""
    try:
        catalog = load_catalog()
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    read_line = read_line or _stdin_line
    # its own SQLite file, beside the configured one (or under ./data with PostgreSQL)
    base = Path("data/cxcoach.sqlite3") if settings.uses_postgres else Path(settings.database)
    database = base.with_name("sandbox.sqlite3")
    async with BotAPIStandIn(
        token=SANDBOX_TOKEN, bot_username="cxcoach_sandbox_bot", loopback_web_apps=True
    ) as standin:
        sandbox_settings = settings.model_copy(
            update={
                "bot_token": SecretStr(SANDBOX_TOKEN),
                "bot_api_url": standin.url,
                "database": str(database),
                "rate_limit": 0,
                # the dashboard on loopback (a free port unless one is configured), opened
                # with initData the stand-in signs as Telegram would; no public URL
                "dashboard_port": 0 if settings.dashboard_port is None else settings.dashboard_port,
                "dashboard_host": "127.0.0.1",
                "dashboard_url": None,
            }
        )
        env = Env(settings=sandbox_settings, storage=SQLiteStorage(database), catalog=catalog)
        app = build_application(env)
        user = standin.user(user_id, first_name, language_code=language_code)
        screen = Screen(
            out, color=out.isatty(), launch=lambda url: standin.web_app_launch(user_id, url)
        )
        print(
            f"CX Coach sandbox: you are {first_name} (id {user_id}), talking to the real bot "
            f"through a local Telegram stand-in at {standin.url}.\n"
            "Type a message or /command, a number to press a button, /quit to leave; "
            "/dashboard gives a link that opens the dashboard in your browser.\n",
            file=out,
            flush=True,
        )
        async with running(app, poll_timeout=5):
            await user.send("/start")
            await _relay(user, screen)
            while True:
                line = await read_line()
                if line is None or line.strip() in ("/quit", "/exit"):
                    break
                line = line.strip()
                if not line:
                    continue
                if line.isdigit() and screen.buttons:
                    await _press(user, screen, int(line))
                else:
                    await user.send(line)
                await _relay(user, screen)
    print("Bye.", file=out)
    return 0


async def _press(user: SimUser, screen: Screen, number: int) -> None:
    if not 1 <= number <= len(screen.buttons):
        print(f"(no button {number}; there are {len(screen.buttons)})", file=screen.out)
        return
    message, _text, data = screen.buttons[number - 1]
    if data and data.startswith("http"):
        print(f"(a link: {data})", file=screen.out)
        return
    await user.press_raw(message, data or "")


async def _relay(user: SimUser, screen: Screen) -> None:
    """Print the bot's actions until it has been quiet for a moment."""
    try:
        screen.show(await user.next_event(timeout=10.0))
    except NoBotResponse:
        return
    while True:
        try:
            screen.show(await user.next_event(timeout=QUIET_AFTER))
        except NoBotResponse:
            return


async def _stdin_line() -> str | None:
    def read() -> str | None:
        try:
            return input("> ")
        except EOFError:
            return None

    return await asyncio.to_thread(read)
