"""Who the learner is: the language they read."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import learners
from domain.records import User

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def user(language: str | None, tg: str | None = None) -> User:
    return User(1, language, tg, "A", "UTC", NOW, NOW, False)


def test_language_choice_order():
    assert learners.language_of(user("ru", "uk"), "uk", "en") == "ru"  # chosen wins
    assert learners.language_of(user(None), "uk-UA", "en") == "uk"  # then Telegram's
    assert learners.language_of(user(None), "de", "en") == "en"  # unknown -> default
    assert learners.language_of(user(None, "ru"), None, "en") == "ru"  # remembered Telegram's
    assert learners.language_of(None, None, "uk") == "uk"


async def test_a_guessed_zone_follows_a_new_language_and_the_slot_moves(db):
    from bot.services.env import Env
    from tests.hermetic import HermeticSettings

    monday = datetime(2026, 11, 23, 12, tzinfo=UTC)
    env = Env(HermeticSettings(), db, None, lambda: monday)
    await db.touch_user(7, "Olena", "uk", monday)
    await db.set_subscription(7, "prejudices", "active", monday)
    learner = await db.get_user(7)
    from bot.services.schedule import reschedule

    kyiv = await reschedule(db, learner, "uk", monday)
    assert kyiv == datetime(2026, 11, 24, 7, tzinfo=UTC)  # 09:00 in Kyiv (guessed)
    await learners.set_language(env, await db.get_user(7), "en")
    london = (await db.get_user(7)).next_slot_at
    assert london == datetime(2026, 11, 24, 9, tzinfo=UTC)  # 09:00 in London, its guess
    # a zone the learner chose stays whatever the language
    await db.set_prefs(7, london, timezone="Europe/Kyiv")  # chosen
    await learners.set_language(env, await db.get_user(7), "ru")
    assert (await db.get_user(7)).next_slot_at == london
