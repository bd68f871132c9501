"""Every message the bot builds from the lessons fits Telegram's 4096 characters, measured on
the rendered text (as Telegram counts it after parsing the HTML), not estimated."""

from __future__ import annotations

import pytest

from bot.app import load_catalog
from bot.i18n import translator
from bot.render.schedule import slot_screen
from bot.services.schedule import SlotPlan
from content.model import LANGUAGES, MESSAGE_LIMIT
from content.telegram_html import parse_html

CATALOG = load_catalog()


def _length(text: str) -> int:
    return len(parse_html(text).text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_daily_lesson_and_recap_message_fits(lang):
    t = translator(lang)
    longest = 0
    for sc in CATALOG.series_list(lang):
        for lesson in sc.lessons:
            last = lesson.id == sc.lessons[-1].id
            plan = SlotPlan(  # the fullest slot: the lesson, its series' recap, reviews due
                lessons=((sc.id, lesson.id),),
                finished=(sc.id,) if last else (),
                reviews_due=999,
                suggestions=tuple(other.id for other in CATALOG.series_list(lang))[:2],
            )
            screen = slot_screen(t, CATALOG, lang, plan, set())
            assert screen is not None
            length = _length(screen.text)
            assert length <= MESSAGE_LIMIT, (lang, lesson.id, length)
            longest = max(longest, length)
    assert longest > 1000  # the measure is real: lessons are long messages


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_digest_of_every_series_at_once_fits(lang):
    """Subscribed to every series, the first slot brings one lesson of each: the digest."""
    t = translator(lang)
    plan = SlotPlan(
        lessons=tuple((sc.id, sc.lessons[0].id) for sc in CATALOG.series_list(lang)),
        reviews_due=999,
    )
    screen = slot_screen(t, CATALOG, lang, plan, set())
    assert screen is not None
    assert _length(screen.text) <= MESSAGE_LIMIT
