"""The real `cxcoach run` process against a Bot API server named by CXCOACH_BOT_API_URL."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.standin import BotAPIStandIn

TOKEN = "987654321:ZZHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
ROOT = Path(__file__).resolve().parents[2]


async def test_run_serves_users_and_never_logs_the_token(tmp_path):
    async with BotAPIStandIn(token=TOKEN, bot_username="cx_process_bot") as standin:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CXCOACH_")}
        env.update(
            CXCOACH_BOT_TOKEN=TOKEN,
            CXCOACH_BOT_API_URL=standin.url,
            CXCOACH_DATABASE=str(tmp_path / "live.sqlite3"),
            CXCOACH_LOG_LEVEL="DEBUG",  # the most talkative level must still hide the token
            PYTHONPATH=str(ROOT),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            user = standin.user(3001, "Marta", language_code="ru")
            await user.send("/start")
            greeting = await user.next_message(timeout=30)
            assert "Я CX Coach" in greeting.text
            await user.send("/progress")
            assert (await user.next_message(timeout=10)).text.startswith("Ваш прогресс")
        finally:
            process.send_signal(signal.SIGINT)
            stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stdout.decode() + stderr.decode()
    assert process.returncode == 0, log[-2000:]
    assert "getUpdates" in log or "Application started" in log  # it did log at DEBUG
    assert TOKEN not in log
    assert TOKEN.split(":")[1] not in log
    assert (tmp_path / "live.sqlite3").exists()
