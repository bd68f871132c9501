"""Run the Bot API stand-in standalone: ``python -m standin --port 8081``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .server import BotAPIStandIn


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="Local Telegram Bot API stand-in")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--bot-username", default="cxcoach_test_bot")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Start the server, print its URLs and run until cancelled."""
    standin = BotAPIStandIn(token=args.token, bot_username=args.bot_username)
    url = await standin.start(args.host, args.port)
    print(f"Bot API stand-in listening on {url}", flush=True)
    print(f"  base_url={standin.base_url}  base_file_url={standin.base_file_url}", flush=True)
    print(f"  control API: {url}/_standin/", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await standin.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
