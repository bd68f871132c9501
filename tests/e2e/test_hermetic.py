"""The bot under test is configured by the test alone: a developer's CXCOACH_* variables and
the .env in the working folder never reach it."""

from __future__ import annotations

from bot.i18n import translator
from tests.e2e.conftest import Harness

HOSTILE = {
    "CXCOACH_DEFAULT_LANGUAGE": "uk",
    "CXCOACH_ADMIN_IDS": "7100",
    "CXCOACH_RATE_LIMIT": "0.01",
    "CXCOACH_BULK_RATE": "0.01",
    "CXCOACH_BOT_API_URL": "http://127.0.0.1:9/",
    "CXCOACH_DATABASE": "/nonexistent/cx.sqlite3",
    "CXCOACH_TICK_SECONDS": "3600",
    "CXCOACH_CHANNEL": "@not_ours",
    "CXCOACH_LOG_LEVEL": "DEBUG",
}


async def test_a_hostile_environment_and_dotenv_do_not_reach_the_bot(
    standin, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in HOSTILE.items()))
    for name, value in HOSTILE.items():
        monkeypatch.setenv(name, value)
    h = Harness(standin, tmp_path / "cx.sqlite3")
    await h.start()
    try:
        assert h.settings.default_language == "en" and h.settings.admin_ids == frozenset()
        assert h.settings.rate_limit == 0 and h.settings.channel is None
        user = h.user(7100, "Olena", language=None)  # no Telegram language: the default
        await user.send("/start")
        greeting = await user.next_message()
        assert "Hi, Olena! I’m CX Coach." in greeting.text
        await user.send("/stats")  # not an admin here, whatever the environment says
        reply = await user.next_message()
        t = translator("en")
        assert reply.text == t._(
            "I don’t know the command /{word}. /help lists all my commands.", word="stats"
        )
    finally:
        await h.stop()
