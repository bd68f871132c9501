"""The ``cxcoach`` command: run the bot, check the content, copy the database.

The developer's tools (the terminal sandbox, the Bot API stand-in) are ``cxcoach-dev``
(``standin/cli.py``): the production command never imports the stand-in.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys

from bot.config import ConfigError, Settings, load_settings, settings_help
from bot.logs import setup_logging

log = logging.getLogger("cxcoach")

NO_TOKEN = (
    "CXCOACH_BOT_TOKEN is not set; to try the bot without Telegram: "
    "make run (the sandbox) or cxcoach-dev sandbox"
)


def add_run_command(commands: argparse._SubParsersAction, short: str, description: str) -> None:
    """The ``run`` command, its help listing every setting (``cxcoach`` and ``cxcoach-dev``)."""
    commands.add_parser(
        "run",
        help=short,
        description=description,
        epilog=settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cxcoach", description="CX Coach Telegram bot")
    commands = parser.add_subparsers(dest="command", required=True)

    add_run_command(
        commands,
        "run the bot (long polling, or a webhook)",
        "Run the bot: long polling, or a webhook when CXCOACH_WEBHOOK_URL is set. "
        "CXCOACH_BOT_TOKEN is required (without it: cxcoach-dev sandbox).",
    )

    content = commands.add_parser("content", help="lesson content tools")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    from content.cli import add_arguments, add_report_arguments

    add_arguments(content_commands.add_parser("check", help="validate every lesson file"))
    add_report_arguments(
        content_commands.add_parser(
            "quiz-report", help="how test-wise strategies score on the quizzes, per question"
        )
    )

    db = commands.add_parser("db", help="database tools")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    backup = db_commands.add_parser("backup", help="a consistent copy of the live SQLite file")
    backup.add_argument("target", help="the backup file to write")
    backup.add_argument("--from", dest="source", help="the SQLite file (default: CXCOACH_DATABASE)")
    copy = db_commands.add_parser(
        "copy", help="copy a SQLite deployment into an empty PostgreSQL database, verified"
    )
    copy.add_argument("--to", dest="target", required=True, help="postgresql://user@host/db")
    copy.add_argument("--from", dest="source", help="the SQLite file (default: CXCOACH_DATABASE)")

    args = parser.parse_args(argv)
    if args.command == "db":
        return run_db(args)
    if args.command == "content":
        from content.cli import report, run

        return report(args) if args.content_command == "quiz-report" else run(args)

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    start_logging(settings)
    return run_bot(settings)


def start_logging(settings: Settings, *, quiet: bool = False) -> None:
    """The bot's logging, with the token (and a webhook's secret) redacted everywhere;
    ``quiet`` turns the default INFO into WARNING (the sandbox, where INFO lines would
    interleave with the conversation)."""
    level = "WARNING" if quiet and settings.log_level == "INFO" else settings.log_level
    redactor = setup_logging(level, settings.token)
    if settings.webhook_secret is not None:  # PTB logs setWebhook's parameters at DEBUG
        redactor.secrets.append(settings.webhook_secret.get_secret_value())


def run_bot(settings: Settings) -> int:
    """Run the bot (long polling, or a webhook) until interrupted."""
    from bot.app import ALLOWED_UPDATES, ContentError, build_application, load_catalog, open_storage
    from bot.services.env import Env

    try:
        catalog = load_catalog()
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    env = Env(settings=settings, storage=open_storage(settings), catalog=catalog)
    app = build_application(env)
    if settings.webhook_url:
        # Telegram POSTs updates to <webhook_url>/<webhook_path>; PTB refuses any request
        # without the secret header (403). The token is never part of the path.
        url = f"{settings.webhook_url.rstrip('/')}/{settings.webhook_path}"
        assert settings.webhook_secret is not None  # enforced by the settings
        where: dict[str, object]
        if settings.webhook_socket_fd is not None:
            # a socket bound and listening already (PTB's "unix" parameter takes any
            # listening socket object and serves on it)
            sock = socket.socket(fileno=settings.webhook_socket_fd)
            sock.setblocking(False)
            where = {"unix": sock}
            shown = f"inherited socket {sock.getsockname()}"
        else:
            where = {"listen": settings.webhook_listen, "port": settings.webhook_port}
            shown = f"{settings.webhook_listen}:{settings.webhook_port}"
        log.info("starting CX Coach with a webhook at %s (listening on %s)", url, shown)
        app.run_webhook(
            url_path=settings.webhook_path,
            webhook_url=url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=ALLOWED_UPDATES,
            **where,  # type: ignore[arg-type]
        )
        return 0
    log.info("starting CX Coach against %s (long polling)", settings.bot_api_url)
    app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


def run_db(args: argparse.Namespace) -> int:
    """``cxcoach db backup`` and ``cxcoach db copy``; prints what was done and verified."""
    from pathlib import Path

    from storage import transfer

    source = args.source
    if source is None:
        try:
            settings = load_settings()
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return 2
        if settings.uses_postgres:
            print(
                "CXCOACH_DATABASE is PostgreSQL; give the SQLite file with --from", file=sys.stderr
            )
            return 2
        source = settings.database
    try:
        if args.db_command == "backup":
            size = transfer.backup(Path(source), Path(args.target))
            print(f"backup of {source} written to {args.target} ({size:,} bytes, integrity ok)")
            return 0
        if not args.target.startswith(("postgresql://", "postgres://")):
            print("--to must be a postgresql:// URL", file=sys.stderr)
            return 2
        reports = asyncio.run(transfer.copy_to_postgres(Path(source), args.target))
    except (OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{'table':<22}{'rows':>9}{'copied':>9}  {'checksum':<17}{'copy checksum':<17}ok")
    for r in reports:
        print(
            f"{r.table:<22}{r.source_rows:>9}{r.target_rows:>9}  {r.source_sum:<17}"
            f"{r.target_sum:<17}{'yes' if r.ok else 'NO'}"
        )
    if all(r.ok for r in reports):
        print(f"copied {sum(r.source_rows for r in reports):,} rows; every table verified")
        return 0
    print("MISMATCH: the copy is not complete; do not switch over", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
