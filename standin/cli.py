"""``cxcoach-dev``: the developer's command, the bot without Telegram.

- ``cxcoach-dev run``: with ``CXCOACH_BOT_TOKEN`` (in the environment or ``.env``) the real
  bot, exactly as ``cxcoach run``; without it, the terminal sandbox (this is ``make run``).
- ``cxcoach-dev sandbox``: chat with the real bot in this terminal, through the stand-in.
- ``cxcoach-dev standin``: serve the Bot API stand-in alone, for a bot started elsewhere.

The production command ``cxcoach`` (``bot/cli.py``) never imports this package.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot import cli as bot_cli
from bot.config import ConfigError, Settings, load_settings

SANDBOX_INSTEAD = (
    "No bot token configured (CXCOACH_BOT_TOKEN), so here is the sandbox: the real "
    "bot against a local stand-in of Telegram. See README.md to go live."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="cxcoach-dev",
        description="CX Coach for developers: the sandbox and the local Bot API stand-in",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    bot_cli.add_run_command(
        commands,
        "run the bot as `cxcoach run` does; without a token: the sandbox",
        "Run the bot exactly as `cxcoach run` does when CXCOACH_BOT_TOKEN is set "
        "(in the environment or .env); without it, the sandbox.",
    )

    sandbox = commands.add_parser(
        "sandbox", help="chat with the bot in this terminal, against a local Bot API stand-in"
    )
    sandbox.add_argument("--user-id", type=int, default=1001, help="your simulated user id")
    sandbox.add_argument("--name", default="Sandbox", help="your simulated first name")
    sandbox.add_argument("--language", default="en", help="your Telegram language code")

    standin = commands.add_parser("standin", help="serve the local Bot API stand-in alone")
    standin.add_argument("--host", default="127.0.0.1")
    standin.add_argument("--port", type=int, default=8081)
    standin.add_argument("--token", default="123456:SANDBOX-TOKEN-abcdefghijklmnopqrstuv")
    standin.add_argument("--bot-username", default="cxcoach_sandbox_bot")

    args = parser.parse_args(argv)
    if args.command == "standin":
        from .__main__ import main as serve_standin

        serve_standin(
            [
                *("--host", args.host, "--port", str(args.port)),
                *("--token", args.token, "--bot-username", args.bot_username),
            ]
        )
        return 0

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command == "run":
        if settings.token:
            return bot_cli.main(["run"])
        print(SANDBOX_INSTEAD, file=sys.stderr)
    return run_sandbox(
        settings,
        user_id=getattr(args, "user_id", 1001),
        first_name=getattr(args, "name", "Sandbox"),
        language_code=getattr(args, "language", "en"),
    )


def run_sandbox(settings: Settings, *, user_id: int, first_name: str, language_code: str) -> int:
    """The terminal sandbox, with the bot's logging quietened to warnings."""
    from .sandbox import run_sandbox as sandbox

    bot_cli.start_logging(settings, quiet=True)
    return asyncio.run(
        sandbox(settings, user_id=user_id, first_name=first_name, language_code=language_code)
    )


if __name__ == "__main__":
    raise SystemExit(main())
