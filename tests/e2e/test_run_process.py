"""The real `cxcoach run` process against a Bot API server named by CXCOACH_BOT_API_URL."""

from __future__ import annotations

import sys

from standin import BotAPIStandIn
from standin.proxy import listening_socket
from tests.e2e.processes import bot_env, running

TOKEN = "987654321:ZZHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


async def test_run_serves_users_and_never_logs_the_token(tmp_path):
    async with BotAPIStandIn(token=TOKEN, bot_username="cx_process_bot") as standin:
        # the most talkative level must still hide the token
        env = bot_env(bot_token=TOKEN, bot_api_url=standin.url, log_level="DEBUG",
                      database=str(tmp_path / "live.sqlite3"))  # fmt: skip
        async with running(sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env):
            user = standin.user(3001, "Marta", language_code="ru")
            await user.send("/start")
            greeting = await user.next_message(timeout=30)
            assert "Я CX Coach" in greeting.text
            await user.send("/progress")
            assert (await user.next_message(timeout=10)).text.startswith("Ваш прогресс")
    log = (tmp_path / "bot.log").read_text(errors="replace")
    assert "getUpdates" in log or "Application started" in log  # it did log at DEBUG
    assert TOKEN not in log
    assert TOKEN.split(":")[1] not in log
    assert (tmp_path / "live.sqlite3").exists()


async def test_webhook_mode_serves_users_and_refuses_requests_without_the_secret(tmp_path):
    import aiohttp

    listening = listening_socket()  # bound once here, served by the bot process
    port = listening.getsockname()[1]
    secret = "s3cret-token_for-the-webhook"
    async with BotAPIStandIn(token=TOKEN, bot_username="cx_process_bot") as standin:
        env = bot_env(
            bot_token=TOKEN, bot_api_url=standin.url, database=str(tmp_path / "live.sqlite3"),
            webhook_url=f"http://127.0.0.1:{port}", webhook_secret=secret, log_level="DEBUG",
            webhook_socket_fd=str(listening.fileno()),
        )  # fmt: skip
        bot = (sys.executable, "-m", "bot", "run")
        async with running(*bot, cwd=tmp_path, env=env, pass_fds=(listening.fileno(),)):
            listening.close()  # the child has its own copy
            user = standin.user(3002, "Taras", language_code="uk")
            await user.send("/start")  # delivered by the stand-in POSTing to the webhook
            assert "Я CX Coach" in (await user.next_message(timeout=30)).text
            assert standin.webhook.url == f"http://127.0.0.1:{port}/telegram"
            forged = {"update_id": 999, "message": {"message_id": 1, "date": 0,
                      "chat": {"id": 3002, "type": "private"}, "text": "/progress"}}  # fmt: skip
            async with aiohttp.ClientSession() as session:
                url = standin.webhook.url
                async with session.post(url, json=forged) as response:
                    assert response.status == 403  # no secret header
                wrong = {"X-Telegram-Bot-Api-Secret-Token": "not-the-secret-at-all"}
                async with session.post(url, json=forged, headers=wrong) as response:
                    assert response.status == 403
            # the forged /progress was not handled: the next real update's reply is the
            # very next thing in the chat (one chat's updates are handled in order)
            await user.send("/help")
            assert (await user.next_message(timeout=30)).text.startswith("CX Coach — ")
            user.assert_no_event()
    log = (tmp_path / "bot.log").read_text(errors="replace")
    assert TOKEN not in log and secret not in log
