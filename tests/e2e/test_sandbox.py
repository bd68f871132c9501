"""`cxcoach sandbox` and `cxcoach run` without a token: a person chats in the terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.sandbox import run_sandbox


async def test_sandbox_relays_a_conversation_with_numbered_buttons(tmp_path):
    lines = iter(["3", "/lessons", "1", "/quit"])  # 3 = Українська

    async def read_line() -> str | None:
        return next(lines, None)

    out = io.StringIO()
    settings = Settings(database=tmp_path / "cx.sqlite3")
    code = await run_sandbox(settings, first_name="Oksana", read_line=read_line, out=out)
    text = out.getvalue()
    assert code == 0
    assert "Hi, Oksana! I’m CX Coach." in text
    assert "[3] Українська" in text
    assert "Готово: тепер я розмовляю з вами українською." in text
    assert "Серії уроків" in text
    assert text.rstrip().endswith("Bye.")
    assert (tmp_path / "sandbox.sqlite3").exists() and not (tmp_path / "cx.sqlite3").exists()


def test_run_without_a_token_starts_the_sandbox(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXCOACH_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="/help\n/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "No bot token configured (CXCOACH_BOT_TOKEN)" in result.stderr
    assert "/lessons: series and lessons" in result.stdout
    assert "Traceback" not in result.stderr


def test_run_with_a_bad_variable_says_which(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXCOACH_")}
    env["CXCOACH_ADMIN_IDS"] = "12,bob"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "configuration error: CXCOACH_ADMIN_IDS: not a Telegram user id: 'bob'"
    )
