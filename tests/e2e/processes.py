"""The bot as a real process (``cxcoach run``, ``cxcoach-dev run``): its environment, and
stopping it the way an operator does."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from contextlib import asynccontextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bot_env(**settings: str) -> dict[str, str]:
    """This environment without the developer's CXCOACH_* variables, with ``settings`` as
    CXCOACH_<NAME> and the checkout importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXCOACH_")}
    env |= {f"CXCOACH_{name.upper()}": value for name, value in settings.items()}
    env["PYTHONPATH"] = str(ROOT)
    return env


@asynccontextmanager
async def running(*command: object, cwd: Path, env: dict[str, str], pass_fds=()):
    """The process, its output in ``cwd/bot.log`` (a file: a talkative child never blocks);
    stopped with SIGINT on the way out, which must end it cleanly (status 0)."""
    log = cwd / "bot.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT,
            pass_fds=pass_fds,
        )  # fmt: skip
        try:
            yield process
        finally:
            process.send_signal(signal.SIGINT)
            await asyncio.wait_for(process.wait(), 30)
    assert process.returncode == 0, log.read_text(errors="replace")[-2000:]
