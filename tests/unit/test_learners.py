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
