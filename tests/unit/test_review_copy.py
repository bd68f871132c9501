"""Review cards are due by the day: the day is said in the learner's language and zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.i18n import translator
from bot.render.review import due_day, review_done_screen
from bot.services.schedule import Prefs

KYIV = Prefs(timezone="Europe/Kyiv", time=540, days=31, quiet_start=None, quiet_end=None)
NOW = datetime(2026, 12, 1, 21, 40, tzinfo=UTC)  # Tuesday 23:40 in Kyiv


def test_a_due_day_never_has_an_hour():
    en, ru, uk = (translator(x) for x in ("en", "ru", "uk"))
    assert due_day(en, NOW - timedelta(hours=1), KYIV, NOW) == "today"
    # 00:48 on Thursday in Kyiv, the review's example: a day, not "Thu 3 Dec, 00:48"
    thursday = datetime(2026, 12, 2, 22, 48, tzinfo=UTC)
    assert due_day(en, thursday, KYIV, NOW) == "Thursday, 3 December"
    assert due_day(ru, thursday, KYIV, NOW) == "четверг, 3 декабря"
    assert due_day(uk, thursday, KYIV, NOW) == "четвер, 3 грудня"
    # 22:30 UTC is already Wednesday in Kyiv: tomorrow by the learner's clock, not by UTC's
    assert due_day(ru, datetime(2026, 12, 1, 22, 30, tzinfo=UTC), KYIV, NOW) == "завтра"
    friday = datetime(2026, 12, 4, 9, tzinfo=UTC)
    assert due_day(uk, friday, KYIV, NOW) == "п’ятниця, 4 грудня"  # our apostrophe, not ʼ
    next_year = datetime(2027, 1, 12, 9, tzinfo=UTC)
    assert due_day(en, next_year, KYIV, NOW) == "Tuesday, 12 January 2027"


def test_nothing_due_says_when_and_a_newcomer_is_told_what_review_is():
    en = translator("en")
    newcomer = review_done_screen(en, reviewed=False).text
    assert "🎉" not in newcomer and "caught up" not in newcomer
    assert "first cards come a day or two after" in newcomer
    waiting = review_done_screen(en, False, NOW + timedelta(hours=3), KYIV, NOW).text
    assert waiting == "✅ Nothing to review right now. Next card: tomorrow."
    after = review_done_screen(en, True, NOW + timedelta(days=2), KYIV, NOW).text
    assert after == "🎉 Done for now: no more cards are due. Next card: Thursday, 3 December."
