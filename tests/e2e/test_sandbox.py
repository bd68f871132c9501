"""The sandbox (`cxcoach-dev sandbox`, and `cxcoach-dev run` without a token): a person chats
with the bot in the terminal. With a token `cxcoach-dev run` is the real bot; the production
`cxcoach run` without a token only says so."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from standin import BotAPIStandIn
from standin.sandbox import run_sandbox
from tests.e2e.processes import bot_env, running

BIN = Path(sys.executable).parent  # the virtualenv's console scripts


def clean_env() -> dict[str, str]:
    """The environment without the developer's CXCOACH_* variables."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CXCOACH_")}


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


def test_dev_run_without_a_token_starts_the_sandbox(tmp_path):
    """`cxcoach-dev run` (what `make run` calls) with no token anywhere: the sandbox."""
    result = subprocess.run(
        [BIN / "cxcoach-dev", "run"],
        input="/help\n/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env here
        env=clean_env(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "No bot token configured (CXCOACH_BOT_TOKEN)" in result.stderr
    assert "/lessons: series and lessons" in result.stdout
    assert "Traceback" not in result.stderr
    assert (tmp_path / "data" / "sandbox.sqlite3").exists()


async def test_dev_run_with_a_token_in_dot_env_runs_the_real_bot(tmp_path):
    """`cxcoach-dev run` with CXCOACH_BOT_TOKEN in .env: the bot as `cxcoach run` runs it,
    against the Bot API server configured there, on the configured database."""
    token = "987654321:ZZHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
    async with BotAPIStandIn(token=token, bot_username="cx_dev_run_bot") as standin:
        (tmp_path / ".env").write_text(
            f"CXCOACH_BOT_TOKEN={token}\n"
            f"CXCOACH_BOT_API_URL={standin.url}\n"
            "CXCOACH_DATABASE=live.sqlite3\n"
        )
        async with running(BIN / "cxcoach-dev", "run", cwd=tmp_path, env=clean_env()):
            user = standin.user(3003, "Olena", language_code="uk")
            await user.send("/start")
            assert "Я CX Coach" in (await user.next_message(timeout=30)).text
    log = (tmp_path / "bot.log").read_text(errors="replace")
    assert "starting CX Coach against" in log and "No bot token" not in log
    assert (tmp_path / "live.sqlite3").exists()
    assert not (tmp_path / "sandbox.sqlite3").exists()


def test_production_run_without_a_token_says_how_to_try_the_bot(tmp_path):
    """`cxcoach run` never starts the sandbox: one line, status 2, and no database made."""
    result = subprocess.run(
        [BIN / "cxcoach", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "CXCOACH_BOT_TOKEN is not set; to try the bot without Telegram: "
        "make run (the sandbox) or cxcoach-dev sandbox\n"
    )
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_run_with_a_bad_variable_says_which(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=bot_env(admin_ids="12,bob"),
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "configuration error: CXCOACH_ADMIN_IDS: not a Telegram user id: 'bob'"
    )
