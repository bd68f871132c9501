"""A bare PTB echo bot (the framework's floor for bench/journey.py).

Reads the same CXCOACH_BOT_TOKEN / CXCOACH_BOT_API_URL variables as CX Coach and uses the same
update concurrency and connection pool, so the comparison is like for like. By default it uses
PTB's own transport (httpx): the framework's floor. CXCOACH_HTTP_CLIENT=aiohttp gives it
CX Coach's transport instead, to compare the bots' own work alone.
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.transport import make_request


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeat the text back."""
    await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    url = os.environ["CXCOACH_BOT_API_URL"]
    client = os.environ.get("CXCOACH_HTTP_CLIENT", "httpx")
    app = (
        ApplicationBuilder()
        .token(os.environ["CXCOACH_BOT_TOKEN"])
        .base_url(f"{url}/bot")
        .base_file_url(f"{url}/file/bot")
        .concurrent_updates(256)
        .request(make_request(client, pool_size=8, timeout=10.0, for_updates=False))
        .get_updates_request(make_request(client, pool_size=1, timeout=10.0, for_updates=True))
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling()


if __name__ == "__main__":
    main()
