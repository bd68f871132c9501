"""The bot end to end on PostgreSQL: the same journey, kept across a restart."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest_asyncio

from bot.i18n import translator
from tests.e2e.conftest import MONDAY, FakeClock, Harness
from tests.postgres import postgres_dsn


class PostgresHarness(Harness):
    """The harness with a PostgreSQL schema of its own instead of a SQLite file."""

    def __init__(self, standin, dsn: str, schema: str) -> None:
        super().__init__(standin, db_path=dsn)  # type: ignore[arg-type]
        self.dsn, self.schema = dsn, schema

    async def start(self) -> None:
        from bot.app import build_application, running
        from bot.services.env import Env
        from storage.postgres import PostgresStorage

        self.storage = PostgresStorage(self.dsn, schema=self.schema, pool_size=4)
        env = Env(
            settings=self.settings, storage=self.storage, catalog=self.catalog, clock=self.clock
        )
        self.app = build_application(env, request_timeout=5.0)
        self._ctx = running(self.app, poll_timeout=1)
        await self._ctx.__aenter__()


@pytest_asyncio.fixture
async def pg(standin) -> AsyncIterator[PostgresHarness]:
    import asyncpg

    dsn = await postgres_dsn()
    schema = f"e2e_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(dsn)
    await admin.execute(f"CREATE SCHEMA {schema}")
    harness = PostgresHarness(standin, dsn, schema)
    harness.clock = FakeClock(MONDAY)  # an injected clock: the streak cannot cross midnight
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
        await admin.execute(f"DROP SCHEMA {schema} CASCADE")
        await admin.close()


async def test_journey_quiz_and_progress_on_postgres_survive_a_restart(pg):
    user = pg.user(1001, language="uk")
    await user.send("/start l_silos")
    assert "CX Coach" in (await user.next_message()).text
    lesson = await user.next_message()
    await user.press(lesson, "📝 Пройти тест")
    question = await user.next_message()
    while question.buttons and question.buttons[0][1].startswith("qa:"):
        await user.press(question, data=question.buttons[0][1])
        await user.next_edit()
        question = await user.next_message()
    rating = await user.next_message()  # after the score: how useful was it?
    assert "Наскільки урок «" in rating.text
    await user.press(rating, "4")
    assert "Дякую: 4 з 5." in (await user.next_edit()).text
    await pg.restart()
    await user.send("/progress")
    report = await user.next_message()
    assert "Тест завершено" in question.text
    assert (await pg.storage.feedback(1001, "silos")).usefulness == 4  # on PostgreSQL
    total = sum(len(s.lessons) for s in pg.catalog.series_list("uk"))
    counts = translator("uk").n_(
        "{done} of {n} lesson completed", "{done} of {n} lessons completed", total, done=1
    )
    assert f"Усього: {counts}." in report.text  # e.g. "пройдено 1 з 31 уроку"
    assert "2 відповіді в тестах" in report.text and "Без пропусків: 1 день" in report.text
    assert (await pg.storage.get_user(1001)).tg_language == "uk"
