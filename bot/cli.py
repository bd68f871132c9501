"""The ``cxcoach`` command: run the bot, chat with it in a sandbox, check the content."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import ConfigError, Settings, load_settings
from bot.logs import setup_logging

log = logging.getLogger("cxcoach")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cxcoach", description="CX Coach Telegram bot")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("run", help="run the bot (long polling); without a token: the sandbox")

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

    content = commands.add_parser("content", help="lesson content tools")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    from content.cli import add_arguments

    add_arguments(content_commands.add_parser("check", help="validate every lesson file"))

    args = parser.parse_args(argv)
    if args.command == "content":
        from content.cli import run

        return run(args)
    if args.command == "standin":
        from bot.standin.__main__ import main as serve_standin

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
    sandbox_mode = args.command == "sandbox" or not settings.token
    # In the sandbox, INFO lines would interleave with the conversation.
    level = "WARNING" if sandbox_mode and settings.log_level == "INFO" else settings.log_level
    setup_logging(level, settings.token)

    if sandbox_mode:
        if args.command == "run":
            print(
                "No bot token configured (CXCOACH_BOT_TOKEN), so here is the sandbox: the real "
                "bot against a local stand-in of Telegram. See README.md to go live.",
                file=sys.stderr,
            )
        from bot.sandbox import run_sandbox

        return asyncio.run(
            run_sandbox(
                settings,
                user_id=getattr(args, "user_id", 1001),
                first_name=getattr(args, "name", "Sandbox"),
                language_code=getattr(args, "language", "en"),
            )
        )
    return run_bot(settings)


def run_bot(settings: Settings) -> int:
    """Run the bot with long polling until interrupted."""
    from bot.app import ALLOWED_UPDATES, ContentError, build_application, load_catalog, open_storage
    from bot.context import Deps

    try:
        catalog = load_catalog()
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    deps = Deps(settings=settings, storage=open_storage(settings), catalog=catalog)
    app = build_application(deps)
    log.info("starting CX Coach against %s", settings.bot_api_url)
    app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
